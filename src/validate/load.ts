/**
 * Load: every file of a repository the validator looks at, read safely. Nothing is ever read from
 * outside the repository: a symbolic link that leads out, or in a loop, is a problem naming the link.
 * Configuration files that are too large, binary or not UTF-8 are problems naming the file; other files
 * (images, archives...) that are not text are simply not checked.
 */
import { lstatSync, readFileSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describeErrno, UserError } from '../core/errors.js';
import { LOCK_FILE, TXN_FOLDER } from '../core/safe-fs.js';
import { MAX_YAML_BYTES } from '../core/yaml.js';
import { classify } from './classify.js';
import { MANIFEST_FILE, RECORD_KEY } from '../manifest/types.js';
import { FILE_START, problem, type Problem } from './problem.js';
import type { FileKind, Range } from './types.js';

export const FILE_READABLE = 'file-readable';

/** Folders that are not the repository's own content (.platform-txn: a transaction of platform's, in flight or interrupted). */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', TXN_FOLDER]);
/** platform's lock, and a lock moved aside while being taken over from a dead holder. */
const isLockFile = (name: string): boolean => name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.stale-`);
/** Folder depth beyond which nothing is a repository anyone wrote by hand. */
const MAX_FOLDER_DEPTH = 64;
/** Files read per repository: a bound on memory and time for a repository full of generated files. */
export const MAX_FILES = 20_000;
/** Entries listed per repository before reading: the walk itself is bounded too. */
const MAX_LISTED = 10 * MAX_FILES;
/**
 * Past the cap, what is read first: the platform's own files, kustomizations before the resources they
 * change, so a cut never leaves a resource without the overlay that pins its image (a false finding).
 */
const READ_ORDER: FileKind[] = ['manifest', 'record', 'settings', 'kustomization', 'kubernetes', 'workflow', 'action', 'catalog', 'codeowners', 'yaml', 'text'];

export interface LoadedFile {
  path: string;
  kind: FileKind;
  text: string;
}

export interface Loaded {
  /** The repository root, symbolic links resolved. */
  root: string;
  files: LoadedFile[];
  problems: Problem[];
}

export interface LoadOptions {
  maxFileBytes?: number;
}

export function loadRepository(root: string, options: LoadOptions = {}): Loaded {
  const realRoot = repositoryRoot(root);
  const loader = new Loader(realRoot, options.maxFileBytes ?? MAX_YAML_BYTES);
  loader.walk(realRoot, 0);
  loader.readListed();
  loader.files.sort((a, b) => compare(a.path, b.path));
  return { root: realRoot, files: loader.files, problems: loader.problems };
}

function repositoryRoot(root: string): string {
  let real: string;
  try {
    real = realpathSync(root);
  } catch (error) {
    throw new UserError(`cannot read the repository: ${describeErrno(error)}`, root);
  }
  if (!statSync(real).isDirectory()) throw new UserError('is not a directory', root);
  return real;
}

class Loader {
  readonly files: LoadedFile[] = [];
  readonly problems: Problem[] = [];
  private readonly listed: Array<{ absolute: string; source: string; path: string; kind: FileKind }> = [];
  private listingCut = false;

  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {}

  walk(dir: string, depth: number): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new UserError(`cannot read the folder: ${describeErrno(error)}`, this.display(dir));
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      // Skipped whatever they are: a node_modules linked from elsewhere is as much not ours as a real one.
      if (SKIPPED_FOLDERS.has(entry.name) && (entry.isDirectory() || entry.isSymbolicLink())) continue;
      if (depth === 0 && isLockFile(entry.name) && entry.isFile()) continue;
      if (entry.isDirectory()) {
        if (depth === 0 && entry.name === MANIFEST_FILE) this.report(absolute, 'is a folder; platform.yaml must be a file');
        if (depth >= MAX_FOLDER_DEPTH) this.report(absolute, `is nested more than ${MAX_FOLDER_DEPTH} folders deep; not checked`);
        else this.walk(absolute, depth + 1);
      } else if (entry.isSymbolicLink()) {
        this.link(absolute);
      } else if (entry.isFile()) {
        this.list(absolute, absolute);
      } else {
        // A FIFO would block the read forever, a device would stream: named, never opened.
        this.report(absolute, `is ${specialKind(entry)}, not a regular file; not read`);
      }
    }
  }

  /**
   * A link inside the repository to a file is checked as that file; a link to a folder is not walked (its
   * content is checked where it really is), unless it leads to a folder that contains it: a loop.
   */
  private link(absolute: string): void {
    let target: string;
    try {
      target = realpathSync(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') this.report(absolute, 'is a symbolic link in a loop; not followed');
      else if (code === 'ENOENT') this.report(absolute, 'is a symbolic link to a file that does not exist');
      else this.report(absolute, `is a symbolic link that cannot be followed (${describeErrno(error)})`);
      return;
    }
    if (!isInside(this.root, target)) {
      this.report(absolute, 'is a symbolic link that leads outside the repository; not followed');
      return;
    }
    const stat = statSync(target);
    if (stat.isDirectory()) {
      if (isInside(target, absolute)) this.report(absolute, 'is a symbolic link to a folder that contains it (a loop); not followed');
    } else if (stat.isFile()) {
      this.list(absolute, target);
    }
  }

  private list(absolute: string, source: string): void {
    if (this.listed.length >= MAX_LISTED) {
      if (!this.listingCut) this.report(absolute, `is past the first ${MAX_LISTED} files of the repository; it and the files listed after it are not checked`);
      this.listingCut = true;
      return;
    }
    const path = this.display(absolute);
    this.listed.push({ absolute, source, path, kind: classify(path) });
  }

  /** Read what was listed, the platform's files first, up to MAX_FILES. */
  readListed(): void {
    const recorded = this.listed.length > MAX_FILES ? this.recordedPaths() : new Set<string>();
    const rank = (entry: { path: string; kind: FileKind }): number => (recorded.has(entry.path) ? -1 : READ_ORDER.indexOf(entry.kind));
    const ordered = this.listed.sort((a, b) => rank(a) - rank(b) || compare(a.path, b.path));
    ordered.slice(0, MAX_FILES).forEach((entry) => this.read(entry.path, entry.kind, entry.source));
    const skipped = ordered.slice(MAX_FILES);
    if (skipped.length) {
      const first = skipped.reduce((a, b) => (compare(a.path, b.path) <= 0 ? a : b));
      const others = skipped.length === 1 ? 'is not checked' : `and ${skipped.length - 1} other files are not checked`;
      this.report(first.absolute, `${others}: only ${MAX_FILES} files of a repository are, platform.yaml, deploy/ and workflows first`);
    }
  }

  /** The files the generation record lists: read before any other, or a cut one would read as deleted (drift). */
  private recordedPaths(): Set<string> {
    const record = this.listed.find((entry) => entry.kind === 'record');
    if (!record) return new Set();
    try {
      const parsed = JSON.parse(readFileSync(record.source, 'utf8')) as Record<string, { files?: Record<string, unknown> } | undefined>;
      return new Set([record.path, ...Object.keys(parsed[RECORD_KEY]?.files ?? {})]);
    } catch {
      return new Set([record.path]);
    }
  }

  private read(path: string, kind: FileKind, source: string): void {
    let bytes: Buffer;
    try {
      const size = lstatSync(source).size;
      const tooLarge = sizeProblem(path, kind, size, this.maxBytes);
      if (tooLarge !== undefined) {
        if (tooLarge) this.problems.push(tooLarge);
        return;
      }
      bytes = readFileSync(source);
    } catch (error) {
      throw new UserError(`cannot read: ${describeErrno(error)}`, path);
    }
    const decoded = decodeText(path, kind, bytes);
    if (typeof decoded === 'string') this.files.push({ path, kind, text: decoded });
    else if (decoded) this.problems.push(decoded);
  }

  private report(absolute: string, message: string, range: Range = FILE_START): void {
    this.problems.push(problem(FILE_READABLE, this.display(absolute), range, message));
  }

  private display(absolute: string): string {
    return relative(this.root, absolute).split(sep).join('/') || '.';
  }
}

/**
 * The content rules, shared by files read from disk and in-memory trees: a file over the size limit or
 * with NUL bytes is not checked; for configuration files that is a problem, for other files (images,
 * archives) it is simply not text. `undefined`: the size is fine.
 */
export function sizeProblem(path: string, kind: FileKind, size: number, maxBytes: number): Problem | null | undefined {
  if (size <= maxBytes) return undefined;
  return kind === 'text' ? null : problem(FILE_READABLE, path, FILE_START, `is ${size} bytes, over the ${maxBytes}-byte limit; not checked`);
}

/** The text of a file, or the problem that keeps it from being checked (null: not text, not checked). */
export function decodeText(path: string, kind: FileKind, bytes: Uint8Array): string | Problem | null {
  const checked = kind !== 'text';
  if (bytes.indexOf(0) >= 0) return checked ? problem(FILE_READABLE, path, FILE_START, 'is a binary file, not text; not checked') : null;
  try {
    // ignoreBOM keeps a byte-order mark in the text, so that parsing can report it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return checked ? problem(FILE_READABLE, path, lineOfInvalidUtf8(bytes), 'is not valid UTF-8; not checked') : null;
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The line of the first byte that is not valid UTF-8 (the lenient decoder marks it with U+FFFD). */
function lineOfInvalidUtf8(bytes: Uint8Array): Range {
  const text = new TextDecoder('utf-8').decode(bytes);
  const at = text.indexOf('\ufffd');
  const line = at < 0 ? 1 : text.slice(0, at).split('\n').length;
  const column = at < 0 ? 1 : at - text.lastIndexOf('\n', at - 1);
  return { line, column, endLine: line, endColumn: column + 1 };
}

/** Plain code-unit order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function specialKind(entry: Dirent): string {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'a special file';
}
