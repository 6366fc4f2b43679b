/**
 * The one way this package runs git (through simple-git): a missing git becomes a UserError saying so,
 * and any other failure a GitFailure carrying git's first line, without credentials, for the caller to
 * turn into a message about the source.
 */
import { simpleGit } from 'simple-git';
import { UserError } from '../core/errors.js';
import { redactCredentials } from './spec.js';

/**
 * Checkouts must be the bytes of the commit whatever the user's git settings (no line-ending
 * conversion), and detaching is what we mean, not something to advise about. Passed as `-c` options:
 * simple-git refuses an environment given to it on some machines, and the inherited one is enough.
 */
const CONFIG = ['core.autocrlf=false', 'core.eol=lf', 'advice.detachedHead=false'];

export class GitFailure extends Error {
  constructor(readonly firstLine: string) {
    super(firstLine);
    this.name = 'GitFailure';
  }
}

export async function git(args: string[], cwd: string, display: string): Promise<string> {
  // With nobody at a terminal (CI, a rollout), a source that asks for credentials must fail, not wait for them.
  if (!process.stdin.isTTY) process.env.GIT_TERMINAL_PROMPT ??= '0';
  try {
    return await simpleGit({ baseDir: cwd, config: CONFIG }).raw(args);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/spawn \S*git\S* ENOENT/.test(message)) {
      throw new UserError(`git is needed to use the template source ${display}: install git and make sure it is on PATH`);
    }
    throw new GitFailure(gitReason(error));
  }
}

/** git's message without its `fatal:` prefix and without credentials: the line that says what went wrong. */
export function gitReason(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((candidate) => /^(fatal|error):/.test(candidate)) ?? lines[0] ?? 'git failed';
  return redactCredentials(line.replace(/^(fatal|error):\s*/, ''));
}
