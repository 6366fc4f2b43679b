/**
 * Reading and writing inside a repository without ever leaving it: no symbolic link is followed out, a
 * FIFO or device is never opened (a read would block or have side effects), and every file system error
 * becomes a one-line UserError naming the file.
 */
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, writeSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { describeErrno, UserError } from './errors.js';

/** Where transactions stage their contents, and the lock that serialises commands: ours, not the repository's. */
export const TXN_FOLDER = '.platform-txn';
export const LOCK_FILE = '.platform.lock';

/** The segments of a repository-relative, '/'-separated path; anything that could point elsewhere is refused. */
export function segmentsOf(path: string): string[] {
  const segments = path.split('/');
  if (path.startsWith('/') || path.includes('\0') || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new UserError(`refusing a path that is not a plain path inside the repository: "${path}"`);
  }
  return segments;
}

/** What a non-regular file is, in words. */
export function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'a device';
  return 'a regular file';
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`cannot read: ${describeErrno(error)}`, path);
  }
}

/**
 * Check that `path` can be written in `root` without following a link: every folder on the way is a real
 * folder (or missing, to be created) and the file itself is a regular file or missing. Returns the file's
 * stat when it exists, so a replacement can keep its permissions.
 */
export function checkDestination(root: string, path: string): Stats | undefined {
  const segments = segmentsOf(path);
  if (segments[0] === TXN_FOLDER || path === LOCK_FILE) throw new UserError('is reserved for platform\'s own bookkeeping', join(root, path));
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = join(current, segment);
    const stat = lstatOrUndefined(current);
    if (!stat) return undefined;
    const last = index === segments.length - 1;
    if (stat.isSymbolicLink()) {
      throw new UserError(last ? 'is a symbolic link; refusing to write through it' : `is a symbolic link; refusing to write ${path} through it`, current);
    }
    if (!last && !stat.isDirectory()) throw new UserError(`is ${kindOf(stat)}, not a folder; cannot write ${path}`, current);
    if (last && !stat.isFile()) throw new UserError(`is ${kindOf(stat)}, not a file; refusing to replace it`, current);
    if (last) return stat;
  }
  return undefined;
}

/**
 * Read a repository file: undefined when it is missing. A link is followed only when it stays inside the
 * repository; anything but a regular file is refused without being opened.
 */
export function readRepositoryFile(root: string, path: string): string | undefined {
  segmentsOf(path);
  const file = join(root, path);
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && lstatOrUndefined(file)?.isSymbolicLink()) throw new UserError('is a symbolic link to a file that does not exist', file);
    // A missing file, or a file where a folder on the way should be: either way there is nothing to read.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UserError(`cannot read: ${describeErrno(error)}`, file);
  }
  const realRoot = realpathSync(root);
  if (!real.startsWith(realRoot + sep)) throw new UserError('is a symbolic link that leads outside the repository; not read', file);
  const stat = lstatSync(real);
  if (!stat.isFile()) throw new UserError(`is ${kindOf(stat)}, not a file; not read`, file);
  let fd: number | undefined;
  try {
    // Non-blocking and no-follow: a FIFO or link swapped in after the check still cannot hang or lead us out.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    if (!fstatSync(fd).isFile()) throw new UserError('changed while being read; not read', file);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read: ${describeErrno(error)}`, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Write a new file and flush it to the disk, so that a rename of it later never publishes an empty file
 * after a power loss. `durable: false` skips the flush where the tree is thrown away after use (a fleet
 * rollout's clones): a kill is still safe, since atomicity comes from the renames, not the flush.
 */
export function writeDurably(path: string, content: string, mode?: number, durable = true): void {
  const fd = openSync(path, 'wx');
  try {
    // A replaced file keeps its permissions (an executable script stays executable), whatever the umask.
    if (mode !== undefined) fchmodSync(fd, mode & 0o7777);
    const bytes = Buffer.from(content, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flush a folder's entries (a rename or a new file in it) to the disk; some file systems cannot, which is fine. */
export function syncFolder(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // Durability beyond a crash of this process is best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a process of this host is alive (EPERM: it is, but not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
