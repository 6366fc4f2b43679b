/**
 * Changes to an existing repository, all or nothing across a kill: every content is staged under
 * .platform-txn/<id>/ first, then a journal listing them is renamed into place. That rename is the commit
 * point: before it the repository is untouched and the staging is discarded; after it, the renames into
 * place are finished by whoever comes next (recoverPending). The generation record goes last, so it
 * never claims a change the files do not have yet.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { describeErrno, UserError } from './errors.js';
import { checkDestination, syncFolder, TXN_FOLDER, writeDurably } from './safe-fs.js';

export interface FileChange {
  /** Repository-relative, '/'-separated. */
  path: string;
  content: string;
}

export interface ChangeSet {
  /** New or replaced files. */
  writes: FileChange[];
  /** Files to delete (missing ones ignored). */
  removes: string[];
  /** The generation record (.yo-rc.json), always applied last. */
  record?: FileChange;
}

interface Journal {
  /**
   * Destination and staged file name, in the order they are moved; the record, if any, is the last one.
   * `before` is what the destination was when the change was planned (null: absent), so that finishing a
   * killed run never replaces a file the team changed in the meantime.
   */
  moves: Array<{ path: string; staged: string; before?: Fingerprint | null }>;
  removes: string[];
  removesBefore?: Record<string, Fingerprint | null>;
}

/** Enough of a file's identity to see it was replaced or written since: inode, size, modification time. */
type Fingerprint = { ino: number; size: number; mtimeMs: number };

function fingerprint(stat: Stats | undefined): Fingerprint | null {
  return stat ? { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs } : null;
}

function sameAs(path: string, before: Fingerprint | null | undefined): boolean {
  if (before === undefined) return true;
  let stat: Stats | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    stat = undefined;
  }
  const now = fingerprint(stat);
  return now === null || before === null ? now === before : now.ino === before.ino && now.size === before.size && now.mtimeMs === before.mtimeMs;
}

const JOURNAL = 'journal.json';

/** Apply a change set atomically as far as the file system allows. The caller holds the repository lock. */
export function applyChanges(root: string, changes: ChangeSet, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  const base = resolve(root);
  const files = [...changes.writes, ...(changes.record ? [changes.record] : [])];
  const seen = new Set<string>();
  for (const path of [...files.map((file) => file.path), ...changes.removes]) {
    if (seen.has(path)) throw new Error(`change set names ${path} twice`);
    seen.add(path);
  }
  // Every destination is checked before anything is written: a refusal leaves no trace.
  const existing = files.map((file) => checkDestination(base, file.path));
  const removesBefore = Object.fromEntries(changes.removes.map((path) => [path, fingerprint(checkDestination(base, path))]));
  if (!files.length && !changes.removes.length) return;

  const txn = join(base, TXN_FOLDER, `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const journal: Journal = { moves: [], removes: changes.removes, removesBefore };
  try {
    mkdirOrFail(txn, join(base, TXN_FOLDER));
    files.forEach((file, index) => {
      const staged = String(index);
      try {
        writeDurably(join(txn, staged), file.content, existing[index]?.mode, durable);
      } catch (error) {
        throw new UserError(`cannot write: ${describeErrno(error)}; nothing was changed`, join(base, file.path));
      }
      journal.moves.push({ path: file.path, staged, before: fingerprint(existing[index]) });
    });
    try {
      writeDurably(join(txn, `${JOURNAL}.new`), `${JSON.stringify(journal)}\n`, undefined, durable);
      renameSync(join(txn, `${JOURNAL}.new`), join(txn, JOURNAL));
      if (durable) syncFolder(txn);
    } catch (error) {
      throw new UserError(`cannot write the journal: ${describeErrno(error)}; nothing was changed`, txn);
    }
  } catch (error) {
    discard(base, txn);
    throw error;
  }
  finish(base, txn, journal, durable);
}

/** Finish a committed transaction (idempotent: a staged file already moved is simply gone). */
function finish(root: string, txn: string, journal: Journal, durable = true): void {
  let current = root;
  refuseChangedSince(root, txn, journal);
  try {
    for (const move of journal.moves) {
      current = join(root, move.path);
      const staged = join(txn, move.staged);
      if (!exists(staged)) continue;
      // Checked again: between a kill and its recovery someone may have put a link here.
      checkDestination(root, move.path);
      mkdirSync(dirname(current), { recursive: true });
      renameSync(staged, current);
    }
    for (const path of journal.removes) {
      current = join(root, path);
      checkDestination(root, path);
      rmSync(current, { force: true });
    }
    if (durable) syncFolder(root);
    current = txn;
    rmSync(txn, { recursive: true, force: true });
    removeIfEmpty(join(root, TXN_FOLDER));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `cannot finish writing: ${describeErrno(error)}; the change is committed in ${TXN_FOLDER} and the next platform command that writes here finishes it`,
      current,
    );
  }
}

/**
 * A file the team changed between a killed run and its recovery is theirs now: finishing would replace
 * it in silence. What is not moved yet waits, and the message says how to choose.
 */
function refuseChangedSince(root: string, txn: string, journal: Journal): void {
  const pending = journal.moves.filter((move) => exists(join(txn, move.staged)));
  const changed = [
    ...pending.filter((move) => !sameAs(join(root, move.path), move.before)).map((move) => move.path),
    // A file to remove that is gone already was removed by the killed run (or by the team): nothing to lose.
    ...journal.removes.filter((path) => exists(join(root, path)) && !sameAs(join(root, path), journal.removesBefore?.[path])),
  ];
  if (changed.length) {
    throw new UserError(
      `changed since an interrupted write that would replace it (waiting in ${relativeTo(root, txn)}): move your version aside and run the command again to finish that write, or remove ${relativeTo(root, txn)} to abandon it`,
      join(root, changed[0]!),
    );
  }
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/** A killed run's transaction: finished when committed, removed when not. */
export function recoverPending(root: string): 'none' | 'completed' | 'discarded' {
  const base = resolve(root);
  const folder = join(base, TXN_FOLDER);
  let outcome: 'none' | 'completed' | 'discarded' = 'none';
  // Oldest first: the ids start with the time, so a later change is applied over an earlier one.
  for (const id of listTxn(folder).sort()) {
    const txn = join(folder, id);
    const journal = readJournal(txn);
    if (journal) {
      finish(base, txn, journal);
      outcome = 'completed';
    } else {
      discard(base, txn);
      if (outcome === 'none') outcome = 'discarded';
    }
  }
  if (outcome === 'none' && exists(folder)) removeIfEmpty(folder);
  return outcome;
}

/**
 * The paths that committed, unfinished transactions change: read before recoverPending finishes them, so
 * that a command can tell the changes it finished for a killed run from the team's own.
 */
export function pendingPaths(root: string): string[] {
  const folder = join(resolve(root), TXN_FOLDER);
  return listTxn(folder).flatMap((id) => {
    const journal = readJournal(join(folder, id));
    return journal ? [...journal.moves.map((move) => move.path), ...journal.removes] : [];
  });
}

/** Whether a committed but unfinished transaction waits in root (an uncommitted one is only litter). */
export function hasPendingTransaction(root: string): boolean {
  const folder = join(resolve(root), TXN_FOLDER);
  return listTxn(folder).some((id) => exists(join(folder, id, JOURNAL)));
}

function readJournal(txn: string): Journal | undefined {
  if (!exists(join(txn, JOURNAL))) return undefined;
  try {
    const journal = JSON.parse(readFileSync(join(txn, JOURNAL), 'utf8')) as Journal;
    if (!Array.isArray(journal.moves) || !Array.isArray(journal.removes)) throw new Error('not a journal');
    return journal;
  } catch (error) {
    throw new UserError(`is not a journal this version can finish (${(error as Error).message}); look at it and remove it by hand`, join(txn, JOURNAL));
  }
}

function listTxn(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(`cannot read: ${describeErrno(error)}`, folder);
  }
}

function mkdirOrFail(txn: string, parent: string): void {
  try {
    // Not recursive: a repository that is not there must not be created by staging into it.
    try {
      mkdirSync(parent);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    mkdirSync(txn);
  } catch (error) {
    throw new UserError(`cannot write: ${describeErrno(error)}; nothing was changed`, parent);
  }
}

/** Remove an uncommitted staging; a full or read-only disk must not hide the error that brought us here. */
function discard(root: string, txn: string): void {
  try {
    rmSync(txn, { recursive: true, force: true });
    removeIfEmpty(join(root, TXN_FOLDER));
  } catch {
    // Left for the next command's recoverPending.
  }
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
