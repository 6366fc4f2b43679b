// `node bench/startup.js`: what each part of the start-up machinery saves on a cold `platform validate`
// of a complete generated repository (docs/architecture.md quotes its output). Each row switches one
// part off, the commands taking turns within each round so that they meet the same load.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report, timeCommand, timeCommands } from './lib.js';

const root = join(import.meta.dirname, '..');
const platform = join(root, 'bin', 'platform.cjs');
const COMPLETE = ['--defaults', '--database', 'main:postgres:16:backups', '--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe'];

export function benchStartup({ runs = 15 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-startup-'));
  try {
    const repo = join(work, 'payments-api');
    timeCommand(process.execPath, [platform, 'new', repo, ...COMPLETE], { runs: 0 });
    // The same repository with one kind the templates never generate: the bundle of every kind loads.
    const other = join(work, 'with-configmap');
    timeCommand(process.execPath, [platform, 'new', other, ...COMPLETE], { runs: 0 });
    writeFileSync(join(other, 'deploy', 'base', 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n');
    // The library as tsc builds it, ES modules from node_modules, no bundle and no code cache.
    const unbundled = `const { main } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href)}); await main(['validate', ${JSON.stringify(repo)}]);`;
    const rows = [
      ['node -e 0', [process.execPath, ['-e', '0']]],
      ['platform validate (as shipped)', [process.execPath, [platform, 'validate', repo]]],
      ['  PLATFORM_CODE_CACHE=off', [process.execPath, [platform, 'validate', repo], { PLATFORM_CODE_CACHE: 'off' }]],
      ['  PLATFORM_PREFILTER=off', [process.execPath, [platform, 'validate', repo], { PLATFORM_PREFILTER: 'off' }]],
      ['  no bundles (dist/src, ES modules)', [process.execPath, ['--input-type=module', '-e', unbundled]]],
      ['  a kind outside the templates (kinds.cjs loads)', [process.execPath, [platform, 'validate', other]]],
    ];
    const times = timeCommands(rows.map(([, command]) => command), { runs });
    report(`cold platform validate, median of ${runs} (Node ${process.versions.node})`, rows.map(([label], index) => [label, `${times[index].toFixed(1)} ms`]));
    return Object.fromEntries(rows.map(([label], index) => [label.trim(), times[index]]));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) benchStartup();
