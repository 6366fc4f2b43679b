import { isMap, type Document } from 'yaml';
import { UserError } from '../core/errors.js';
import { parseYaml, positionOf, type ParsedYaml } from '../core/yaml.js';
import { manifestProblems } from '../manifest/rules.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/types.js';
import type { TemplateSource } from '../render/source.js';
import { migrateDocument, type Migration } from './migrations.js';

export interface NextManifest {
  manifest: Manifest;
  /** platform.yaml as it will be written: the team's text, byte for byte, unless something changed it. */
  text: string;
  /** The migrations that changed it, in words. */
  migrated: string[];
}

/**
 * platform.yaml for the target rendering: the team's file, migrated, edited (`platform add`), moved to
 * the target's template version, and checked by the target's settings. Every change goes through the
 * document, so the team's comments and layout survive; a result that is not a valid manifest stops here,
 * before anything is written, at its line.
 */
export function nextManifest(text: string, target: TemplateSource, migrations: Migration[], edit?: (doc: Document, manifest: Manifest) => void): NextManifest {
  const parsed = parseYaml(text, MANIFEST_FILE);
  const doc = parsed.doc as unknown as Document;
  if (!isMap(doc.contents)) throw new UserError('expected a mapping (apiVersion, kind, metadata, spec)', MANIFEST_FILE, 1, 1);
  // `platform add` edits a manifest that must be valid to begin with (an upgrade's migrations may be what makes it so).
  if (edit) failOn(parsed, target, '');
  const migrated = migrateDocument(doc, migrations);
  edit?.(doc, doc.toJS() as Manifest);
  setTemplate(doc, target.template);
  const changed = migrated.length > 0 || edit !== undefined || JSON.stringify(parsed.value) !== JSON.stringify(doc.toJS());
  const next = changed ? doc.toString({ lineWidth: 0, flowCollectionPadding: true }) : text;
  const after = migrated.length ? ` after the migrations of ${target.template.version} (${migrated.join('; ')})` : '';
  // Positions come from the text that will be written; unchanged, that is the one already parsed.
  failOn(next === text ? parsed : parseYaml(next, MANIFEST_FILE), target, after);
  return { manifest: doc.toJS() as Manifest, text: next, migrated };
}

/** The version platform.yaml names, when the team set one by hand: the default target of an upgrade. */
export function manifestTemplateVersion(text: string): string | undefined {
  const value = parseYaml(text, MANIFEST_FILE).value as { spec?: { template?: { version?: unknown } } } | null;
  const version = value?.spec?.template?.version;
  return typeof version === 'string' ? version : undefined;
}

function failOn(parsed: ParsedYaml, target: TemplateSource, after: string): void {
  const [problem] = manifestProblems(parsed.value, target.settings);
  if (!problem) return;
  const at = positionOf(parsed, problem.path);
  throw new UserError(`${problem.message}${after}: nothing was written`, MANIFEST_FILE, at.line, at.column);
}

/** spec.template names the version the repository is rendered from: it moves with the upgrade. */
function setTemplate(doc: Document, template: { name: string; version: string }): void {
  // A spec that is not a mapping is left for the schema check to name.
  if (!isMap(doc.get('spec', true))) return;
  const node = doc.getIn(['spec', 'template'], true);
  if (!isMap(node)) {
    doc.setIn(['spec', 'template'], doc.createNode({ name: template.name, version: template.version }));
    return;
  }
  if (node.get('name') !== template.name) node.set('name', template.name);
  if (node.get('version') !== template.version) node.set('version', template.version);
}
