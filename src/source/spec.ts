/**
 * What a source spec names: the embedded templates, a folder, or a git repository (with `#subdir` when
 * the source sits below the repository's root). Deciding needs only the file system, never git or the
 * network, so opening a source is free until a version is asked for.
 */
import { existsSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { UserError } from '../core/errors.js';

export interface ParsedSpec {
  kind: 'embedded' | 'folder' | 'git';
  /** The spec as given ('embedded' when none was). */
  spec: string;
  /** For folders, the absolute folder (subdir included); for git, what git is given to clone. */
  location: string;
  /** `/`-separated folder of the source inside a git repository; '' for its root. */
  subdir: string;
  /** The spec without credentials, for messages. */
  display: string;
}

/** URLs git clones; `user@host:path` is git's scp-like ssh syntax. Anything else is a local path. */
const URL_SPEC = /^(?:(?:file|https?|ssh|git):\/\/|[^\s/@:]+@[^\s/:]+:)/i;

/**
 * A local path is a git source when its root holds `.git` (a folder, or the file of a worktree): its
 * tags are its versions. A folder merely inside a repository is a plain folder source, read as it is on
 * disk; to use the tags of the enclosing repository, name its root with `#subdir`.
 */
export function parseSpec(given: string | undefined, cwd: string): ParsedSpec {
  const spec = given ?? 'embedded';
  if (spec === 'embedded') return { kind: 'embedded', spec, location: '', subdir: '', display: spec };
  const hash = spec.indexOf('#');
  const base = hash < 0 ? spec : spec.slice(0, hash);
  const subdir = hash < 0 ? '' : subfolder(spec.slice(hash + 1), spec);
  const display = redactCredentials(spec);
  if (base === '') throw new UserError(`template source "${display}" names no folder or repository`);
  if (URL_SPEC.test(base)) return { kind: 'git', spec, location: base, subdir, display };
  const path = resolve(cwd, base);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UserError(`template source ${display}: no such folder (${path})`);
  if (existsSync(resolve(path, '.git'))) return { kind: 'git', spec, location: path, subdir, display };
  return { kind: 'folder', spec, location: subdir ? resolve(path, subdir) : path, subdir: '', display };
}

function subfolder(text: string, spec: string): string {
  const normalized = posix.normalize(text.replace(/\/+$/, ''));
  if (normalized === '.' || normalized === '') return '';
  if (normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new UserError(`template source ${redactCredentials(spec)}: "#${text}" must be a folder inside the repository`);
  }
  return normalized;
}

/**
 * Credentials never reach a message: `https://user:token@host` and `https://token@host` lose their user
 * part (an ssh user such as `ssh://git@host` is not a secret and stays). The user part runs to the last
 * `@` before the host, so a password with an unencoded `@` goes whole.
 */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/]+)@/gi, (whole, scheme: string, user: string) =>
    user.includes(':') || /^https?:\/\/$/i.test(scheme) ? scheme : whole,
  );
}

/**
 * The spec a repository records: a local path made absolute (the record is read from other folders
 * later), a URL without credentials (a token never lands in a repository; git's credential helper
 * supplies it again), 'embedded' as it is.
 */
export function recordableSpec(given: string | undefined, cwd: string): string {
  const spec = given ?? 'embedded';
  return isUrl(spec) ? redactCredentials(spec) : absoluteSpec(spec, cwd);
}

/**
 * A local path made absolute from `cwd` (its #subdir kept); 'embedded' and URLs, credentials included,
 * as given: a spec still to be opened, later or from another folder than the one it was named in.
 */
export function absoluteSpec(spec: string, cwd: string): string {
  if (spec === 'embedded' || isUrl(spec)) return spec;
  const hash = spec.indexOf('#');
  return hash < 0 ? resolve(cwd, spec) : `${resolve(cwd, spec.slice(0, hash))}${spec.slice(hash)}`;
}

/** The same test parseSpec makes: on the part before `#`. */
function isUrl(spec: string): boolean {
  const hash = spec.indexOf('#');
  return URL_SPEC.test(hash < 0 ? spec : spec.slice(0, hash));
}
