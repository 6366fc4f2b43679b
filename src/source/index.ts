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
  /**
   * The spec as a record holds it (see recordableSpec): a local path absolute, a URL without credentials,
   * with its #subdir. Safe for messages; the spec as given (credentials and all) only reaches git.
   */
  spec: string;
  kind: 'embedded' | 'folder' | 'git';
  /** Every version, ascending by semver. */
  versions(): Promise<string[]>;
  /** The highest release (a pre-release only when the source has nothing else). */
  newest(): Promise<string>;
  /**
   * Load one version (default: the newest). `commit` (from a record) lets a git source skip the network
   * when that checkout is cached. The result's template.version equals `version`, and its origin is
   * { spec, commit } with the recordable spec above.
   */
  load(version?: string, options?: { commit?: string | null; template?: string }): Promise<TemplateSource>;
  /**
   * Version -> the day it was released (YYYY-MM-DD), for the versions whose day is known: the `date` of
   * its CHANGELOG.json entry (written by `platform publish`), else the day of its tag. The embedded
   * templates have days once `platform publish` has written their changelog.
   */
  releaseDates(): Promise<Record<string, string>>;
}

/** Load the version a new rendering starts from: `platform new`, `yo platform`. */
export async function loadForNew(spec: string | undefined, version: string | undefined, options: { cwd?: string; template?: string } = {}): Promise<TemplateSource> {
  return (await openSource(spec, { cwd: options.cwd })).load(version, { template: options.template });
}

/**
 * Opened sources a long-running process reuses (a fleet upgrade, the benchmarks): each is fetched once
 * and each version loaded once, with its compiled templates, instead of once per repository.
 */
export type SourceCache = Map<string, OpenedSource>;

/** Name a source; nothing is fetched until a version is asked for. A relative path is taken from `cwd`. */
export async function openSource(spec: string | undefined, options: { cwd?: string; cache?: SourceCache } = {}): Promise<OpenedSource> {
  const cwd = options.cwd ?? process.cwd();
  const parsed = parseSpec(spec, cwd);
  const key = `${parsed.kind}:${parsed.location}#${parsed.subdir}`;
  const reused = options.cache?.get(key);
  if (reused) return reused;
  let opened: OpenedSource;
  if (parsed.kind === 'embedded') opened = embeddedSource();
  // Only git sources need simple-git: the other kinds do not pay for loading it.
  else opened = parsed.kind === 'folder' ? folderSource(parsed) : (await import('./git.js')).gitSource(parsed);
  if (parsed.kind !== 'embedded') opened = recordable(opened, recordableSpec(spec, cwd));
  opened = loadingOnce(opened);
  options.cache?.set(key, opened);
  return opened;
}

/**
 * Every command that writes a record (new, add, upgrade, with or without --source) records the origin of
 * what it loaded; deciding that spec here, once, is what keeps a relative path or a token out of every record.
 */
function recordable(opened: OpenedSource, spec: string): OpenedSource {
  return {
    ...opened,
    spec,
    async load(version, options) {
      const source = await opened.load(version, options);
      return { ...source, origin: { spec, commit: source.origin.commit } };
    },
  };
}

/** A version asked for twice (the base and the target of a re-render are one) is read and compiled once. */
function loadingOnce(opened: OpenedSource): OpenedSource {
  const loads = new Map<string, Promise<TemplateSource>>();
  return {
    ...opened,
    load(version, options = {}) {
      const key = JSON.stringify([version ?? null, options.commit ?? null, options.template ?? null]);
      let loading = loads.get(key);
      if (!loading) {
        loading = opened.load(version, options);
        loads.set(key, loading);
        loading.catch(() => loads.delete(key));
      }
      return loading;
    },
  };
}

