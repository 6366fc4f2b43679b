/**
 * Where the tests find third-party data (upstream schemas, CRDs, the list of current action releases): the
 * folder named by PLATFORM_THIRD_PARTY (`.ci/run` sets it to ../shared/third-party), else the cache that
 * `npm run third-party` fills from each file's upstream at a pinned commit. Nothing else: a test that needs
 * a file that is in neither says how to get it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findThirdParty, thirdPartyCache } from '../../src/core/third-party.js';

export { thirdPartyCache } from '../../src/core/third-party.js';

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
  const file = join(thirdPartyDir(), ...segments);
  if (!existsSync(file)) throw new Error(`third-party file ${segments.join('/')} is missing from ${thirdPartyDir()}: run \`npm run third-party\``);
  return file;
}
