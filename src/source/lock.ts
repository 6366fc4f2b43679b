/**
 * A lock file around the fetch of one mirror, so that two runs opening the same source at once fetch it
 * once, one after the other. It is a courtesy, not a guarantee: every step it guards also tolerates a
 * concurrent one (mirrors and checkouts appear by rename; a failed fetch falls back to the mirror), so a
 * run that waited too long goes ahead without it rather than fail.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../core/safe-fs.js';

/** Long enough for a clone of a template repository; a holder slower than this is probably stuck. */
const WAIT_MS = 60_000;
const POLL_MS = 50;

export async function withLock<T>(file: string, work: () => Promise<T>, waitMs = WAIT_MS): Promise<T> {
  const owned = await acquire(file, waitMs);
  try {
    return await work();
  } finally {
    if (owned) rmSync(file, { force: true });
  }
}

/** True when the lock was taken; false when waiting gave up. */
async function acquire(file: string, waitMs: number): Promise<boolean> {
  const me = `${process.pid} ${hostname()}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(file, `${me}\n`, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    // A holder killed before it could remove the lock must not make every later run wait.
    if (holder !== undefined && isGone(holder)) {
      if (readHolder(file) === holder) rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

function readHolder(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Only a process of this machine can be known to be gone; one elsewhere (a shared home folder) is waited for. */
function isGone(holder: string): boolean {
  const [pid, host] = holder.split(' ');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  return !processAlive(Number(pid));
}
