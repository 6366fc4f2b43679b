/**
 * Where third-party data (upstream schemas, CRDs, the list of current action releases) is found: the
 * folder named by PLATFORM_THIRD_PARTY, else the cache that `npm run third-party` fills from each file's
 * upstream at a pinned commit. The tests read it through test/helpers/third-party.ts; the build reads the
 * upstream CRDs of the built-in kinds from it (src/core/builtin-crds.ts). Nothing else reads it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { thirdPartyCache } from './third-party-cache.js';

/** The cache `npm run third-party` fills (written once, in plain JavaScript, for that script too). */
export { thirdPartyCache };

/** The folder, or a one-line reason why there is none. */
export function findThirdParty(env: NodeJS.ProcessEnv = process.env, cache = thirdPartyCache(env)): { dir: string } | { reason: string } {
  const named = env.PLATFORM_THIRD_PARTY;
  if (named) {
    const dir = resolve(named);
    return existsSync(dir) ? { dir } : { reason: `PLATFORM_THIRD_PARTY=${named}: no such folder` };
  }
  if (existsSync(cache)) return { dir: cache };
  return { reason: `no third-party data: set PLATFORM_THIRD_PARTY to its folder, or run \`npm run third-party\` to fill ${cache}` };
}
