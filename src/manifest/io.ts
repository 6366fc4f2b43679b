import { UserError } from '../core/errors.js';
import { positionOf, readYamlFile, type ParsedYaml } from '../core/yaml.js';
import { Document } from 'yaml';
import type { Settings } from '../settings/settings.js';
import { manifestProblems, manifestSchemaUrl } from './rules.js';
import type { Manifest } from './types.js';

/** Read platform.yaml and check it; the first problem becomes a UserError at its file and line. */
export function readManifest(file: string, settings: Settings, displayName = file): { manifest: Manifest; parsed: ParsedYaml } {
  const parsed = readYamlFile(file, displayName);
  const [problem] = manifestProblems(parsed.value, settings);
  if (problem) {
    const at = positionOf(parsed, problem.path);
    throw new UserError(problem.message, displayName, at.line, at.column);
  }
  return { manifest: parsed.value as Manifest, parsed };
}

/**
 * platform.yaml as first written. The YAML library writes every value, so no answer can change the
 * document's structure; strings that YAML would read as something else are quoted by it.
 */
export function stringifyManifest(manifest: Manifest): string {
  const doc = new Document(manifest);
  doc.commentBefore = ` yaml-language-server: $schema=${manifestSchemaUrl(manifest.apiVersion)}\n The single source of truth of this repository: every generated file derives from it.\n Change it, then run \`platform upgrade\` (or \`yo platform:database\`, \`platform add ...\`) to re-render.`;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
