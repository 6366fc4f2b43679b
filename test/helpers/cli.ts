import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real `platform` command as a child process with no terminal (stdin closed), as CI would. */
export function platform(args: string[], options: { cwd?: string; input?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'platform.cjs'), ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
