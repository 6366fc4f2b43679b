// `platform new` of a complete repository, cold, beside a bare `node -e 0` in the same run. Target: <= 5x.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, timeCommands } from './lib.js';

const root = join(import.meta.dirname, '..');
const COMPLETE = ['--defaults', '--database', 'main:postgres:16:backups', '--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe',
  '--secret', 'sentry-dsn:SENTRY_DSN:payments/sentry'];

export function benchNew({ runs = 21 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-new-'));
  try {
    const [bare, generate] = timeCommands([
      [process.execPath, ['-e', '0']],
      [process.execPath, (i) => [join(root, 'bin', 'platform.cjs'), 'new', join(work, `svc-${i + 1}`), ...COMPLETE]],
    ], { runs });
    const ratio = generate / bare;
    report('platform new (complete repository, cold process)', [
      ['node -e 0 (median)', `${bare.toFixed(1)} ms`],
      ['platform new (median)', `${generate.toFixed(1)} ms`],
      ['ratio (target <= 5x)', `${ratio.toFixed(2)}x ${ratio <= 5 ? 'ok' : 'OVER TARGET'}`],
    ]);
    return { bare, generate, ratio };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchNew();
