// `platform rollout` against the fake GitHub of the tests (test/helpers/fake-github.ts, bundled here by
// esbuild), on 127.0.0.1 with real bare repositories behind it:
//  - the requests of a rollout of 1,000 repositories that are already current (target: <= 15 in all);
//  - the requests per repository of a rollout of 100 that are behind (API and git counted apart);
//  - the wall time of that rollout at concurrency 4, beside 100 sequential `platform upgrade --commit`
//    runs on local clones of the same repositories (the peer: a platform team doing it by hand).
// Writes are not spaced here (GitHub asks for a second between them; a local server needs none), so the
// times are the tool's own.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { report } from './lib.js';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', 'src', path);
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const IDENTITY = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
const TOKEN = 'ghp_bench-token';

export async function benchFleet({ current = 1000, behind = 100, concurrency = 4 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-fleet-'));
  Object.assign(process.env, IDENTITY);
  const { FakeGitHub } = await importFake(work);
  const { createGitHub } = await import(dist('fleet/github.js'));
  const { rollout } = await import(dist('fleet/rollout.js'));
  const { generateRepository } = await import(dist('generate/new.js'));
  const { openSource } = await import(dist('source/index.js'));
  const embedded = await openSource('embedded');
  const [from, to] = (await embedded.versions()).slice(-2);
  const octokit = (fake) => createGitHub({ apiUrl: fake.url, token: TOKEN, writeIntervalMs: 0, warn: () => undefined });
  try {
    // 1,000 current repositories: listed with their two files, no git behind them (none is cloned).
    const sample = generate(join(work, 'sample'), await embedded.load(to), 'sample', generateRepository);
    const files = { manifest: readFileSync(join(sample, 'platform.yaml'), 'utf8'), record: readFileSync(join(sample, '.yo-rc.json'), 'utf8') };
    const listed = new FakeGitHub(TOKEN);
    await listed.start();
    for (let index = 0; index < current; index += 1) listed.addRepository({ owner: 'bench', name: `current-${index}`, files });
    const quiet = await rollout(octokit(listed), { org: 'bench' });
    const quietRequests = listed.requests.length;
    if (quiet.repositories.some((result) => result.status !== 'current')) throw new Error('bench: a listed repository was not current');
    await listed.close();
    report(`rollout of ${current} repositories already on ${to}`, [
      ['requests in all (target <= 15)', `${quietRequests} ${quietRequests <= 15 ? 'ok' : 'OVER TARGET'}`],
    ]);

    // 100 behind repositories, each a real bare repository; the same ones cloned locally for the peer.
    const base = await embedded.load(from);
    const fake = new FakeGitHub(TOKEN);
    await fake.start();
    const locals = [];
    for (let index = 0; index < behind; index += 1) {
      const dir = generate(join(work, 'repos'), base, `svc-${index}`, generateRepository);
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'Generated');
      fake.addRepository({ owner: 'bench', name: `svc-${index}`, from: dir });
      locals.push(dir);
    }
    const start = process.hrtime.bigint();
    const result = await rollout(octokit(fake), { org: 'bench', to, concurrency });
    const rolloutMs = Number(process.hrtime.bigint() - start) / 1e6;
    const opened = result.repositories.filter((entry) => entry.status === 'opened').length;
    if (opened !== behind) throw new Error(`bench: ${opened} of ${behind} pull requests opened: ${JSON.stringify(result.repositories.find((entry) => entry.status !== 'opened'))}`);
    const api = fake.requests.filter((request) => request.kind !== 'git').length;
    const gitRequests = fake.requests.filter((request) => request.kind === 'git').length;
    await fake.close();

    const platform = join(root, 'bin', 'platform.cjs');
    const sequentialStart = process.hrtime.bigint();
    for (const dir of locals) {
      const run = spawnSync(process.execPath, [platform, 'upgrade', dir, '--to', to, '--commit'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
      if (run.status !== 0) throw new Error(`bench: platform upgrade ${dir} failed: ${run.stderr}`);
    }
    const sequentialMs = Number(process.hrtime.bigint() - sequentialStart) / 1e6;
    const ratio = rolloutMs / sequentialMs;
    report(`rollout of ${behind} repositories behind (${from} -> ${to}), concurrency ${concurrency}`, [
      ['API requests per repository (GraphQL and REST)', (api / behind).toFixed(2)],
      ['git HTTP requests per repository (clone, ls-remote, push)', (gitRequests / behind).toFixed(2)],
      [`rollout: clone, upgrade, commit, push, pull request (wall)`, `${(rolloutMs / 1000).toFixed(1)} s`],
      [`${behind} sequential platform upgrade --commit on local clones (wall)`, `${(sequentialMs / 1000).toFixed(1)} s`],
      ['ratio rollout / sequential upgrades', `${ratio.toFixed(2)}x`],
    ]);
    return { quietRequests, apiPerRepository: api / behind, gitPerRepository: gitRequests / behind, rolloutMs, sequentialMs, ratio };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The tests' fake GitHub, bundled from TypeScript for plain node. */
async function importFake(work) {
  const outfile = join(work, 'fake-github.mjs');
  await build({ entryPoints: [join(root, 'test', 'helpers', 'fake-github.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });
  return import(outfile);
}

function generate(parent, source, name, generateRepository) {
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, name);
  const manifest = {
    apiVersion: 'platform.acme.dev/v1',
    kind: 'Service',
    metadata: { name, owner: 'team-bench', description: `The ${name} service` },
    spec: { template: { name: 'service', version: source.template.version }, runtime: 'node', environments: ['dev', 'prod'], databases: [], secrets: [] },
  };
  generateRepository(dir, manifest, source);
  // A team edit at the top of a merged file: a real merge in every upgrade.
  writeFileSync(join(dir, 'Dockerfile'), `# a team edit\n${readFileSync(join(dir, 'Dockerfile'), 'utf8')}`);
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFleet();
