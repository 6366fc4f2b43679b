// Small helpers shared by the benchmarks: run a command N times and take the median wall time.
import { spawnSync } from 'node:child_process';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median milliseconds of `runs` executions of a command (after one warm-up), failing loudly if it fails. */
export function timeCommand(command, args, { runs = 15, before } = {}) {
  const times = [];
  for (let i = -1; i < runs; i += 1) {
    const argv = typeof args === 'function' ? args(i) : args;
    before?.(i);
    const start = process.hrtime.bigint();
    const result = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${result.stderr}`);
    if (i >= 0) times.push(elapsed);
  }
  return median(times);
}

export function report(title, rows) {
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(44)} ${value}`);
}
