import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import { platform, type CliRun } from './cli.js';
import { repoRoot, tempDir } from './repo.js';
import { withMigrations } from './migrations.js';

/**
 * Real git for the lifecycle tests: a template source repository (a copy of this package's templates)
 * with a bare remote, and helpers to edit, commit and publish versions of it. Commits need an identity:
 * the environment gives one to every git and `platform` child process.
 */
process.env.GIT_AUTHOR_NAME = 'Platform Test';
process.env.GIT_AUTHOR_EMAIL = 'platform-test@example.com';
process.env.GIT_COMMITTER_NAME = 'Platform Test';
process.env.GIT_COMMITTER_EMAIL = 'platform-test@example.com';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TemplateRepo {
  /** The platform team's working copy: the source folder `platform publish` runs in. */
  work: string;
  /** The bare remote it pushes to, as a file:// URL that repositories record. */
  url: string;
  remote: string;
}

/** A template source repository holding this package's templates, with `edit` applied to its settings. */
export function templateRepo(editSettings: (text: string) => string = (text) => text): TemplateRepo {
  const base = tempDir('platform-source-');
  const remote = join(base, 'templates.git');
  const work = join(base, 'work');
  git(base, 'init', '-q', '--bare', '-b', 'main', remote);
  git(base, 'clone', '-q', remote, work);
  cpSync(join(repoRoot, 'templates'), work, { recursive: true });
  // A new source starts its own history: the package's changelog is the package's releases, not its.
  for (const file of ['CHANGELOG.md', 'CHANGELOG.json']) rmSync(join(work, file), { force: true });
  const settings = editSettings(readFileSync(join(work, 'settings.yaml'), 'utf8'));
  writeFileSync(join(work, 'settings.yaml'), settings);
  // The examples are the organization's manifests: their API group follows its domain, as a team's do.
  const domain = /^  domain: (\S+)$/m.exec(settings)![1]!;
  const examples = join(work, 'service', 'examples');
  for (const example of readdirSync(examples)) {
    const file = join(examples, example);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^apiVersion: platform\.acme\.dev\/v1$/m, `apiVersion: platform.${domain}/v1`));
  }
  commitAll(work, 'The organization\'s templates');
  git(work, 'push', '-q', 'origin', 'HEAD:main');
  return { work, remote, url: `file://${remote}` };
}

/** Another organization's settings: every "acme" but the settings file's own apiVersion, which is the package's. */
export function asGlobex(settings: string): string {
  return settings.replace(/acme(?!\.dev\/v1)/g, 'globex');
}

/** Change files (path -> new text, or a function of the old text, or null to delete) and commit. */
export function editTemplates(work: string, edits: Record<string, string | null | ((text: string) => string)>, message = 'Change the templates'): void {
  for (const [path, edit] of Object.entries(edits)) {
    const file = join(work, path);
    if (edit === null) rmSync(file);
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, typeof edit === 'function' ? edit(readFileSync(file, 'utf8')) : edit);
    }
  }
  commitAll(work, message);
}

export function commitAll(cwd: string, message: string): void {
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '--allow-empty', '-m', message);
}

/** What 1.1.0 changes: a managed file, a new seeded file, a dropped managed file. */
export const CHANGES_1_1_0: Record<string, string | null | ((text: string) => string)> = {
  'service/files/deploy/base/service.yaml': (text) => text.replace('  labels:\n', '  labels:\n    app.kubernetes.io/part-of: <%= q(name) %>\n'),
  'service/files/docs/runbook.md': '# <%= name %> runbook\n\nWhat to do when it pages.\n',
  'service/files/.dockerignore': null,
};

/** What 2.0.0 changes: a migration, a line of a merged file, a new managed file. */
export const CHANGES_2_0_0: Record<string, string | null | ((text: string) => string)> = {
  'service/template.yaml': (text) =>
    withMigrations(
      text.replace('  - { pattern: "**", mode: seeded }', '  - { pattern: ".github/pull_request_template.md", mode: managed }\n  - { pattern: "**", mode: seeded }'),
      'migrations:\n  - from: "<2.0.0"\n    default: { path: metadata.description, value: "A service on the golden path" }\n',
    ),
  'service/runtimes/node/Dockerfile': (text) => text.replace('CMD ["node", "src/main.js"]', 'CMD ["node", "--enable-source-maps", "src/main.js"]'),
  'service/files/.github/pull_request_template.md': '## What changes\n\n## How it was tested\n',
};

/** `platform new` into `dir` from `url` at `version` with `args`, then a git repository with it committed (a clean tree). */
export function generateFrom(url: string, dir: string, version: string, args: string[]): string {
  const run = platform(['new', dir, '--source', url, '--version', version, ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'Generated');
  return dir;
}

export function publishVersion(work: string, version: string): CliRun {
  const run = platform(['publish', work, '--version', version]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run;
}

/** Every file below `dir` (but .git) with its bytes: two snapshots are equal when nothing changed. */
export function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      if (entry === '.git') continue;
      const full = join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full)] = readFileSync(full, 'latin1');
    }
  };
  walk(dir);
  return files;
}
