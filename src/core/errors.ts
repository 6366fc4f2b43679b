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

/** A file system error in words ("no such file or folder"), not an errno code. */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a folder';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return code ?? (error as Error).message;
}
