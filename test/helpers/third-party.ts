/**
 * Where the tests find third-party data (upstream schemas, CRDs, the list of current action releases): the
 * folder named by PLATFORM_THIRD_PARTY (`.ci/run` sets it to ../shared/third-party), else the cache that
 * `npm run third-party` fills from each file's upstream at a pinned commit (src/core/third-party.ts finds
 * it, for the build too). Only files listed in test/third-party.json (with their upstream, commit and
 * SHA-256) can be read, so that the cache can always be filled with all of them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST, manifestFiles } from '../../scripts/third-party.js';
import { findThirdParty, thirdPartyCache } from '../../src/core/third-party.js';

export { thirdPartyCache };

/** The manifest's entries, as scripts/third-party.js reads them. */
export interface ThirdPartyEntry {
  path: string;
  url: string;
  commit: string;
  sha256: string;
}

export const thirdPartyManifest = (): ThirdPartyEntry[] => manifestFiles() as ThirdPartyEntry[];
const listed = new Set(thirdPartyManifest().map((entry) => entry.path));
/**
 * Notes compiled here rather than files with one upstream (actions.md: each action's current release and
 * its commit, read from the action's own git history); they are in PLATFORM_THIRD_PARTY, not in the cache.
 */
const NOTES = new Set(['actions.md']);
/** A folder of listed files (`crds`) may be read whole. */
const isListedFolder = (path: string): boolean => [...listed].some((file) => file.startsWith(`${path}/`));

// Resolved when first asked and kept: tests that point XDG_CACHE_HOME elsewhere must not move it.
const cacheAtLoad = thirdPartyCache();
let resolved: string | undefined;

/** The folder third-party data is read from. */
export function thirdPartyDir(): string {
  resolved ??= locate();
  return resolved;
}

function locate(): string {
  const found = findThirdParty(process.env, cacheAtLoad);
  if ('reason' in found) throw new Error(found.reason);
  return found.dir;
}

/** A third-party file by its path in that folder, e.g. `crds/argoproj.io_applications.yaml`. */
export function thirdParty(...segments: string[]): string {
  const path = segments.join('/');
  if (!listed.has(path) && !NOTES.has(path) && !isListedFolder(path)) throw new Error(`third-party file ${path} is not in ${MANIFEST}: add it there with its upstream url, commit and sha256`);
  const file = join(thirdPartyDir(), ...segments);
  if (!existsSync(file)) throw new Error(`third-party file ${path} is missing from ${thirdPartyDir()}: run \`npm run third-party\``);
  return file;
}
