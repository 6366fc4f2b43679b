/**
 * One command at a time per repository: <root>/.platform.lock, created with O_EXCL, says who holds it.
 * Without it two `platform add` runs both read the old platform.yaml and the second write loses the
 * first's addition.
 */
import { linkSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { describeErrno, UserError } from './errors.js';
import { pendingPaths, recoverPending } from './journal.js';
import { LOCK_FILE, processAlive } from './safe-fs.js';

interface Holder {
  pid: number;
  host: string;
  command: string;
  started: string;
}

const POLL_MS = 50;
const STALE_SUFFIX = '.stale-';
/** A lock file that never got its content (its writer died at once) is stale after this long. */
const UNREADABLE_STALE_MS = 10_000;

/** What the lock's holder finds done for it: the paths a killed run's transaction changed, now finished. */
export interface Recovered {
  recovered: string[];
}

/** Run fn holding the repository's lock, after finishing or discarding what a killed run left. */
export async function withRepositoryLock<T>(root: string, command: string, fn: (found: Recovered) => Promise<T> | T, options: { waitMs?: number } = {}): Promise<T> {
  const release = acquireLock(root, command, options.waitMs);
  try {
    const recovered = pendingPaths(root);
    recoverPending(root);
    return await fn({ recovered });
  } finally {
    release();
  }
}

/** Take the lock, waiting up to waitMs for a live holder; returns the release. Synchronous, for writeNewRepository. */
export function acquireLock(root: string, command: string, waitMs = 5000): () => void {
  const file = join(resolve(root), LOCK_FILE);
  const mine: Holder = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(file, mine)) {
      sweepMovedLocks(resolve(root));
      return () => release(file, mine);
    }
    const holder = readHolder(file);
    if (holder === 'gone') continue;
    if (isStale(file, holder)) {
      breakStale(file, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new UserError(`${describeHolder(holder)}; try again when it has finished`, resolve(root));
    sleep(POLL_MS);
  }
}

function tryCreate(file: string, mine: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UserError(`cannot lock the repository: ${describeErrno(error)}`, file);
  }
  try {
    writeSync(fd, `${JSON.stringify(mine)}\n`);
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw new UserError(`cannot lock the repository: ${describeErrno(error)}`, file);
  }
  closeSync(fd);
  return true;
}

/** The holder, 'gone' if the lock vanished meanwhile, undefined if it cannot be read (being written, or garbage). */
function readHolder(file: string): Holder | 'gone' | undefined {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UserError('is not a lock file; remove it', file);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new UserError(`cannot read the lock: ${describeErrno(error)}`, file);
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return typeof holder.pid === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isStale(file: string, holder: Holder | undefined): boolean {
  if (!holder) {
    try {
      return Date.now() - statSync(file).mtimeMs > UNREADABLE_STALE_MS;
    } catch {
      return false;
    }
  }
  // A process on another host (a shared folder) cannot be checked: its lock is respected.
  return holder.host === hostname() && !processAlive(holder.pid);
}

/**
 * Take a dead holder's lock away. Renamed aside first (atomic: of two breakers only one gets it), then
 * checked: if what was moved is a live holder's fresh lock, it is put back.
 */
function breakStale(file: string, holder: Holder | undefined): void {
  const moved = `${file}${STALE_SUFFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UserError(`cannot take over the lock of a process that is gone: ${describeErrno(error)}`, file);
  }
  const taken = readHolder(moved);
  const same = taken === holder || (typeof taken === 'object' && taken.pid === holder?.pid && taken.started === holder?.started);
  if (!same) {
    try {
      linkSync(moved, file);
    } catch {
      // Someone holds a newer lock already: theirs stands.
    }
  }
  rmSync(moved, { force: true });
}

/** A breaker killed between its rename and its removal leaves a moved lock: swept by the next holder. */
function sweepMovedLocks(root: string): void {
  const prefix = `${LOCK_FILE}${STALE_SUFFIX}`;
  for (const name of readdirSync(root)) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length).split('-')[0]) : NaN;
    if (Number.isInteger(pid) && !processAlive(pid)) rmSync(join(root, name), { force: true });
  }
}

function release(file: string, mine: Holder): void {
  try {
    const holder = readHolder(file);
    // Only our own lock: had it been broken (we were thought dead), the new holder's must stay.
    if (typeof holder === 'object' && holder.pid === mine.pid && holder.started === mine.started) rmSync(file, { force: true });
  } catch {
    // Released in a finally: failing here would hide the command's own error. A lock left behind names
    // this process, which the next command finds gone and takes over.
  }
}

function describeHolder(holder: Holder | undefined): string {
  if (!holder) return `locked (${LOCK_FILE} is being written or unreadable)`;
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `locked by ${holder.command} (pid ${holder.pid}${where}) since ${holder.started}`;
}

/** A synchronous pause: the lock is taken by synchronous code (writeNewRepository) too. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
