// Small helpers shared by the benchmarks: run a command N times and take the median wall time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds of one run of a command, failing loudly if it fails. */
function timeOnce(command, argv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

/** Median milliseconds of `runs` executions of a command (after one warm-up). */
export function timeCommand(command, args, { runs = 15 } = {}) {
  return timeCommands([[command, args]], { runs })[0];
}

/**
 * Median milliseconds of each command over `runs` rounds (after one warm-up round), the commands taking
 * turns within a round: on a shared machine, a command and the floor it is compared with then meet the
 * same load, and their ratio does not depend on which one ran while a neighbour was busy.
 * `args` is an array, or a function of the round number for commands that need a fresh target each time.
 */
export function timeCommands(commands, { runs = 15 } = {}) {
  const times = commands.map(() => []);
  for (let round = -1; round < runs; round += 1) {
    commands.forEach(([command, args], index) => {
      const elapsed = timeOnce(command, typeof args === 'function' ? args(round) : args);
      if (round >= 0) times[index].push(elapsed);
    });
  }
  return times.map(median);
}

/**
 * A cold `platform ARGS` beside a bare `node -e 0`, taking turns: both medians, their ratio, and the report
 * rows that say them against `target`. `args` may be a function of the round, like timeCommands'.
 */
export function compareWithBareNode(name, args, { runs, target }) {
  const platform = join(import.meta.dirname, '..', 'bin', 'platform.cjs');
  const [bare, time] = timeCommands([
    [process.execPath, ['-e', '0']],
    [process.execPath, typeof args === 'function' ? (round) => [platform, ...args(round)] : [platform, ...args]],
  ], { runs });
  const ratio = time / bare;
  const rows = [
    ['node -e 0 (median)', `${bare.toFixed(1)} ms`],
    [`${name} (median)`, `${time.toFixed(1)} ms`],
    [`ratio (target <= ${target}x)`, `${ratio.toFixed(2)}x ${ratio <= target ? 'ok' : 'OVER TARGET'}`],
  ];
  return { bare, time, ratio, rows };
}

export function report(title, rows) {
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(44)} ${value}`);
}
