import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAsync as platformChild } from './helpers/cli.js';
import { FakeGitHub } from './helpers/fake-github.js';
import { generateService } from './helpers/fleet.js';
import { escaped, LATEST } from './helpers/local-fleet.js';
import { tempDir } from './helpers/repo.js';
import { commitAll, git } from './helpers/template-repo.js';

/**
 * `platform rollout` and `platform report --merge` as a platform team runs them: the real command in a
 * child process, its credentials and API URL from the environment, against the fake GitHub. Versions
 * are the embedded templates' released 1.0.0 and the current one.
 */
const TOKEN = 'ghp_cli-secret-77';
const fake = new FakeGitHub(TOKEN);
const out = tempDir('fleet-cli-out-');

function platform(args: string[], env: NodeJS.ProcessEnv = {}) {
  return platformChild(args, { env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: TOKEN, ...env } });
}

beforeAll(async () => {
  await fake.start();
  const parent = tempDir('fleet-cli-');
  for (const name of ['api', 'worker', 'jobs']) fake.addRepository({ name, from: await generateService(name, '1.0.0', { parent }) });
  fake.addRepository({ name: 'portal', from: await generateService('portal', LATEST, { parent }) });
  const docs = join(parent, 'docs');
  git(parent, 'init', '-q', '-b', 'main', docs);
  writeFileSync(join(docs, 'README.md'), '# docs\n');
  commitAll(docs, 'README');
  fake.addRepository({ name: 'docs', from: docs });
}, 120_000);
afterAll(() => fake.close());

describe('platform rollout (the command)', () => {
  it('--dry-run: a JSON line per repository on stderr, the report on stdout, nothing written, no token anywhere', async () => {
    const before = fake.snapshot();
    fake.resetRequests();
    const run = await platform(['rollout', '--org', 'acme', '--dry-run', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(fake.writes()).toEqual([]);
    expect(fake.snapshot()).toBe(before);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ kind: 'platform-rollout-report/v1', org: 'acme', dryRun: true, totals: { 'would-open': 3, current: 1, skipped: 1 } });
    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ event: 'discovered', repositories: 5, behind: 3 });
    expect(lines.slice(1).map((line) => line.repository).sort()).toEqual(['acme/api', 'acme/docs', 'acme/jobs', 'acme/portal', 'acme/worker']);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
  });

  it('as a GitHub App: the installation token is minted from the key file and used for the API and for git', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const keyFile = join(out, 'app.pem');
    writeFileSync(keyFile, privateKey);
    fake.resetRequests();
    const run = await platform(['rollout', '--org', 'acme', '--dry-run', '--repo', 'api'], { GITHUB_TOKEN: '', GITHUB_APP_ID: '4242', GITHUB_APP_PRIVATE_KEY: keyFile, GITHUB_APP_INSTALLATION_ID: '99' });
    expect(run.stderr.split('\n')[0]).toBe('{"event":"discovered","repositories":1,"behind":1}');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`acme/api +1\\.0\\.0 -> ${escaped(LATEST)} +would-open\n`));
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/app/installations/99/access_tokens' });
    const minted = fake.requests.filter((request) => request.kind !== 'git' && request.path.startsWith('/') && !request.path.startsWith('/app/')).map((request) => request.authorization);
    expect(minted.length).toBeGreaterThan(0);
    expect(minted.every((header) => /^token ghs_minted-\d+$/.test(header ?? ''))).toBe(true);
    const token = minted[0]!.replace('token ', '');
    const git = fake.requests.filter((request) => request.kind === 'git');
    expect(git.length).toBeGreaterThan(0);
    expect(git.every((request) => request.authorization === `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`)).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toContain(token);
  });

  it('two shards cover the organization exactly once, and --merge makes one report of them', async () => {
    const files = [1, 2].map((index) => join(out, `shard-${index}.json`));
    const runs = await Promise.all(files.map((file, index) => platform(['rollout', '--org', 'acme', '--shard', `${index + 1}/2`, '--format', 'json', '--output', file])));
    for (const run of runs) {
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^rollout of acme \(shard \d\/2\): \d repositories/);
      expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    }
    const shards = files.map((file) => JSON.parse(readFileSync(file, 'utf8')).repositories.map((result: { repository: string }) => result.repository));
    expect([...shards[0], ...shards[1]].sort()).toEqual(['acme/api', 'acme/docs', 'acme/jobs', 'acme/portal', 'acme/worker']);
    expect(fake.pulls.map((pull) => `${pull.repo} ${pull.head}`).sort()).toEqual(['api', 'jobs', 'worker'].map((repo) => `${repo} platform/upgrade-v${LATEST}`));

    const merged = await platform(['report', '--merge', ...files, '--format', 'json']);
    expect(merged.status).toBe(0);
    const report = JSON.parse(merged.stdout);
    expect(report.shards).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(report.totals).toEqual({ opened: 3, current: 1, skipped: 1 });
    const markdown = await platform(['report', '--merge', ...files, '--format', 'markdown']);
    expect(markdown.stdout).toContain('## Template rollout: acme');
    expect(markdown.stdout).toMatch(new RegExp(`\\| acme/api \\| 1\\.0\\.0 \\| ${escaped(LATEST)} \\| opened \\| \\[#\\d+\\]\\(http://127\\.0\\.0\\.1:\\d+/acme/api/pull/\\d+\\) \\| {2}\\| {2}\\|`));
    expect(markdown.stdout).toContain('1 repositories already current and 1 skipped');

    // A shard given twice overlaps itself: refused, naming the file, nothing printed.
    const twice = await platform(['report', '--merge', files[0]!, files[0]!]);
    expect(twice.status).toBe(2);
    expect(twice.stdout).toBe('');
    expect(twice.stderr).toMatch(new RegExp(`^platform: ${files[0]!.replace(/[.]/g, '\\.')}: acme/\\S+ is also in .*: the shards overlap \\(run every shard with the same N\\)\\n$`));
  });

  it('run again: the text report says unchanged, and nothing is written', async () => {
    fake.resetRequests();
    const run = await platform(['rollout', '--org', 'acme']);
    expect(run.status).toBe(0);
    expect(fake.writes()).toEqual([]);
    expect(run.stdout).toMatch(/^rollout of acme: 5 repositories: 3 unchanged, 1 current, 1 skipped\n/);
    expect(run.stdout).toMatch(new RegExp(`acme/api +1\\.0\\.0 -> ${escaped(LATEST)} +unchanged +http://127\\.0\\.0\\.1:\\d+/acme/api/pull/\\d+\n`));
    expect(run.stdout).toMatch(/acme\/docs +- +skipped +no platform\.yaml\n/);
  });

  it('refuses bad input in one line, exit 2, without writing the output file', async () => {
    const output = join(out, 'never.json');
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['rollout', '--org', 'acme', '--shard', '3/2', '--output', output], {}, /^platform: --shard 3\/2: not a shard such as 1\/4 \(I from 1 to N\)\n$/],
      [['rollout', '--org', 'acme', '--concurrency', '0', '--output', output], {}, /^platform: --concurrency 0: expected a whole number from 1 to 64\n$/],
      [['rollout', '--org', 'acme', '--to', 'v2', '--output', output], {}, /^platform: --to v2: not a version such as 1\.2\.0\n$/],
      [['rollout', '--org', 'acme', '--output', output], { GITHUB_TOKEN: '' }, /^platform: no credentials: set GITHUB_TOKEN/],
      [['rollout', '--org', 'nobody', '--output', output], {}, /^platform: no organization or user nobody on GitHub \(or the token cannot see it\)\n$/],
      [['rollout', '--org', 'acme', '--output', output], { GITHUB_TOKEN: 'ghp_wrong' }, /^platform: cannot list the repositories of acme: GitHub's API refused the credentials \(HTTP 401\): Bad credentials\n$/],
    ];
    for (const [args, env, message] of cases) {
      const run = await platform(args, env);
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
    }
    expect(existsSync(output)).toBe(false);
    const notReport = join(out, 'not-a-report.json');
    writeFileSync(notReport, '{"hello": 1}');
    const merge = await platform(['report', '--merge', notReport]);
    expect(merge.stderr).toBe(`platform: ${notReport}: is not a JSON report of platform rollout (--format json)\n`);
    expect(merge.status).toBe(2);
  });
});
