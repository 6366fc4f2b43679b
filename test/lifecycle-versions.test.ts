import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { CHANGES_1_1_0, CHANGES_2_0_0, commitAll, editTemplates, generateFrom, git, publishVersion, snapshotTree, templateRepo, asGlobex, type TemplateRepo } from './helpers/template-repo.js';

/**
 * The lifecycle end to end on real git: an organization's template source ("globex", not the example
 * organization) published at 1.0.0, 1.1.0 and 2.0.0 (2.0.0 with a migration), repositories generated at
 * each with team edits in managed, merged and seeded files, upgraded to the newest.
 */
const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-platform'];
const ANSWERS = ['--name', 'svc', '--owner', 'team-a', '--description', 'A service', '--runtime', 'node', '--environments', 'dev,prod'];

let source: TemplateRepo;
let work: string;
const repos: Record<string, string> = {};

function generate(name: string, version: string, extra: string[] = []): string {
  return generateFrom(source.url, join(work, name), version, [...ANSWERS, ...extra]);
}

beforeAll(() => {
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  work = tempDir('platform-fleet-');
  source = templateRepo(asGlobex);
  publishVersion(source.work, '1.0.0');
  repos.a = generate('svc-a', '1.0.0');

  editTemplates(source.work, CHANGES_1_1_0);
  publishVersion(source.work, '1.1.0');
  repos.b = generate('svc-b', '1.1.0');
}, 180_000);

describe('template versions across a real git source', () => {
  it('records the organization\'s source, version and commit, and renders its settings, not the example ones', () => {
    const a = record(repos.a!);
    expect(a.source).toEqual({ spec: source.url, commit: git(source.work, 'rev-parse', 'v1.0.0^{commit}').trim() });
    expect(a.template).toEqual({ name: 'service', version: '1.0.0' });
    expect(read(repos.a!, '.github/CODEOWNERS')).toContain('@globex/team-a');
    expect(read(repos.a!, '.github/CODEOWNERS')).not.toContain('acme');
    expect(existsSync(join(repos.a!, '.dockerignore'))).toBe(true);
    expect(existsSync(join(repos.b!, '.dockerignore'))).toBe(false);
  });

  it('platform add renders from the recorded source, also offline, and fails naming the source it cannot reach', () => {
    const add = platform(['add', 'secret', 'sentry-dsn:SENTRY_DSN:a/sentry', '--dir', repos.b!]);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(read(repos.b!, 'deploy/argocd/dev.yaml')).toContain('globex');
    expect(read(repos.b!, 'deploy/argocd/dev.yaml')).not.toContain('acme');
    commitAll(repos.b!, 'Add a secret');

    // The remote gone, the cached checkout of the recorded commit still renders.
    renameSync(source.remote, `${source.remote}.away`);
    try {
      const offline = platform(['add', 'secret', 'other:OTHER:a/other', '--dir', repos.b!]);
      expect(offline.stderr).toBe('');
      expect(offline.status).toBe(0);
      git(repos.b!, 'checkout', '-q', '--', '.');
      git(repos.b!, 'clean', '-qfd');

      // With no cache either: a clear error naming the source, and nothing written.
      const before = snapshotTree(repos.b!);
      const unreachable = platform(['add', 'secret', 'third:THIRD:a/third', '--dir', repos.b!], { env: { XDG_CACHE_HOME: tempDir('platform-empty-cache-') } });
      expect(unreachable.status).toBe(2);
      expect(unreachable.stderr).toContain(source.url);
      expect(unreachable.stderr).not.toMatch(/\n\s+at /);
      expect(snapshotTree(repos.b!)).toEqual(before);
    } finally {
      renameSync(`${source.remote}.away`, source.remote);
    }
  });

  it('publish refuses a version whose examples do not validate, and leaves no tag and no change', () => {
    editTemplates(source.work, {
      'service/files/deploy/base/deployment.yaml': (text) => text.replace(/image: .*/, 'image: nginx:latest'),
    }, 'A change that breaks a policy');
    const before = snapshotTree(source.work);
    const run = platform(['publish', source.work, '--version', '2.0.0']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/service\/examples\/node-minimal\.yaml: deploy\/base\/deployment\.yaml:\d+:\d+: .*\[image-tag-pinned\]/);
    expect(run.stderr).toMatch(/platform: not published: \d+ findings? in 11 examples rendered at 2\.0\.0\n$/);
    expect(git(source.work, 'tag', '--list', 'v2.0.0')).toBe('');
    expect(snapshotTree(source.work)).toEqual(before);
    git(source.work, 'revert', '--no-edit', 'HEAD');
  });

  it('publish refuses a dirty tree and a version not above the newest tag', () => {
    expect(platform(['publish', source.work, '--version', '1.1.0'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--version 1.1.0: not greater than the newest tag v1.1.0') });
    writeFileSync(join(source.work, 'settings.yaml'), `${read(source.work, 'settings.yaml')}# wip\n`);
    expect(platform(['publish', source.work, '--version', '3.0.0'])).toMatchObject({ status: 2, stderr: expect.stringContaining('has uncommitted changes') });
    git(source.work, 'checkout', '--', 'settings.yaml');
  });

  it('publishes 2.0.0 with a migration: changelog, version, tag and push', () => {
    editTemplates(source.work, CHANGES_2_0_0);
    const run = publishVersion(source.work, '2.0.0');
    expect(run.stdout).toContain('## service 2.0.0');
    expect(run.stdout).toContain('set metadata.description to "A service on the golden path" where it is missing');
    const changelog = read(source.work, 'CHANGELOG.md');
    expect(changelog).toMatch(/### node-minimal\n\n- added `.github\/pull_request_template.md` \(\+3\)\n(- changed .*\n)*- changed `Dockerfile` \(\+1 -1\)\n/);
    expect(changelog.indexOf('## service 2.0.0')).toBeLessThan(changelog.indexOf('## service 1.1.0'));
    expect(changelog).toMatch(/## service 1\.1\.0[^]*- added `docs\/runbook.md` \(\+3\)[^]*- changed `deploy\/base\/service.yaml` \(\+1 -0\)[^]*- removed `.dockerignore`/);
    const entries = JSON.parse(read(source.work, 'CHANGELOG.json')).entries;
    expect(entries.map((entry: { version: string }) => entry.version)).toEqual(['2.0.0', '1.1.0', '1.0.0']);
    expect(read(source.work, 'service/template.yaml')).toMatch(/^version: 2\.0\.0$/m);
    expect(git(source.remote, 'tag', '--list')).toBe('v1.0.0\nv1.1.0\nv2.0.0\n');
    expect(git(source.work, 'status', '--porcelain')).toBe('');
  });

  it('publish refuses a migration that would leave repositories with an invalid platform.yaml', () => {
    editTemplates(source.work, { 'service/template.yaml': (text) => `${text}  - from: "<3.0.0"\n    drop: spec.runtime\n` }, 'A migration that breaks manifests');
    const run = platform(['publish', source.work, '--version', '3.0.0']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('service/examples/node-minimal.yaml: after the migrations (drop spec.runtime): spec: missing required field "runtime"');
    expect(git(source.work, 'tag', '--list', 'v3.0.0')).toBe('');
    git(source.work, 'revert', '--no-edit', 'HEAD');
  });
});
