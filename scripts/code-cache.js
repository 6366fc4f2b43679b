// Build step, after bundle-cli.js: write the V8 code caches of the CLI's bundles (src/core/code-cache.ts).
// A training process loads them without caches, generates a complete repository and validates it, and
// then writes each script's cache with every function that run compiled. Its output is shown only when it
// fails: a freshly generated repository that does not validate cleanly fails the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

if (process.argv[2] === '--train') {
  await train(process.argv[3]);
} else {
  const work = mkdtempSync(join(tmpdir(), 'platform-code-cache-'));
  try {
    const child = spawnSync(process.execPath, [import.meta.filename, '--train', join(work, 'payments-api')], { encoding: 'utf8' });
    if (child.status !== 0) {
      process.stderr.write(`${child.stdout}${child.stderr}code-cache: the training run failed (exit ${child.status ?? child.signal})\n`);
      process.exit(1);
    }
    const written = child.stdout.trim().split('\n').at(-1).split('\t');
    const size = written.reduce((sum, file) => sum + statSync(file).size, 0);
    process.stdout.write(`code-cache: ${written.length} caches, ${(size / 1024 / 1024).toFixed(1)} MB\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One process that runs what users run most, then writes the caches (their paths, tab-separated, last). */
async function train(repo) {
  const { loadCommonJs, writeCodeCaches } = await import(join(root, 'dist', 'src', 'core', 'code-cache.js'));
  const cli = loadCommonJs(join(root, 'dist', 'cli', 'platform.cjs'), { useCache: false, importModule: (specifier) => import(specifier) });
  const runs = [
    ['new', repo, '--defaults', '--database', 'main:postgres:16:backups', '--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe'],
    ['validate', repo],
  ];
  for (const argv of runs) {
    await cli.main(argv);
    if (process.exitCode) throw new Error(`platform ${argv.join(' ')} exited ${process.exitCode}`);
  }
  // The bundle of every kind, needed only for kinds the templates do not generate: its top level at least.
  loadCommonJs(join(root, 'dist', 'cli', 'kinds.cjs'), { useCache: false });
  process.stdout.write(`\n${writeCodeCaches().join('\t')}\n`);
}
