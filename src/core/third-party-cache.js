// Where `npm run third-party` puts the third-party data. Plain JavaScript, so that scripts/third-party.js
// reads it without a build (the build reads that data in turn, src/core/builtin-crds.ts); the platform's
// own code has it through src/core/third-party.ts.
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The cache `npm run third-party` fills, and the tests and the build read when PLATFORM_THIRD_PARTY is not set.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function thirdPartyCache(env = process.env) {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'generator-platform', 'third-party');
}
