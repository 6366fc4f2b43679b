/**
 * The per-user cache of git sources, `$XDG_CACHE_HOME/generator-platform/sources/` (else
 * `~/.cache/...`): one bare mirror per URL, fetched with its tags, and one checkout per commit. Both are
 * made in a temporary folder beside their place and renamed into it, so that a killed or concurrent run
 * never leaves half of one: a checkout that is present is complete, and can be used without git.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describeErrno, UserError } from '../core/errors.js';
import { git, GitFailure } from './git-command.js';
import { withLock } from './lock.js';

export function cacheRoot(): string {
  // The XDG rule: a relative XDG_CACHE_HOME is invalid and ignored (it would make the cache depend on the cwd).
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'generator-platform', 'sources');
}

/** A cache that cannot be written is the user's to fix (permissions, a full disk): say so in one line. */
async function usingCache<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError || error instanceof GitFailure || !(error as NodeJS.ErrnoException).code) throw error;
    throw new UserError(`cannot use the template source cache ${cacheRoot()}: ${describeErrno(error)}`);
  }
}

/** A full commit id: the only thing from a record that becomes a folder name. */
export function isCommit(text: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(text);
}

/** The checkout of a commit when it is cached, found without running git. */
export function cachedCheckout(commit: string): string | undefined {
  const dir = join(cacheRoot(), 'checkouts', commit);
  return isCommit(commit) && existsSync(dir) ? dir : undefined;
}

/** A readable slug for people looking in the cache, and a hash so that two URLs never share a mirror. */
function mirrorDir(location: string, display: string): string {
  const slug = display.replace(/\.git$/, '').split(/[/:\\]/).filter(Boolean).slice(-2).join('-').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40);
  const hash = createHash('sha256').update(location).digest('hex').slice(0, 16);
  return join(cacheRoot(), 'mirrors', `${slug || 'source'}-${hash}.git`);
}

/**
 * Bring the mirror of `location` up to date and return it. When the fetch fails and a mirror exists, it
 * answers as it is (offline work); with no mirror, the source is unreachable and that is the error.
 */
export async function updateMirror(location: string, display: string): Promise<{ mirror: string; offline: boolean }> {
  const mirror = mirrorDir(location, display);
  return usingCache(async () => {
    mkdirSync(join(cacheRoot(), 'mirrors'), { recursive: true });
    return withLock(`${mirror}.lock`, () => fetchOrClone(location, mirror, display));
  });
}

async function fetchOrClone(location: string, mirror: string, display: string): Promise<{ mirror: string; offline: boolean }> {
  if (existsSync(mirror)) {
    try {
      await git(['fetch', '--quiet', '--prune', 'origin'], mirror, display);
      return { mirror, offline: false };
    } catch (error) {
      if (error instanceof GitFailure) return { mirror, offline: true };
      throw error;
    }
  }
  const temporary = `${mirror}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await git(['clone', '--mirror', '--quiet', '--', location, temporary], cacheRoot(), display);
    settle(temporary, mirror);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (error instanceof GitFailure) throw new UserError(`cannot reach template source ${display}: ${error.firstLine}`);
    throw error;
  }
  return { mirror, offline: false };
}

/** The check-out of `commit` from the mirror, made once; without its `.git`, which nothing reads. */
export async function checkout(mirror: string, commit: string, display: string): Promise<string> {
  const dir = join(cacheRoot(), 'checkouts', commit);
  if (existsSync(dir)) return dir;
  return usingCache(() => checkOutInto(dir, mirror, commit, display));
}

async function checkOutInto(dir: string, mirror: string, commit: string, display: string): Promise<string> {
  mkdirSync(join(cacheRoot(), 'checkouts'), { recursive: true });
  const temporary = `${join(cacheRoot(), 'checkouts', `.tmp-${commit}`)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    // --shared borrows the mirror's objects instead of copying them: the clone only lives until its files are out.
    await git(['clone', '--quiet', '--shared', '--no-checkout', '--', mirror, temporary], cacheRoot(), display);
    await git(['checkout', '--quiet', '--detach', commit], temporary, display);
    rmSync(join(temporary, '.git'), { recursive: true, force: true });
    settle(temporary, dir);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (error instanceof GitFailure) throw new UserError(`cannot check out ${commit} of template source ${display}: ${error.firstLine}`);
    throw error;
  }
  return dir;
}

/** Rename a finished folder into place; when a concurrent run got there first, theirs is as good as ours. */
function settle(temporary: string, final: string): void {
  try {
    renameSync(temporary, final);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== 'EEXIST' && code !== 'ENOTEMPTY') || !existsSync(final)) throw error;
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Every tag of the mirror with the commit it names (an annotated tag is followed to its commit). */
export async function mirrorTags(mirror: string, display: string): Promise<Map<string, string>> {
  const output = await git(['for-each-ref', '--format=%(refname:strip=2) %(objectname) %(*objectname)', 'refs/tags'], mirror, display);
  const tags = new Map<string, string>();
  for (const line of output.split('\n').filter(Boolean)) {
    const [tag, object, peeled] = line.split(' ');
    tags.set(tag!, peeled || object!);
  }
  return tags;
}

/** Every tag of the mirror with the day it was made (an annotated tag's own date, else its commit's). */
export async function tagDates(mirror: string, display: string): Promise<Map<string, string>> {
  const output = await git(['for-each-ref', '--format=%(refname:strip=2) %(creatordate:short)', 'refs/tags'], mirror, display);
  return new Map(output.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]));
}

/** A file of a commit, read from the mirror without a checkout; undefined when the commit has no such file. */
export async function fileAt(mirror: string, commit: string, path: string, display: string): Promise<string | undefined> {
  try {
    return await git(['show', `${commit}:${path}`], mirror, display);
  } catch (error) {
    if (error instanceof GitFailure) return undefined;
    throw error;
  }
}

export async function hasCommit(mirror: string, commit: string, display: string): Promise<boolean> {
  return (await git(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], mirror, display)).trim() === commit;
}
