/**
 * `platform new`: a whole repository at once. Into a missing folder it is built in a sibling folder and
 * renamed into place (one atomic step); into an existing folder (empty, or with --force) it is one
 * transaction like any other change.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { describeErrno, UserError } from './errors.js';
import { applyChanges, recoverPending, type FileChange } from './journal.js';
import { acquireLock } from './lock.js';
import { LOCK_FILE, processAlive, segmentsOf, syncFolder, TXN_FOLDER, writeDurably } from './safe-fs.js';

/** Write a whole new repository; `record` names the generation record among `files`, written last. */
export function writeNewRepository(target: string, files: FileChange[], options: { force?: boolean; record?: string } = {}): void {
  const root = resolve(target);
  const record = files.find((file) => file.path === options.record);
  const others = files.filter((file) => file !== record);
  const stat = statOrUndefined(root);
  if (!stat) return createRepository(root, [...others, ...(record ? [record] : [])]);
  if (!stat.isDirectory()) throw new UserError('exists and is not a folder', target);
  refuseUnlessEmpty(root, target, options.force);
  const release = acquireLock(root, 'platform new');
  try {
    recoverPending(root);
    refuseUnlessEmpty(root, target, options.force);
    applyChanges(root, { writes: others, removes: [], record });
  } finally {
    release();
  }
}

function refuseUnlessEmpty(root: string, target: string, force: boolean | undefined): void {
  if (force) return;
  let entries: string[];
  try {
    entries = readdirSync(root).filter((entry) => entry !== LOCK_FILE && entry !== TXN_FOLDER);
  } catch (error) {
    throw new UserError(`cannot read the folder: ${describeErrno(error)}`, target);
  }
  if (entries.length) throw new UserError('is not empty; pass --force to generate into it anyway', target);
}

/** Build the tree in a sibling and rename it into place: a kill leaves either nothing or everything. */
function createRepository(root: string, files: FileChange[]): void {
  const parent = dirname(root);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create the folder: ${describeErrno(error)}`, parent);
  }
  sweepStaleStagings(parent, basename(root));
  const staging = join(parent, `${stagingPrefix(basename(root))}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // mkdirSync, not mkdtempSync: the folder gets the user's umask (mkdtemp's is always 0700).
    mkdirSync(staging);
    for (const file of files) {
      const segments = segmentsOf(file.path);
      const destination = join(staging, ...segments);
      try {
        mkdirSync(dirname(destination), { recursive: true });
        writeDurably(destination, file.content);
      } catch (error) {
        throw new UserError(`cannot write: ${describeErrno(error)}; nothing was written`, join(root, file.path));
      }
    }
    renameSync(staging, root);
    syncFolder(parent);
  } catch (error) {
    try {
      rmSync(staging, { recursive: true, force: true });
    } catch {
      // Swept by the next `platform new` of this folder, once this process is gone.
    }
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new UserError('was created by someone else while generating; nothing was written into it', root);
    throw new UserError(`cannot create the repository: ${describeErrno(error)}`, root);
  }
}

function stagingPrefix(name: string): string {
  return `.${name}.platform-`;
}

/** A staging whose process is gone (killed before its rename) is litter: removed before staging anew. */
function sweepStaleStagings(parent: string, name: string): void {
  const prefix = stagingPrefix(name);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = entry.startsWith(prefix) ? /^(\d+)-[0-9a-f]{8}$/.exec(entry.slice(prefix.length)) : null;
    if (match && !processAlive(Number(match[1]))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`cannot read: ${describeErrno(error)}`, path);
  }
}
