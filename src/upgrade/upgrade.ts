import { Document, isMap } from 'yaml';
import semver from 'semver';
import { UserError } from '../core/errors.js';
import { readRepositoryFile, type ChangeSet } from '../core/transaction.js';
import { parseYaml, positionOf } from '../core/yaml.js';
import { manifestProblems } from '../manifest/rules.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/types.js';
import { RECORD_FILE, render, type GenerationRecord, type Rendering } from '../render/render.js';
import type { TemplateSource } from '../render/source.js';
import { openSource, type OpenedSource } from '../source/index.js';
import { checkRecordedAnswers, readRecord, recordedSource } from '../generate/record.js';
import { planFiles, type FileOutcome } from './files.js';
import { migrateDocument, migrationsFor, parseMigrations } from './migrations.js';

export interface UpgradeOptions {
  /** The version to move to; default the newest of the source. */
  to?: string;
  /** Another source than the recorded one (a moved repository, a mirror). */
  source?: string;
}

/** Everything `platform upgrade` would do, computed before anything is written. */
export interface UpgradePlan {
  source: string;
  template: string;
  from: string;
  to: string;
  /** The migrations that changed platform.yaml, in words. */
  migrations: string[];
  /** One outcome per file that changes (platform.yaml included when it does). */
  files: FileOutcome[];
  changes: ChangeSet;
  conflicts: string[];
}

/**
 * Plan an upgrade (docs/lifecycle.md): the base is the recorded version rendered from the recorded
 * answers, the target is the new version rendered from platform.yaml after its migrations. Nothing is
 * written here; a migration that leaves an invalid manifest stops the plan, naming the field.
 */
export async function planUpgrade(root: string, options: UpgradeOptions = {}): Promise<UpgradePlan> {
  const record = readRecord(root);
  const recorded = recordedSource(record);
  const opened = await openSource(options.source ?? recorded.spec, { cwd: root });
  const name = record.template.name;
  const from = record.template.version;
  const to = options.to ?? (await opened.newest());
  if (semver.valid(to) === null) throw new UserError(`--to ${to}: not a version such as 1.2.0`);
  if (semver.lt(to, from)) throw new UserError(`--to ${to} is older than the recorded ${from}: downgrades are not supported`);
  const base = await loadVersion(opened, from, name, options.source ? null : recorded.commit);
  const target = from === to && !options.source ? base : await loadVersion(opened, to, name, null);
  return planBetween(root, record, base, target);
}

/** The plan from the recorded rendering to `target`; `platform add` uses it with base and target on one version. */
export function planBetween(root: string, record: GenerationRecord, base: TemplateSource, target: TemplateSource, edit?: (doc: Document) => void): UpgradePlan {
  const manifestText = readRepositoryFile(root, MANIFEST_FILE);
  if (manifestText === undefined) throw new UserError(`no ${MANIFEST_FILE}: it is the input of every re-render; restore it from git history`, root);
  const parsed = parseYaml(manifestText, MANIFEST_FILE);
  const doc = parsed.doc as unknown as Document;
  const migrations = migrationsFor(parseMigrations(target.template.migrations, `${target.template.name}/template.yaml`), record.template.version);
  const migrated = migrateDocument(doc, migrations);
  edit?.(doc);
  setTemplate(doc, target.template);
  const text = migrated.length || edit || isChanged(parsed.value, doc) ? doc.toString({ lineWidth: 0, flowCollectionPadding: true }) : manifestText;
  const manifest = checkedAgainst(doc.toJS() as Manifest, target, text, migrated);
  const baseAnswers = record.answers;
  checkRecordedAnswers(record, base.settings, `${base.template.name}@${base.template.version}`);
  const baseRendering = renderOrFail(() => render(baseAnswers, base), base, RECORD_FILE);
  const targetRendering = render(manifest, target, text);
  const files = planFiles({
    base: new Map(baseRendering.files.map((file) => [file.path, file])),
    target: targetRendering.files,
    read: (path) => readRepositoryFile(root, path),
    from: record.template.version,
    to: target.template.version,
  });
  if (text !== manifestText) files.unshift({ path: MANIFEST_FILE, mode: 'seeded', action: 'updated', content: text });
  return {
    source: target.origin.spec,
    template: target.template.name,
    from: record.template.version,
    to: target.template.version,
    migrations: migrated,
    files,
    changes: {
      writes: files.filter((file) => file.content !== undefined).map((file) => ({ path: file.path, content: file.content! })),
      removes: files.filter((file) => file.action === 'removed').map((file) => file.path),
      record: { path: RECORD_FILE, content: recordOf(targetRendering) },
    },
    conflicts: files.filter((file) => file.action === 'conflict').map((file) => file.path),
  };
}

async function loadVersion(opened: OpenedSource, version: string, template: string, commit: string | null): Promise<TemplateSource> {
  const versions = await opened.versions();
  if (!versions.includes(version)) {
    throw new UserError(`template source ${opened.spec} has no version ${version} (it has ${versions.join(', ') || 'none'})`);
  }
  return opened.load(version, { commit, template });
}

/** spec.template names the version the repository is rendered from: it moves with the upgrade. */
function setTemplate(doc: Document, template: { name: string; version: string }): void {
  const node = doc.getIn(['spec', 'template'], true);
  if (!isMap(node)) {
    doc.setIn(['spec', 'template'], doc.createNode({ name: template.name, version: template.version }));
    return;
  }
  if (node.get('name') !== template.name) node.set('name', template.name);
  if (node.get('version') !== template.version) node.set('version', template.version);
}

function isChanged(before: unknown, doc: Document): boolean {
  return JSON.stringify(before) !== JSON.stringify(doc.toJS());
}

function checkedAgainst(manifest: Manifest, target: TemplateSource, text: string, migrated: string[]): Manifest {
  const [problem] = manifestProblems(manifest, target.settings);
  if (!problem) return manifest;
  const after = migrated.length ? ` after the migrations of ${target.template.version} (${migrated.join('; ')})` : '';
  const at = positionOf(parseYaml(text, MANIFEST_FILE), problem.path);
  throw new UserError(`${problem.message}${after}: nothing was written`, MANIFEST_FILE, at.line, at.column);
}

function renderOrFail(run: () => Rendering, source: TemplateSource, file: string): Rendering {
  try {
    return run();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`the recorded answers cannot be rendered by template ${source.template.name}@${source.template.version}: ${(error as Error).message}`, file);
  }
}

function recordOf(rendering: Rendering): string {
  return rendering.files.find((file) => file.path === RECORD_FILE)!.content;
}
