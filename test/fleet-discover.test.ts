import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFleet, parseShard, shardOf } from '../src/fleet/discover.js';
import { rollout } from '../src/fleet/rollout.js';
import { createGitHub, gitToken } from '../src/fleet/github.js';
import { FakeGitHub } from './helpers/fake-github.js';
import { generateService } from './helpers/fleet.js';
import { LATEST } from './helpers/local-fleet.js';

const TOKEN = 'ghp_discover-secret-123';
const fake = new FakeGitHub(TOKEN);
const warnings: string[] = [];
const client = () => createGitHub({ apiUrl: fake.url, token: TOKEN, writeIntervalMs: 0, warn: (line) => warnings.push(line) });

beforeAll(async () => {
  await fake.start();
  fake.addRepository({ name: 'billing', from: await generateService('billing', '1.0.0') });
  fake.addRepository({ name: 'ledger', from: await generateService('ledger', LATEST) });
  fake.addRepository({ name: 'old-thing', archived: true, files: { manifest: 'x', record: 'y' } });
  fake.addRepository({ name: 'frozen', disabled: true, files: { manifest: 'x', record: 'y' } });
  fake.addRepository({ name: 'billing-fork', fork: true, files: { manifest: 'x', record: 'y' } });
  fake.addRepository({ name: 'website', files: { manifest: null, record: null } });
  for (let i = 0; i < 150; i++) fake.addRepository({ name: `svc-${String(i).padStart(3, '0')}`, files: { manifest: 'm', record: 'r' } });
});
afterAll(() => fake.close());

describe('discoverFleet', () => {
  it('reads both files of a hundred repositories per GraphQL request and skips what cannot take a change', async () => {
    fake.resetRequests();
    const skipped: string[] = [];
    const fleet = await discoverFleet(client(), 'acme', { onSkip: (name, reason) => skipped.push(`${name}: ${reason}`) });
    expect(fake.requests.map((request) => `${request.kind} ${request.method} ${request.path}`)).toEqual(['graphql POST /graphql', 'graphql POST /graphql']);
    expect(fleet).toHaveLength(153);
    expect(skipped.sort()).toEqual(['acme/billing-fork: a fork', 'acme/frozen: disabled', 'acme/old-thing: archived']);
    const billing = fleet.find((repo) => repo.name === 'billing')!;
    expect(billing).toMatchObject({ owner: 'acme', fullName: 'acme/billing', defaultBranch: 'main', cloneUrl: `${fake.url}/acme/billing.git`, htmlUrl: `${fake.url}/acme/billing` });
    expect(billing.manifest).toContain('version: 1.0.0');
    expect(JSON.parse(billing.record!)['generator-platform'].template.version).toBe('1.0.0');
    expect(fleet.find((repo) => repo.name === 'website')).toMatchObject({ manifest: null, record: null });
    expect(fake.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('filters by a name pattern', async () => {
    const fleet = await discoverFleet(client(), 'acme', { repo: 'b*' });
    expect(fleet.map((repo) => repo.name)).toEqual(['billing']);
  });

  it('splits the organization into shards that cover it exactly once', async () => {
    const all = (await discoverFleet(client(), 'acme')).map((repo) => repo.fullName).sort();
    const shards = await Promise.all([1, 2, 3].map((index) => discoverFleet(client(), 'acme', { shard: { index, count: 3 } })));
    const covered = shards.flat().map((repo) => repo.fullName).sort();
    expect(covered).toEqual(all);
    for (const shard of shards) expect(shard.length).toBeGreaterThan(20);
    expect(shardOf('Billing', 7)).toBe(shardOf('billing', 7));
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow('--shard 0/4: not a shard such as 1/4');
    expect(() => parseShard('x')).toThrow('--shard x: not a shard');
  });

  it('says so in one line when the organization does not exist', async () => {
    await expect(discoverFleet(client(), 'nobody')).rejects.toThrow('no organization or user nobody on GitHub (or the token cannot see it)');
  });

  it('retries a 502 and waits out a rate limit until its reset', async () => {
    fake.resetRequests();
    fake.fail({ path: /^\/graphql$/, status: 502, message: 'Bad Gateway' });
    const fleet = await discoverFleet(client(), 'acme', { repo: 'ledger' });
    expect(fleet.map((repo) => repo.name)).toEqual(['ledger']);
    expect(fake.requests.map((request) => request.status)).toEqual([502, 200, 200]);

    fake.resetRequests();
    fake.rateLimit({ path: /^\/graphql$/, seconds: 2 });
    await discoverFleet(client(), 'acme', { repo: 'ledger' });
    const [limited, retried] = fake.requests;
    expect(limited!.status).toBe(403);
    // The reset is the next whole second plus two; the retry comes after it.
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1900);
    expect(warnings.some((line) => /rate limit reached on POST \/graphql: waiting \d+s/.test(line))).toBe(true);
    expect(warnings.join('\n')).not.toContain(TOKEN);

    // A secondary rate limit: 429 with retry-after, waited out as said.
    fake.resetRequests();
    fake.fail({ path: /^\/graphql$/, status: 429, headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit.' });
    await discoverFleet(client(), 'acme', { repo: 'ledger' });
    const [secondary, again] = fake.requests;
    expect(secondary!.status).toBe(429);
    expect(again!.at - secondary!.at).toBeGreaterThanOrEqual(950);
    expect(warnings.some((line) => /secondary rate limit reached on POST \/graphql: waiting 1s/.test(line))).toBe(true);
  });

  it('authenticates as a GitHub App: the installation token is minted, used for the API and handed to git', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    fake.resetRequests();
    const octokit = createGitHub({ apiUrl: fake.url, appId: 12345, privateKey, installationId: 678, writeIntervalMs: 0 });
    const fleet = await discoverFleet(octokit, 'acme', { repo: 'billing' });
    expect(fleet).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/app/installations/678/access_tokens' });
    expect(fake.requests[1]!.authorization).toMatch(/^token ghs_minted-\d+$/);
    expect(await gitToken(octokit)).toMatch(/^ghs_minted-\d+$/);
    expect(() => createGitHub({ appId: 1, installationId: 2 })).toThrow('a GitHub App needs its private key as well as its id');
  });
});

describe('GitHub Enterprise Server', () => {
  it('finds GraphQL beside the REST API at GITHUB_API_URL=https://HOST/api/v3', async () => {
    fake.resetRequests();
    const fleet = await discoverFleet(createGitHub({ apiUrl: `${fake.url}/api/v3/`, token: TOKEN, writeIntervalMs: 0 }), 'acme', { repo: 'ledger' });
    expect(fleet.map((repo) => repo.name)).toEqual(['ledger']);
    expect(fake.requests.map((request) => request.url)).toEqual(['/api/graphql', '/api/graphql']);
  });
});

describe('a failing API call', () => {
  it('fails its repository with GitHub\'s reason, and the rollout goes on', async () => {
    fake.fail({ method: 'GET', path: /^\/repos\/acme\/billing\/pulls$/, status: 422, message: 'Validation Failed' });
    const report = await rollout(client(), { org: 'acme', repo: '{billing,ledger}', dryRun: true });
    expect(report.repositories.map(({ repository, status, reason }) => ({ repository, status, reason }))).toEqual([
      { repository: 'acme/billing', status: 'failed', reason: "GitHub's API answered HTTP 422: Validation Failed" },
      { repository: 'acme/ledger', status: 'current', reason: undefined },
    ]);
  });
});
