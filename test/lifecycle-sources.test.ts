import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../src/source/index.js';
import { platform, type CliRun } from './helpers/cli.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { asGlobex, CHANGES_1_1_0, editTemplates, git, publishVersion, snapshotTree, templateRepo, type TemplateRepo } from './helpers/template-repo.js';

/**
 * What `--source` and `--version` record and refuse on the command line: a relative path becomes absolute
 * (later commands run from anywhere), a version the source lacks or a source out of reach is one line and
 * nothing written. The source is an organization's ("globex") git repository at 1.0.0 and 1.1.0.
 */
const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-platform'];
const ANSWERS = ['--name', 'svc', '--owner', 'team-a', '--description', 'A service', '--runtime', 'node', '--environments', 'dev,prod'];
/** Nothing listens on port 9: git fails at once, without asking anyone for a password. */
const UNREACHABLE = 'https://deploy:s3cret@127.0.0.1:9/platform/templates.git';
const UNREACHABLE_SHOWN = 'https://127.0.0.1:9/platform/templates.git';

let source: TemplateRepo;
let commits: Record<string, string>;
/** Where the commands are typed: a folder beside the source's, so `../` reaches it. */
let shell: string;
/** Another folder, to run the later commands from. */
let elsewhere: string;

beforeAll(() => {
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  source = templateRepo(asGlobex);
  publishVersion(source.work, '1.0.0');
  editTemplates(source.work, CHANGES_1_1_0);
  publishVersion(source.work, '1.1.0');
  commits = Object.fromEntries(['1.0.0', '1.1.0'].map((version) => [version, git(source.work, 'rev-parse', `v${version}^{commit}`).trim()]));
  shell = tempDir('platform-shell-');
  elsewhere = tempDir('platform-elsewhere-');
}, 180_000);

const ok = (run: CliRun): CliRun => {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run;
};

/** Exit 2 with exactly one line on stderr, no stack. */
const oneLineError = (run: CliRun): string => {
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr.endsWith('\n')).toBe(true);
  return run.stderr.trimEnd();
};

describe('platform new --source with a relative path', () => {
  it('records the git source by its absolute path, and later commands use it from any folder', () => {
    const relativeSource = relative(shell, source.work);
    expect(relativeSource).toMatch(/^\.\.\//);
    ok(platform(['new', 'svc', '--source', relativeSource, '--version', '1.0.0', ...ANSWERS], { cwd: shell }));
    const repo = join(shell, 'svc');
    expect(record(repo).source).toEqual({ spec: source.work, commit: commits['1.0.0'] });

    ok(platform(['add', 'secret', 'api-token:API_TOKEN:svc/api', '--dir', repo], { cwd: elsewhere }));
    expect(read(repo, 'deploy/argocd/dev.yaml')).toContain('globex');
    expect(record(repo).source).toEqual({ spec: source.work, commit: commits['1.0.0'] });

    const check = platform(['check', repo, '--ignore', 'outdated'], { cwd: elsewhere });
    expect(check.stdout.split('\n')[0]).toBe(`template service@1.0.0, latest is 1.1.0, from ${source.work}`);
    expect(check.status).toBe(0);

    ok(platform(['upgrade', repo], { cwd: elsewhere }));
    expect(record(repo).source).toEqual({ spec: source.work, commit: commits['1.1.0'] });
    expect(record(repo).template.version).toBe('1.1.0');
  });

  it('records a plain folder by its absolute path too', () => {
    const folder = join(elsewhere, 'team-templates');
    cpSync(join(repoRoot, 'templates'), folder, { recursive: true });
    ok(platform(['new', 'from-folder', '--source', relative(shell, folder), ...ANSWERS], { cwd: shell }));
    expect(record(join(shell, 'from-folder')).source).toEqual({ spec: folder, commit: null });
  });

  it('takes a relative --source of add and upgrade from where they run, not from --dir, and records it absolute', () => {
    const repo = join(elsewhere, 'svc-b');
    ok(platform(['new', repo, '--source', source.url, '--version', '1.0.0', ...ANSWERS]));
    expect(record(repo).source.spec).toBe(source.url);
    // The same repository under another name (a mirror, a checkout of the team's own).
    ok(platform(['add', 'secret', 'api-token:API_TOKEN:svc/api', '--dir', repo, '--source', relative(shell, source.work)], { cwd: shell }));
    expect(record(repo).source).toEqual({ spec: source.work, commit: commits['1.0.0'] });
  });
});

describe('a source that cannot be reached', () => {
  it('platform new: exit 2, one line naming the source without its credentials, nothing written', () => {
    const parent = tempDir('platform-unreachable-');
    const error = oneLineError(platform(['new', join(parent, 'svc'), '--defaults', '--source', UNREACHABLE]));
    expect(error).toMatch(new RegExp(`^platform: cannot reach template source ${UNREACHABLE_SHOWN.replace(/[.]/g, '\\.')}: `));
    expect(error).not.toContain('s3cret');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('platform new from a file:// URL that is no repository: the same', () => {
    const parent = tempDir('platform-unreachable-');
    const url = `file://${join(parent, 'missing.git')}`;
    expect(oneLineError(platform(['new', join(parent, 'svc'), '--defaults', '--source', url]))).toMatch(`platform: cannot reach template source ${url}: `);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('platform upgrade --source: the same, and the repository unchanged', () => {
    const repo = join(tempDir('platform-unreachable-'), 'svc');
    ok(platform(['new', repo, '--source', source.url, '--version', '1.0.0', ...ANSWERS]));
    const before = snapshotTree(repo);
    const error = oneLineError(platform(['upgrade', repo, '--source', UNREACHABLE]));
    expect(error).toContain(UNREACHABLE_SHOWN);
    expect(error).not.toContain('s3cret');
    expect(snapshotTree(repo)).toEqual(before);
  });
});

describe('platform new --version', () => {
  it('on the embedded source, refuses a version it does not have, listing those it has, and writes nothing', async () => {
    const versions = await (await openSource('embedded')).versions();
    const parent = tempDir('platform-version-');
    const error = oneLineError(platform(['new', join(parent, 'svc'), '--defaults', '--version', '9.9.9']));
    expect(error).toBe(`platform: template source embedded has no version 9.9.9 (it has versions ${versions.join(', ')})`);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('on a git source, renders the older version asked for, and refuses one it does not have', () => {
    const parent = tempDir('platform-version-');
    ok(platform(['new', join(parent, 'old'), '--source', source.url, '--version', '1.0.0', ...ANSWERS]));
    ok(platform(['new', join(parent, 'new'), '--source', source.url, ...ANSWERS]));
    // 1.1.0 dropped .dockerignore and labels the Service with part-of.
    expect(existsSync(join(parent, 'old', '.dockerignore'))).toBe(true);
    expect(existsSync(join(parent, 'new', '.dockerignore'))).toBe(false);
    expect(read(join(parent, 'old'), 'deploy/base/service.yaml')).not.toContain('app.kubernetes.io/part-of');
    expect(read(join(parent, 'new'), 'deploy/base/service.yaml')).toContain('app.kubernetes.io/part-of');
    expect([record(join(parent, 'old')).template.version, record(join(parent, 'new')).template.version]).toEqual(['1.0.0', '1.1.0']);

    const error = oneLineError(platform(['new', join(parent, 'none'), '--source', source.url, '--version', '0.9.0', ...ANSWERS]));
    expect(error).toBe(`platform: template source ${source.url} has no version 0.9.0 (it has versions 1.0.0, 1.1.0)`);
    expect(existsSync(join(parent, 'none'))).toBe(false);
    expect(readdirSync(dirname(join(parent, 'none'))).sort()).toEqual(['new', 'old']);
  });
});
