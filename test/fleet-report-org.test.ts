/**
 * `platform report --org ORG` against the fake GitHub (test/helpers/fake-github.ts): the fleet of
 * test/helpers/local-fleet.ts pushed to bare repositories behind it, one with a `platform validate`
 * SARIF in code scanning, two with an open upgrade pull request, one without platform.yaml.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platform, platformAsync } from './helpers/cli.js';
import { FakeGitHub } from './helpers/fake-github.js';
import { behindLatest, dayFromToday, escaped, LATEST, makeFleet, type Fleet } from './helpers/local-fleet.js';
import { commitAll, git } from './helpers/template-repo.js';
import type { FleetReport } from '../src/fleet/report/types.js';

const TOKEN = 'ghp_report-secret-42';
const fake = new FakeGitHub(TOKEN);
let fleet: Fleet;

function report(args: string[]) {
  return platformAsync(['report', '--org', 'acme', ...args], { env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: TOKEN } });
}

const PULL_DAY = '2026-12-01';
const daysSince = (day: string): number => Math.round((Date.parse(`${dayFromToday(0)}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);

beforeAll(async () => {
  await fake.start();
  fleet = makeFleet();
  for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'not-a-repo']) {
    const dir = join(fleet.root, name);
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'As the team has it');
    fake.addRepository({ name: name === 'not-a-repo' ? 'docs' : name, from: dir });
  }
  // charlie's checks upload their SARIF: the report reads it instead of cloning.
  const sarif = platform(['validate', join(fleet.root, 'charlie'), '--format', 'sarif']);
  expect(sarif.status).toBe(1);
  fake.addAnalysis('charlie', JSON.parse(sarif.stdout));
  // Upgrade pull requests of a rollout, and one of a person's that is not.
  for (const [repo, number, head] of [['alpha', 7, 'platform/upgrade-v1.1.0'], ['delta', 9, 'platform/upgrade-v1.1.0'], ['delta', 4, 'feature/cache']] as const) {
    fake.pulls.push({ number, owner: 'acme', repo, title: `Upgrade template service from 1.0.0 to 1.1.0`, body: '', head, base: 'main', draft: false, state: 'open', labels: [] });
  }
}, 180_000);
afterAll(() => fake.close());

describe('platform report --org', () => {
  let json: FleetReport;
  const repository = (name: string) => json.repositories.find((entry) => entry.name === `acme/${name}`)!;

  it('reports every repository of the organization, each from its record, pull requests and findings', async () => {
    const run = await report(['--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    json = JSON.parse(run.stdout) as FleetReport;
    expect(json.scope).toBe('acme');
    expect(json.repositories.map((entry) => entry.name)).toEqual(['acme/alpha', 'acme/bravo', 'acme/charlie', 'acme/delta', 'acme/docs', 'acme/echo']);
    expect(repository('docs')).toEqual({ name: 'acme/docs', location: `${fake.url}/acme/docs`, error: 'not a platform repository: no .yo-rc.json on main' });
    expect(repository('alpha')).toMatchObject({ owner: 'team-payments', version: '1.0.0', latest: LATEST, behind: { versions: behindLatest().versions, days: behindLatest().days } });
    // The newest upgrade pull request, not a person's.
    expect(repository('alpha').pullRequest).toEqual({ number: 7, url: `${fake.url}/acme/alpha/pull/7`, title: 'Upgrade template service from 1.0.0 to 1.1.0', openedAt: '2026-12-01T00:00:00Z', ageDays: daysSince(PULL_DAY) });
    expect(repository('delta').pullRequest).toMatchObject({ number: 9 });
    expect(repository('bravo').pullRequest).toBeNull();
  });

  it('takes the findings from code scanning where there is an analysis, else from validating a shallow clone', () => {
    expect(repository('charlie').findings).toEqual({ from: 'code-scanning', bySeverity: { error: 1, warning: 0, info: 0 }, waived: 0, byPolicy: { 'managed-file-drift': { severity: 'error', open: 1, waived: 0 } } });
    expect(repository('charlie').drift).toEqual(['deploy/base/deployment.yaml']);
    expect(repository('delta').findings).toMatchObject({ from: 'validate', bySeverity: { error: 2, warning: 1, info: 0 }, waived: 2 });
    expect(repository('delta').waivers!.map((waiver) => [waiver.policy, waiver.daysLeft])).toEqual([['actions-pinned', 10], ['workflow-permissions', 200]]);
    const clones = new Set(fake.requests.filter((request) => request.kind === 'git').map((request) => request.path.split('/')[2]));
    expect([...clones].sort()).toEqual(['alpha.git', 'bravo.git', 'delta.git', 'echo.git']);
    expect(json.fleet).toMatchObject({ repositories: 6, failed: 1, versions: [{ version: LATEST, repositories: 3 }, { version: '1.0.0', repositories: 2 }] });
  });

  it('text and markdown show the upgrade pull requests, and the token appears nowhere', async () => {
    const text = await report([]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^acme/alpha +team-payments +1\\.0\\.0 +${behindLatest().words} +#7 \\(${daysSince(PULL_DAY)} days?\\) +0 +0 +0 +0 +0$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^acme/bravo +team-payments +${escaped(LATEST)} +current +none +0`, 'm'));
    const markdown = await report(['--format', 'markdown']);
    expect(markdown.stdout).toContain(`| acme/delta | team-ledger | 1.0.0 | ${behindLatest().words} | [#9 (${daysSince(PULL_DAY)} day${daysSince(PULL_DAY) === 1 ? '' : 's'})](${fake.url}/acme/delta/pull/9) | 2 | 1 | 0 | 2 | 0 |`);
    for (const run of [text, markdown]) expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    // Every request carried the token; none wrote anything.
    expect(fake.writes()).toEqual([]);
  });

  it('an organization GitHub does not know, or no credentials: one line, exit 2', async () => {
    const unknown = await platformAsync(['report', '--org', 'nobody'], { env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: TOKEN } });
    expect(unknown).toMatchObject({ status: 2, stdout: '', stderr: 'platform: no organization or user nobody on GitHub (or the token cannot see it)\n' });
    const anonymous = await platformAsync(['report', '--org', 'acme'], { env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: '', GH_TOKEN: '' } });
    expect(anonymous.status).toBe(2);
    expect(anonymous.stderr).toMatch(/^platform: no credentials: set GITHUB_TOKEN/);
  });
});
