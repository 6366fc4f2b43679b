/**
 * Real git repositories of templates for the source tests: this package's templates/ copied in, one
 * commit and tag per version (each with its own README line, so a test can tell versions apart), and a
 * bare remote to clone by file:// URL.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { templatesDir } from '../../src/core/paths.js';
import { repoRoot } from './repo.js';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();
}

export interface Release {
  /** What template.yaml says. */
  version: string;
  /** The tag, when not `v<version>`. */
  tag?: string;
}

/** The README line of each version, to tell which version's files were loaded. */
export const readmeLine = (version: string): string => `Templates release ${version}`;

/** Write templates/ at `version` into `dir/<subdir>` and commit it. */
export function commitVersion(repo: string, version: string, subdir = ''): string {
  const root = join(repo, subdir);
  mkdirSync(root, { recursive: true });
  // The package's changelog tells the package's releases, not this repository's: it is not copied.
  cpSync(templatesDir, root, { recursive: true, filter: (source) => !/[\\/]CHANGELOG\.(md|json)$/.test(source) });
  const templateFile = join(root, 'service', 'template.yaml');
  writeFileSync(templateFile, readFileSync(templateFile, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  writeFileSync(join(root, 'service', 'files', 'README.md'), `${readmeLine(version)}\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', `Release ${version}`);
  return git(repo, 'rev-parse', 'HEAD');
}

/** A repository with one commit and tag per release; returns the commit of each tag. */
export function templateRepo(repo: string, releases: Release[], subdir = ''): Map<string, string> {
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q');
  const commits = new Map<string, string>();
  for (const release of releases) {
    const tag = release.tag ?? `v${release.version}`;
    commits.set(tag, commitVersion(repo, release.version, subdir));
    git(repo, 'tag', '-a', '-m', tag, tag);
  }
  return commits;
}

/** A bare copy of `repo`, as a file:// URL: a remote like any other, that a test can take away. */
export function bareRemote(repo: string, at: string): string {
  execFileSync('git', ['clone', '-q', '--bare', repo, at]);
  return pathToFileURL(at).href;
}

/** Run `script` (ESM, with `openSource` in scope) in a fresh node against the built library, with `env`. */
export function runNode(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const library = pathToFileURL(join(repoRoot, 'dist', 'src', 'source', 'index.js')).href;
  const code = `const { openSource } = await import(${JSON.stringify(library)});\n${script}`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (exit) => resolve({ code: exit, stdout, stderr }));
  });
}
