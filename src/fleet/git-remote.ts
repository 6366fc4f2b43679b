import { execFile } from 'node:child_process';
import { gitReason } from '../source/git-command.js';

/**
 * git against a repository on GitHub with the token as an HTTP header, as actions/checkout passes it:
 * in git's environment (GIT_CONFIG_COUNT), so it is in no URL, no command line that `ps` shows, no
 * file of the clone, and no message (a failure's text is cleaned of it before it leaves here).
 */
export class RemoteGit {
  private readonly secrets: string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(token: string | undefined, identity: { name: string; email: string }) {
    const config: Array<[string, string]> = [
      ['core.autocrlf', 'false'],
      ['core.eol', 'lf'],
      ['advice.detachedHead', 'false'],
      ['init.defaultBranch', 'main'],
    ];
    const basic = token ? Buffer.from(`x-access-token:${token}`).toString('base64') : undefined;
    if (basic) config.push(['http.extraheader', `AUTHORIZATION: basic ${basic}`]);
    this.secrets = [token, basic].filter((secret): secret is string => Boolean(secret));
    this.env = {
      ...process.env,
      // Nobody is at a terminal to type credentials: a refused token fails instead of waiting.
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      GIT_CONFIG_COUNT: String(config.length),
      ...Object.fromEntries(config.flatMap(([key, value], index) => [[`GIT_CONFIG_KEY_${index}`, key], [`GIT_CONFIG_VALUE_${index}`, value]])),
    };
  }

  /** Run git in `cwd`; a failure is a RemoteGitError with git's reason, the token taken out. */
  run(cwd: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('git', args, { cwd, env: this.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        reject(new RemoteGitError(this.redact(reasonOf(stderr || error.message)), this.redact(stderr)));
      });
    });
  }

  /** A text with every form of the token replaced. */
  redact(text: string): string {
    let clean = text;
    for (const secret of this.secrets) clean = clean.split(secret).join('***');
    return clean;
  }
}

export class RemoteGitError extends Error {
  constructor(
    readonly reason: string,
    readonly output: string,
  ) {
    super(reason);
    this.name = 'RemoteGitError';
  }
}

/**
 * What a person needs of git's output: a refused push says why in the remote's own lines (a pre-receive
 * hook, branch protection) and then `! [remote rejected]`; anything else, its fatal line.
 */
function reasonOf(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const remote = lines.filter((line) => line.startsWith('remote:')).map((line) => line.replace(/^remote:\s*/, '')).filter(Boolean);
  const rejected = lines.find((line) => line.startsWith('! ['));
  if (rejected) {
    const why = /\(([^)]*)\)\s*$/.exec(rejected)?.[1] ?? 'rejected';
    return `push refused: ${[...remote, why].join('; ')}`;
  }
  return gitReason(new Error(output));
}
