import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hasPendingTransaction } from '../../src/core/transaction.js';
import { repoRoot } from './repo.js';

/**
 * Fault injection with strace: `inject=...:signal=SIGKILL:when=K` kills the command exactly at its K-th
 * rename, before the rename happens. Node renames with rename(2) on x86-64 and renameat2(2) where rename
 * does not exist (arm64): all three are named. Synchronous fs calls run on the main thread, the one strace
 * traces without -f; git's children are left alone.
 */
const RENAMES = 'rename,renameat,renameat2';

/** Why fault injection cannot run here, or undefined when it can. */
export function straceMissing(): string | undefined {
  const probe = spawnSync('strace', ['-o', '/dev/null', '-e', `inject=${RENAMES}:signal=SIGKILL:when=1`, 'true'], { encoding: 'utf8' });
  if (probe.error) return `strace is not installed (${(probe.error as NodeJS.ErrnoException).code}); .ci/run installs it`;
  if (probe.status !== 0) return `strace cannot trace here: ${probe.stderr.trim().split('\n')[0]}`;
  return undefined;
}

export interface KilledRun {
  /** Whether the command was killed at the K-th rename (false: it made fewer renames and finished). */
  killed: boolean;
  status: number | null;
  stderr: string;
}

/** Run `platform ...args` and kill it at its K-th rename; `env` replaces variables of the same names. */
export function platformKilledAt(k: number, args: string[], env: NodeJS.ProcessEnv = {}): KilledRun {
  const dir = mkdtempSync(join(tmpdir(), 'platform-strace-'));
  try {
    const log = join(dir, 'trace');
    const result = spawnSync('strace', ['-o', log, '-e', `trace=${RENAMES}`, '-e', `inject=${RENAMES}:signal=SIGKILL:when=${k}`, process.execPath, join(repoRoot, 'bin', 'platform.cjs'), ...args], {
      cwd: repoRoot,
      input: '',
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', ...env },
      timeout: 60_000,
    });
    const killed = readFileSync(log, 'utf8').includes('+++ killed by SIGKILL');
    return { killed, status: result.status, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EveryKillOptions {
  /** The environment of each killed run (called once per run, after `fresh`), passed on to `onKilled`. */
  env?: () => NodeJS.ProcessEnv;
  /** Give up after this many kills: the command never finishes by itself. */
  most?: number;
}

/**
 * Kill at the 1st, 2nd, ... rename, each time in a `fresh()` folder, until a run finishes by itself (it
 * must, cleanly). `onKilled` judges each killed folder, told whether a committed transaction waits in it.
 * Returns how many runs were killed, and how many of those after the commit point.
 */
export function everyKill(
  fresh: () => string,
  args: (dir: string) => string[],
  onKilled: (dir: string, committed: boolean, env: NodeJS.ProcessEnv) => void,
  { env = () => ({}), most = 200 }: EveryKillOptions = {},
): { kills: number; committed: number } {
  let committed = 0;
  for (let k = 1; k < most; k++) {
    const dir = fresh();
    const runEnv = env();
    const run = platformKilledAt(k, args(dir), runEnv);
    if (!run.killed) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return { kills: k - 1, committed };
    }
    const pending = hasPendingTransaction(dir);
    if (pending) committed++;
    onKilled(dir, pending, runEnv);
  }
  throw new Error(`the command never finished under fault injection (killed ${most - 1} times)`);
}
