/**
 * A mistake of the user's (bad input, a file that cannot be read, a usage error): printed as one line,
 * never with a stack trace. Anything else that escapes is a bug in this tool.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** `file:line:column: message`, with whatever location is known. */
  override toString(): string {
    const where = [this.file, this.line, this.column].filter((part) => part !== undefined).join(':');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** What a file system error code means, in the words a person would use. */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'not a folder',
  EISDIR: 'is a folder, not a file',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder is not empty',
  EBUSY: 'busy (in use, or a mount point)',
  EXDEV: 'on another file system',
  ELOOP: 'too many symbolic links (a loop?)',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENXIO: 'no such device',
  EFBIG: 'file too large',
  EMLINK: 'too many links',
  EAGAIN: 'temporarily unavailable',
};

/** A file system error in words ("no such file or folder"), not an errno code. */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && ERRNO_WORDS[code]) ?? code ?? (error as Error).message;
}
