import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHub } from '../src/fleet/github.js';
import { rollout } from '../src/fleet/rollout.js';
import type { RolloutReport } from '../src/fleet/rollout-report.js';
import type { SourceCache } from '../src/source/index.js';
import { FakeGitHub } from './helpers/fake-github.js';
import { generateService } from './helpers/fleet.js';
import { tempDir } from './helpers/repo.js';
import { commitAll, editTemplates, git, publishVersion, templateRepo } from './helpers/template-repo.js';
import { CHANGES_TO_1_1_0 } from './helpers/upgrade-source.js';

/**
 * A fleet of nine repositories behind a fake GitHub whose git remotes are real bare repositories: the
 * rollout's clones and pushes go through git's smart HTTP with the token as a header. Versions come
 * from a template source published with `platform publish` (1.0.0, 1.1.0, later 1.2.0), so each pull
 * request carries the changelog of the versions in between.
 */
const TOKEN = 'ghp_rollout-secret-4242';
const fake = new FakeGitHub(TOKEN);
const sources: SourceCache = new Map();
const warnings: string[] = [];
const source = templateRepo();
const octokit = () => createGitHub({ apiUrl: fake.url, token: TOKEN, writeIntervalMs: 0, warn: (line) => warnings.push(line) });
const run = async (options: { to?: string; dryRun?: boolean; concurrency?: number } = {}) => {
  // A source cache of its own, as each run of the command has: a version published since is seen.
  return rollout(octokit(), { org: 'acme', ...options });
};
/** The writes of a run but foxtrot's push, which is tried again every run (its protection may have been lifted) and refused. */
const writes = () => fake.writes().filter((request) => !request.path.startsWith('/acme/foxtrot.git/'));
const byName = (report: RolloutReport) => Object.fromEntries(report.repositories.map((result) => [result.repository.replace('acme/', ''), result]));

/** The Dockerfile line 1.1.0 changes, changed otherwise by the team: a conflict. */
function conflictingEdit(dir: string): void {
  const file = join(dir, 'Dockerfile');
  writeFileSync(file, readFileSync(file, 'utf8').replace('CMD ["node", "src/main.js"]', 'CMD ["node", "--max-old-space-size=256", "src/main.js"]'));
  commitAll(dir, 'Team: cap the heap');
}

/** An edit elsewhere in the merged Dockerfile: merged cleanly, kept. */
function teamComment(dir: string): void {
  const file = join(dir, 'Dockerfile');
  writeFileSync(file, `# team-charlie was here\n${readFileSync(file, 'utf8')}`);
  commitAll(dir, 'Team: a comment');
}

const show = (name: string, ref: string, path: string) => git(fake.bare(name), 'show', `${ref}:${path}`);

beforeAll(async () => {
  await fake.start();
  publishVersion(source.work, '1.0.0');
  editTemplates(source.work, CHANGES_TO_1_1_0, 'Templates for 1.1.0');
  publishVersion(source.work, '1.1.0');
  const parent = tempDir('fleet-rollout-');
  const at = (name: string, version: string) => generateService(name, version, { source: source.url, cache: sources, parent });
  fake.addRepository({ name: 'alpha', from: await at('alpha', '1.0.0') });
  const bravo = await at('bravo', '1.0.0');
  conflictingEdit(bravo);
  fake.addRepository({ name: 'bravo', from: bravo });
  const charlie = await at('charlie', '1.0.0');
  teamComment(charlie);
  fake.addRepository({ name: 'charlie', from: charlie });
  fake.addRepository({ name: 'delta', from: await at('delta', '1.0.0'), archived: true });
  const echo = join(parent, 'echo');
  git(parent, 'init', '-q', '-b', 'main', echo);
  writeFileSync(join(echo, 'README.md'), '# Not a platform repository\n');
  commitAll(echo, 'README');
  fake.addRepository({ name: 'echo', from: echo });
  fake.addRepository({ name: 'foxtrot', from: await at('foxtrot', '1.0.0') });
  fake.refusePushes('foxtrot', 'GH006: Protected branch update failed for refs/heads/platform/upgrade-v1.1.0.');
  fake.addRepository({ name: 'golf', from: await at('golf', '1.1.0') });
  fake.addRepository({ name: 'hotel', from: await at('hotel', '1.0.0'), fork: true });
  fake.addRepository({ name: 'india', from: await at('india', '1.0.0') });
}, 300_000);
afterAll(() => fake.close());

describe('platform rollout (library, against the fake GitHub)', () => {
  it('--dry-run says what it would do and leaves every remote and the API untouched', async () => {
    const before = fake.snapshot();
    fake.resetRequests();
    const report = await run({ dryRun: true });
    expect(fake.writes()).toEqual([]);
    expect(fake.snapshot()).toBe(before);
    expect(fake.pulls).toEqual([]);
    const results = byName(report);
    expect(results.alpha).toMatchObject({ status: 'would-open', from: '1.0.0', to: '1.1.0', conflicts: [] });
    expect(results.bravo).toMatchObject({ status: 'would-open', conflicts: ['Dockerfile'] });
    expect(results.golf!.status).toBe('current');
  });

  it('opens one pull request per behind repository, isolates the refused push, and skips what is not to upgrade', async () => {
    fake.resetRequests();
    const report = await run();
    const results = byName(report);
    expect(Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.status]))).toEqual({
      alpha: 'opened',
      bravo: 'opened',
      charlie: 'opened',
      delta: 'skipped',
      echo: 'skipped',
      foxtrot: 'failed',
      golf: 'current',
      hotel: 'skipped',
      india: 'opened',
    });
    expect(results.delta!.reason).toBe('archived');
    expect(results.echo!.reason).toBe('no platform.yaml');
    expect(results.hotel!.reason).toBe('a fork');
    expect(results.foxtrot!.reason).toMatch(/^push refused: GH006: Protected branch update failed for refs\/heads\/platform\/upgrade-v1\.1\.0\.; pre-receive hook declined$/);
    expect(fake.pullsOf('foxtrot')).toEqual([]);

    const [alpha] = fake.pullsOf('alpha');
    expect(alpha).toMatchObject({ head: 'platform/upgrade-v1.1.0', base: 'main', title: 'Upgrade template service from 1.0.0 to 1.1.0', draft: false, labels: [] });
    expect(alpha!.body).toContain('**managed: the platform team\'s, replaced**');
    expect(alpha!.body).toContain('- updated `deploy/base/service.yaml`');
    expect(alpha!.body).toContain('- removed `.dockerignore`');
    expect(alpha!.body).toContain('- added `docs/runbook.md`');
    // The changelog publish wrote for 1.1.0, its headings one level down.
    expect(alpha!.body).toMatch(/## Changelog\n\n### service 1\.1\.0 \(\d{4}-\d{2}-\d{2}\)/);
    expect(alpha!.body).not.toContain('Conflicts to resolve');
    expect(results.alpha!.pullRequest).toEqual({ number: alpha!.number, url: `${fake.url}/acme/alpha/pull/${alpha!.number}`, draft: false });

    // The branch holds one commit on top of main: the upgrade, with the rollout's trailer.
    expect(git(fake.bare('alpha'), 'rev-list', '--count', 'main..platform/upgrade-v1.1.0').trim()).toBe('1');
    expect(git(fake.bare('alpha'), 'log', '-1', '--format=%B', 'platform/upgrade-v1.1.0')).toContain('Platform-Rollout: service 1.0.0 -> 1.1.0');
    expect(show('alpha', 'platform/upgrade-v1.1.0', 'deploy/base/service.yaml')).toMatch(/app\.kubernetes\.io\/part-of: "?alpha"?/);
    expect(show('alpha', 'platform/upgrade-v1.1.0', 'Dockerfile')).toContain('CMD ["node", "--enable-source-maps", "src/main.js"]');
    expect(JSON.parse(show('alpha', 'platform/upgrade-v1.1.0', '.yo-rc.json'))['generator-platform'].template.version).toBe('1.1.0');

    const [bravo] = fake.pullsOf('bravo');
    expect(bravo).toMatchObject({ draft: true, labels: ['platform-upgrade-conflicts'] });
    expect(bravo!.body).toContain('## Conflicts to resolve\n\nYour edits and the new template change the same lines of these files');
    expect(bravo!.body).toContain('- `Dockerfile`');
    expect(bravo!.body).toContain('git fetch origin platform/upgrade-v1.1.0 && git switch platform/upgrade-v1.1.0');
    expect(results.bravo!.conflicts).toEqual(['Dockerfile']);
    const conflicted = show('bravo', 'platform/upgrade-v1.1.0', 'Dockerfile');
    expect(conflicted).toMatch(/<<<<<<< [^\n]*\n[^\n]*--max-old-space-size=256[\s\S]*=======\n[^\n]*--enable-source-maps[\s\S]*>>>>>>>/);

    // charlie's own edit is kept next to the template's change.
    const merged = show('charlie', 'platform/upgrade-v1.1.0', 'Dockerfile');
    expect(merged.startsWith('# team-charlie was here\n')).toBe(true);
    expect(merged).toContain('--enable-source-maps');

    // Nothing reached the repositories that are not to be upgraded.
    for (const name of ['delta', 'golf', 'hotel', 'echo']) expect(fake.branchHead(name, 'platform/upgrade-v1.1.0')).toBeUndefined();
    expect(fake.requests.filter((request) => request.kind === 'git' && /\/(delta|golf|hotel|echo)\.git\//.test(request.path))).toEqual([]);

    // The token went as a header only: never in a URL, a body, a result or a warning.
    const gitRequests = fake.requests.filter((request) => request.kind === 'git');
    expect(gitRequests.length).toBeGreaterThan(0);
    expect(gitRequests.every((request) => request.authorization === `basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`)).toBe(true);
    const everything = JSON.stringify({ report, requests: fake.requests.map(({ authorization, ...rest }) => rest), pulls: fake.pulls, warnings });
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
  });

  it('run again, changes nothing: no push, no pull request, no comment, no write request at all', async () => {
    const before = fake.snapshot();
    const pulls = JSON.stringify(fake.pulls);
    fake.resetRequests();
    const report = await run();
    expect(writes()).toEqual([]);
    expect(fake.snapshot()).toBe(before);
    expect(JSON.stringify(fake.pulls)).toBe(pulls);
    expect(fake.comments).toEqual([]);
    const results = byName(report);
    for (const name of ['alpha', 'bravo', 'charlie', 'india']) expect(results[name]!.status).toBe('unchanged');
    expect(results.foxtrot!.status).toBe('failed');
  });

  it('updates the pull request when the default branch moved, and comments instead of pushing over a person\'s commit', async () => {
    // alpha's team changes platform.yaml on main: the upgrade's content changes, the branch is the rollout's own.
    const alphaWork = join(tempDir('alpha-work-'), 'alpha');
    git(tempDir(), 'clone', '-q', fake.bare('alpha'), alphaWork);
    const manifest = join(alphaWork, 'platform.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/description: .*/, 'description: Alpha, described anew'));
    commitAll(alphaWork, 'Describe alpha anew');
    git(alphaWork, 'push', '-q', 'origin', 'HEAD:main');
    const alphaTip = fake.branchHead('alpha', 'platform/upgrade-v1.1.0');
    // A person pushes to india's upgrade branch.
    const indiaWork = join(tempDir('india-work-'), 'india');
    git(tempDir(), 'clone', '-q', '-b', 'platform/upgrade-v1.1.0', fake.bare('india'), indiaWork);
    writeFileSync(join(indiaWork, 'NOTES.md'), 'ours\n');
    commitAll(indiaWork, 'A note of ours');
    git(indiaWork, 'push', '-q', 'origin', 'HEAD:platform/upgrade-v1.1.0');
    const indiaTip = fake.branchHead('india', 'platform/upgrade-v1.1.0');
    // And the rollout's template move changes what india's upgrade would be.
    const indiaMain = join(tempDir('india-main-'), 'india');
    git(tempDir(), 'clone', '-q', fake.bare('india'), indiaMain);
    writeFileSync(join(indiaMain, 'platform.yaml'), readFileSync(join(indiaMain, 'platform.yaml'), 'utf8').replace(/description: .*/, 'description: India anew'));
    commitAll(indiaMain, 'Describe india anew');
    git(indiaMain, 'push', '-q', 'origin', 'HEAD:main');

    fake.resetRequests();
    const results = byName(await run());
    expect(results.alpha!.status).toBe('updated');
    expect(fake.branchHead('alpha', 'platform/upgrade-v1.1.0')).not.toBe(alphaTip);
    expect(git(fake.bare('alpha'), 'rev-list', '--count', 'main..platform/upgrade-v1.1.0').trim()).toBe('1');
    expect(show('alpha', 'platform/upgrade-v1.1.0', 'catalog-info.yaml')).toContain('Alpha, described anew');
    expect(fake.pullsOf('alpha')).toHaveLength(1);

    expect(results.india).toMatchObject({ status: 'kept' });
    expect(fake.branchHead('india', 'platform/upgrade-v1.1.0')).toBe(indiaTip);
    const [indiaPull] = fake.pullsOf('india');
    const comments = fake.commentsOn('india', indiaPull!.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('has commits that are not the rollout\'s');

    // Once said, not said again.
    fake.resetRequests();
    await run();
    expect(writes()).toEqual([]);
  });

  it('a newer version opens a new pull request and closes the older one with a comment pointing at it', async () => {
    editTemplates(source.work, { 'service/files/docs/runbook.md': '# <%= name %> runbook\n\nWhat to do when it pages, and who to call.\n' }, 'Templates for 1.2.0');
    publishVersion(source.work, '1.2.0');
    fake.resetRequests();
    const results = byName(await run({ to: '1.2.0' }));
    expect(results.alpha).toMatchObject({ status: 'opened', from: '1.0.0', to: '1.2.0' });
    const [older, newer] = fake.pullsOf('alpha');
    expect(older).toMatchObject({ head: 'platform/upgrade-v1.1.0', state: 'closed' });
    expect(newer).toMatchObject({ head: 'platform/upgrade-v1.2.0', state: 'open', title: 'Upgrade template service from 1.0.0 to 1.2.0' });
    expect(results.alpha!.closed).toEqual([older!.number]);
    expect(fake.commentsOn('alpha', older!.number).map((comment) => comment.body)).toEqual([expect.stringContaining(`Superseded by #${newer!.number} (${fake.url}/acme/alpha/pull/${newer!.number})`)]);
    // Both versions' changelog entries, oldest first.
    expect(newer!.body).toMatch(/### service 1\.1\.0[\s\S]*### service 1\.2\.0/);
    expect(results.golf).toMatchObject({ status: 'opened', from: '1.1.0', to: '1.2.0' });
  });

  it('waits out a rate limit until its reset and retries a 502, and still opens every pull request', async () => {
    editTemplates(source.work, { 'service/files/docs/runbook.md': '# <%= name %> runbook\n\nPages go to the on-call.\n' }, 'Templates for 1.3.0');
    publishVersion(source.work, '1.3.0');
    fake.resetRequests();
    fake.rateLimit({ method: 'POST', path: /\/pulls$/, seconds: 2 });
    fake.fail({ method: 'GET', path: /\/pulls$/, status: 502, message: 'Bad Gateway' });
    const results = byName(await run({ to: '1.3.0' }));
    for (const name of ['alpha', 'bravo', 'charlie', 'golf']) expect(results[name]!.status).toBe('opened');
    const creates = fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/pulls'));
    const limited = creates.find((request) => request.status === 403)!;
    // The same request again (other repositories' go on meanwhile), once the limit has reset.
    const retried = creates.filter((request) => request.path === limited.path && request.at > limited.at && request.status === 201);
    expect(retried.length).toBeGreaterThan(0);
    expect(Math.min(...retried.map((request) => request.at)) - limited.at).toBeGreaterThanOrEqual(1900);
    expect(fake.requests.some((request) => request.method === 'GET' && request.path.endsWith('/pulls') && request.status === 502)).toBe(true);
    expect(warnings.some((line) => line.includes('rate limit reached on POST'))).toBe(true);
  });
});
