// `platform new` of a complete repository, cold, beside a bare `node -e 0` in the same run. Target: <= 5x.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithBareNode, report } from './lib.js';

const COMPLETE = ['--defaults', '--database', 'main:postgres:16:backups', '--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe',
  '--secret', 'sentry-dsn:SENTRY_DSN:payments/sentry'];

export function benchNew({ runs = 21 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-new-'));
  try {
    const { bare, time: generate, ratio, rows } = compareWithBareNode('platform new', (i) => ['new', join(work, `svc-${i + 1}`), ...COMPLETE], { runs, target: 5 });
    report('platform new (complete repository, cold process)', rows);
    return { bare, generate, ratio };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchNew();
