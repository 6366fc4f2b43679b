/**
 * Template sources (docs/lifecycle.md): the embedded templates with their released history, a folder, or
 * a git repository whose `vX.Y.Z` tags are its versions. Every command that renders opens its source
 * here, so that a repository is always rendered from the source and version its record names.
 */
import type { TemplateSource } from '../render/source.js';
import { embeddedSource } from './embedded.js';
import { folderSource } from './folder.js';
import { parseSpec, recordableSpec } from './spec.js';

export type { SourceOrigin } from '../render/source.js';

export const EMBEDDED = 'embedded';

export interface OpenedSource {
  /** The spec as given ('embedded', a path, a URL, with #subdir). */
  spec: string;
  kind: 'embedded' | 'folder' | 'git';
  /** Every version, ascending by semver. */
  versions(): Promise<string[]>;
  /** The highest release (a pre-release only when the source has nothing else). */
  newest(): Promise<string>;
  /**
   * Load one version (default: the newest). `commit` (from a record) lets a git source skip the network
   * when that checkout is cached. The result's template.version equals `version`, and its origin is
   * { spec, commit }.
   */
  load(version?: string, options?: { commit?: string | null; template?: string }): Promise<TemplateSource>;
}

/**
 * Load the version a new rendering starts from, with the origin a repository records (see
 * recordableSpec): `platform new`, `yo platform`, `platform publish`.
 */
export async function loadForNew(spec: string | undefined, version: string | undefined, options: { cwd?: string; template?: string } = {}): Promise<TemplateSource> {
  const cwd = options.cwd ?? process.cwd();
  const source = await (await openSource(spec, { cwd })).load(version, { template: options.template });
  return { ...source, origin: { spec: recordableSpec(spec, cwd), commit: source.origin.commit } };
}

/** Name a source; nothing is fetched until a version is asked for. A relative path is taken from `cwd`. */
export async function openSource(spec: string | undefined, options: { cwd?: string } = {}): Promise<OpenedSource> {
  const parsed = parseSpec(spec, options.cwd ?? process.cwd());
  if (parsed.kind === 'embedded') return embeddedSource();
  if (parsed.kind === 'folder') return folderSource(parsed);
  // Only git sources need simple-git: the other kinds do not pay for loading it.
  const { gitSource } = await import('./git.js');
  return gitSource(parsed);
}

