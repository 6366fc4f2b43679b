/**
 * The promotion logic of .github/workflows/promote.yml, run for real: the `run:` scripts of its two jobs
 * under bash as GitHub runs them, in clones of a generated repository whose origin is a local bare
 * repository. Where main is protected, a `pre-receive` hook in the origin stands in for GitHub's branch
 * protection: it refuses every direct update of main, as a ruleset requiring pull requests does. GitHub's
 * pull request endpoints and Argo CD's Application endpoint are a local HTTP server on 127.0.0.1.
 *
 * kustomize itself is not on this machine (GitHub's ubuntu-24.04 image ships it; Debian does not package it):
 * a stand-in on PATH runs `kustomize build` as the real `kubectl kustomize` and sets `newTag:` for
 * `kustomize edit set image`, recording how it was called.
 */
import { loadSettings } from '../src/settings/settings.js';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { generateRepository } from '../src/generate/new.js';
import { PromotionApi, argoApplication } from './helpers/promotion-api.js';
import { defaultSource, manifestFor, repoRoot, tempDir } from './helpers/repo.js';

/** What an environment runs before its first promotion (settings images.placeholder): never an image that does not exist. */
const PLACEHOLDER = loadSettings().images!.placeholder!;

const IMAGE = 'ghcr.io/acme/svc';
const ENVIRONMENTS = 'dev staging prod';

const promote = parse(readFileSync(join(repoRoot, '.github/workflows/promote.yml'), 'utf8'));
const planStep = promote.jobs.plan.steps.find((step: any) => step.id === 'plan');
const promoteStep = promote.jobs.promote.steps.find((step: any) => step.id === 'promote');
const root = tempDir('platform-promote-');
const api = new PromotionApi();

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

const gitIdentity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

function git(cwd: string, ...args: string[]): string {
  const result = run('git', [...gitIdentity, ...args], cwd);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

interface Repositories {
  origin: string;
  /** A fresh clone to run a job in, at the tip of main. */
  clone: (name: string) => string;
  /** Commits of the app after the generated one, oldest first: the tags of the images built from them. */
  commits: string[];
}

let count = 0;
// Each test's repositories go when it ends: left to the end of the file, removing them all outlasts a hook's time.
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A generated repository with two app commits after it, pushed to a bare origin; main protected if asked. */
function setUp(options: { protectedMain?: boolean } = {}): Repositories {
  const base = join(root, `repo-${++count}`);
  const source = join(base, 'source');
  made.push(base);
  generateRepository(source, manifestFor({ name: 'svc', environments: ['dev', 'staging', 'prod'] }), defaultSource());
  git(source, 'init', '-q', '-b', 'main');
  git(source, 'add', '-A');
  git(source, 'commit', '-q', '-m', 'generated');
  const commits: string[] = [];
  for (const change of ['first', 'second']) {
    writeFileSync(join(source, 'CHANGES.md'), `${change}\n`);
    git(source, 'add', 'CHANGES.md');
    git(source, 'commit', '-q', '-m', `app: ${change} change`);
    commits.push(git(source, 'rev-parse', 'HEAD'));
  }
  const origin = join(base, 'origin.git');
  git(base, 'clone', '-q', '--bare', source, origin);
  if (options.protectedMain) {
    const hook = join(origin, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      [
        '#!/bin/sh',
        'while read -r old new ref; do',
        '  if [ "$ref" = refs/heads/main ]; then',
        '    echo "GH006: Protected branch update failed for refs/heads/main: changes must be made through a pull request." >&2',
        '    exit 1',
        '  fi',
        'done',
      ].join('\n'),
    );
    chmodSync(hook, 0o755);
  }
  let clones = 0;
  const clone = (name: string): string => {
    const dir = join(base, `${name}-${++clones}`);
    git(base, 'clone', '-q', origin, dir);
    return dir;
  };
  return { origin, clone, commits };
}

/** What GitHub does when a pull request is merged: main moves to the branch's tip, past any hook. */
function merge(origin: string, branch: string): void {
  git(origin, 'update-ref', 'refs/heads/main', git(origin, 'rev-parse', `refs/heads/${branch}`));
}

/** Set the tag an environment runs on origin's main, as an earlier promotion would have. */
function deployOnOrigin(repos: Repositories, env: string, tag: string, subject = `deploy(${env}): ${IMAGE}:${tag}`): void {
  const work = repos.clone('seed');
  const file = join(work, 'deploy/overlays', env, 'kustomization.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}newTag: .*$/m, `  newTag: "${tag}"`));
  git(work, 'commit', '-q', '-am', subject);
  git(work, 'push', '-q', 'origin', 'HEAD:refs/heads/seed');
  merge(repos.origin, 'seed');
}

const standIn = join(root, 'bin');
const kustomizeLog = join(root, 'kustomize.log');

beforeAll(async () => {
  mkdirSync(standIn, { recursive: true });
  writeFileSync(
    join(standIn, 'kustomize'),
    [
      '#!/bin/bash',
      'set -eu',
      'if [ "$1" = build ]; then exec kubectl kustomize "$2"; fi',
      `printf '%s|%s\\n' "$(basename "$PWD")" "$*" >> ${JSON.stringify(kustomizeLog)}`,
      '[ "$1 $2 $3" = "edit set image" ] || exit 2',
      'tag="${4##*:}"',
      'sed -i "s/^  newTag: .*/  newTag: \\"${tag}\\"/" kustomization.yaml',
    ].join('\n'),
  );
  chmodSync(join(standIn, 'kustomize'), 0o755);
  await api.start();
});
afterAll(() => api.close());

interface StepResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * A step's script under bash the way GitHub runs a `run:` (a file, -e and pipefail), with the runner's
 * variables. Asynchronous: the local API server answers from this process's event loop.
 */
async function runStep(step: any, cwd: string, env: Record<string, string>): Promise<StepResult> {
  const id = Math.random().toString(16).slice(2);
  const script = join(root, `step-${id}.sh`);
  const output = join(root, `output-${id}`);
  const summary = join(root, `summary-${id}.md`);
  writeFileSync(script, step.run);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    env: {
      PATH: `${standIn}:${process.env.PATH}`,
      HOME: root,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: 'acme/svc',
      GITHUB_API_URL: api.url,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status, stdout, stderr, outputs, summary: readFileSync(summary, 'utf8') };
}

/** The promote job's step, with the inputs a generated repository passes. */
function promoteJob(cwd: string, env: Record<string, string>): Promise<StepResult> {
  return runStep(promoteStep, cwd, {
    PREVIOUS: '',
    ROLLBACK: 'false',
    IMAGE,
    SERVICE: 'svc',
    MODE: 'pull-request',
    BRANCH: 'main',
    ARGOCD_URL: '',
    ARGOCD_TOKEN: '',
    WAIT_MINUTES: '0',
    PRODUCTION: 'prod',
    GH_TOKEN: 'the-token',
    ...env,
  });
}

/** The plan job's step. */
function planJob(cwd: string, env: Record<string, string>): Promise<StepResult> {
  return runStep(planStep, cwd, { ENVIRONMENTS, LEGACY_ENVIRONMENT: '', MODE: 'pull-request', IMAGE, TAG: '', ROLLBACK: 'false', BEFORE: '', AFTER: '', ...env });
}

function kustomizeCalls(): string[] {
  return existsSync(kustomizeLog) ? readFileSync(kustomizeLog, 'utf8').trim().split('\n').filter(Boolean) : [];
}

/** The image an environment's overlay on origin's main (or another ref) deploys, built with kubectl kustomize. */
function deployedOnOrigin(repos: Repositories, env: string): string {
  const checkout = repos.clone('check');
  const built = run('kubectl', ['kustomize', join(checkout, 'deploy/overlays', env)], checkout);
  expect(built.status, built.stderr).toBe(0);
  const deployment = parseAllDocuments(built.stdout).map((doc) => doc.toJS()).find((doc) => doc?.kind === 'Deployment');
  return deployment.spec.template.spec.containers[0].image;
}

const subjects = (origin: string, ref = 'main'): string[] => git(origin, 'log', '--format=%s', ref).split('\n');

describe('the promotion scripts of promote.yml', () => {
  it('take their inputs through env only', () => {
    for (const step of [planStep, promoteStep]) expect(step.run).not.toContain('${{');
    expect(Object.keys(planStep.env).sort()).toEqual(['AFTER', 'BEFORE', 'ENVIRONMENTS', 'IMAGE', 'LEGACY_ENVIRONMENT', 'MODE', 'ROLLBACK', 'TAG']);
  });

  describe('push mode', () => {
    it('is refused on a protected main, says so, and leaves main as it was', async () => {
      const repos = setUp({ protectedMain: true });
      const [, tag] = repos.commits;
      const result = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'dev', TAG: tag!, MODE: 'push' });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('::error::the push to main was refused: main is protected. Set promotion.mode: pull-request');
      expect(result.stdout).not.toContain('raced');
      expect(subjects(repos.origin)[0]).toBe('app: second change');
    });

    it('sets the image of the overlay, commits that one file and pushes it where main allows it; a second run changes nothing', async () => {
      const repos = setUp();
      const [, tag] = repos.commits;
      const work = repos.clone('work');
      const before = kustomizeCalls().length;
      const result = await promoteJob(work, { ENVIRONMENT: 'dev', TAG: tag!, MODE: 'push' });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.outputs.state).toBe('deployed');
      expect(kustomizeCalls().slice(before)).toEqual([`dev|edit set image ${IMAGE}=${IMAGE}:${tag}`]);
      expect(subjects(repos.origin)[0]).toBe(`deploy(dev): ${IMAGE}:${tag}`);
      expect(git(repos.origin, 'show', '--name-only', '--format=', 'main')).toBe('deploy/overlays/dev/kustomization.yaml');
      expect(result.summary).toContain(`${IMAGE}:${tag}`);
      expect(deployedOnOrigin(repos, 'dev')).toBe(`${IMAGE}:${tag}`);
      expect(deployedOnOrigin(repos, 'staging')).toBe(PLACEHOLDER);

      const again = await promoteJob(work, { ENVIRONMENT: 'dev', TAG: tag!, MODE: 'push' });
      expect(again.status).toBe(0);
      expect(again.stdout).toContain(`dev already runs \`${IMAGE}:${tag}\``);
      expect(subjects(repos.origin)).toHaveLength(4);
    });

    it('starts again from the new tip when another push got there first', async () => {
      const repos = setUp();
      const work = repos.clone('work');
      const other = repos.clone('other');
      writeFileSync(join(other, 'NOTES.md'), 'a change pushed while the promotion ran\n');
      git(other, 'add', 'NOTES.md');
      git(other, 'commit', '-q', '-m', 'a concurrent change');
      git(other, 'push', '-q', 'origin', 'HEAD:main');

      const result = await promoteJob(work, { ENVIRONMENT: 'dev', TAG: repos.commits[1]!, MODE: 'push' });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('::warning::the push raced with another change (attempt 1 of 5)');
      expect(subjects(repos.origin).slice(0, 2)).toEqual([`deploy(dev): ${IMAGE}:${repos.commits[1]}`, 'a concurrent change']);
    });
  });

  describe('pull-request mode, on a protected main', () => {
    it('pushes a promotion branch and opens its pull request; a newer tag updates both; an older one changes neither', async () => {
      const repos = setUp({ protectedMain: true });
      const [older, newer] = repos.commits;
      const first = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'staging', TAG: older! });
      expect(first.status, first.stdout + first.stderr).toBe(0);
      expect(first.outputs.state).toBe('pending');
      expect(subjects(repos.origin, 'platform/promote-staging')[0]).toBe(`deploy(staging): ${IMAGE}:${older}`);
      expect(subjects(repos.origin)[0]).toBe('app: second change');
      const created = api.requests.filter((request) => request.method === 'POST').at(-1)!;
      expect(created).toMatchObject({
        path: '/repos/acme/svc/pulls',
        authorization: 'Bearer the-token',
        body: { title: `deploy(staging): ${IMAGE}:${older}`, head: 'platform/promote-staging', base: 'main' },
      });
      const pull = api.pulls.find((candidate) => candidate.head === 'platform/promote-staging')!;
      expect(first.summary).toContain(pull.html_url);

      const second = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'staging', TAG: newer! });
      expect(second.status, second.stdout + second.stderr).toBe(0);
      expect(subjects(repos.origin, 'platform/promote-staging')[0]).toBe(`deploy(staging): ${IMAGE}:${newer}`);
      expect(api.pulls.filter((candidate) => candidate.head === 'platform/promote-staging')).toHaveLength(1);
      expect(pull.title).toBe(`deploy(staging): ${IMAGE}:${newer}`);
      expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/repos/acme/svc/pulls/${pull.number}` });

      const stale = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'staging', TAG: older! });
      expect(stale.status).toBe(0);
      expect(stale.outputs.state).toBe('skipped');
      expect(stale.stdout).toContain(`::warning::platform/promote-staging proposes ${newer}, which is newer than ${older}`);
      expect(subjects(repos.origin, 'platform/promote-staging')[0]).toBe(`deploy(staging): ${IMAGE}:${newer}`);
      expect(pull.title).toBe(`deploy(staging): ${IMAGE}:${newer}`);

      merge(repos.origin, 'platform/promote-staging');
      expect(deployedOnOrigin(repos, 'staging')).toBe(`${IMAGE}:${newer}`);
    });

    it('reports what GitHub answered when it refuses the pull request', async () => {
      const repos = setUp({ protectedMain: true });
      const result = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'dev', TAG: repos.commits[0]!, GITHUB_REPOSITORY: 'acme/svc', GITHUB_API_URL: `${api.url}/nowhere` });
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/::error::GitHub answered GET \/repos\/acme\/svc\/pulls\?\S+ with: Not Found/);
    });
  });

  describe('order', () => {
    it('never lets an older tag replace a newer one, unless it is a rollback', async () => {
      const repos = setUp();
      const [older, newer] = repos.commits;
      deployOnOrigin(repos, 'dev', newer!);
      const stale = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'dev', TAG: older!, MODE: 'push' });
      expect(stale.status).toBe(0);
      expect(stale.outputs.state).toBe('skipped');
      expect(stale.stdout).toContain(`::warning::dev runs ${newer}, which is newer than ${older}: an older run does not replace it`);
      expect(deployedOnOrigin(repos, 'dev')).toBe(`${IMAGE}:${newer}`);

      const rollback = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'dev', TAG: older!, MODE: 'push', ROLLBACK: 'true' });
      expect(rollback.status, rollback.stdout + rollback.stderr).toBe(0);
      expect(subjects(repos.origin)[0]).toBe(`deploy(dev): ${IMAGE}:${older} (rollback)`);
      expect(deployedOnOrigin(repos, 'dev')).toBe(`${IMAGE}:${older}`);
    });

    it('refuses a later environment until the earlier one runs the tag', async () => {
      const repos = setUp();
      const [older, newer] = repos.commits;
      deployOnOrigin(repos, 'dev', older!);
      const early = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'staging', PREVIOUS: 'dev', TAG: newer!, MODE: 'push' });
      expect(early.status).toBe(1);
      expect(early.stdout).toContain(`::error::staging is promoted only after dev runs ${newer}; dev runs ${older}`);
      expect(deployedOnOrigin(repos, 'staging')).toBe(PLACEHOLDER);

      deployOnOrigin(repos, 'dev', newer!);
      const ready = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'staging', PREVIOUS: 'dev', TAG: newer!, MODE: 'push' });
      expect(ready.status, ready.stdout + ready.stderr).toBe(0);
      expect(deployedOnOrigin(repos, 'staging')).toBe(`${IMAGE}:${newer}`);
    });

    it('with Argo CD, also waits for the earlier environment to be synced and healthy on the tag', async () => {
      const repos = setUp();
      const [, tag] = repos.commits;
      deployOnOrigin(repos, 'dev', tag!);
      const withArgo = { ENVIRONMENT: 'staging', PREVIOUS: 'dev', TAG: tag!, MODE: 'push', ARGOCD_URL: `${api.url}/`, ARGOCD_TOKEN: 'argo-token' };
      api.applications.set('svc-dev', argoApplication('Synced', 'Degraded', [`${IMAGE}:${tag}`]));
      const degraded = await promoteJob(repos.clone('work'), withArgo);
      expect(degraded.status).toBe(1);
      expect(degraded.stdout).toContain(`::error::staging waits for dev: Argo CD Application svc-dev is not synced and healthy on ${IMAGE}:${tag} after 0 minutes (Synced/Degraded/runs the tag)`);

      api.applications.set('svc-dev', argoApplication('Synced', 'Healthy', [`${IMAGE}:${repos.commits[0]}`]));
      const behind = await promoteJob(repos.clone('work'), withArgo);
      expect(behind.status).toBe(1);
      expect(behind.stdout).toContain('(Synced/Healthy/runs another tag)');
      expect(deployedOnOrigin(repos, 'staging')).toBe(PLACEHOLDER);

      api.applications.set('svc-dev', argoApplication('Synced', 'Healthy', [`${IMAGE}:${tag}`]));
      const healthy = await promoteJob(repos.clone('work'), withArgo);
      expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
      expect(api.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/applications/svc-dev', authorization: 'Bearer argo-token' });
      expect(deployedOnOrigin(repos, 'staging')).toBe(`${IMAGE}:${tag}`);
    });
  });

  describe('production', () => {
    it('is refused while its GitHub environment has no required reviewers, as GitHub creates it', async () => {
      const repos = setUp();
      const [, tag] = repos.commits;
      deployOnOrigin(repos, 'staging', tag!);
      api.environments.delete('prod');
      const unprotected = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'prod', PREVIOUS: 'staging', TAG: tag!, MODE: 'push' });
      expect(unprotected.status).toBe(1);
      expect(unprotected.stdout).toContain('::error::prod is a production environment without required reviewers (GitHub creates environments unprotected)');
      expect(api.requests.at(-1)).toMatchObject({ method: 'GET', path: '/repos/acme/svc/environments/prod', authorization: 'Bearer the-token' });
      expect(deployedOnOrigin(repos, 'prod')).toBe(PLACEHOLDER);

      api.environments.set('prod', { name: 'prod', protection_rules: [{ id: 1, type: 'required_reviewers', reviewers: [{ type: 'Team' }] }] });
      const protectedProd = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'prod', PREVIOUS: 'staging', TAG: tag!, MODE: 'push' });
      expect(protectedProd.status, protectedProd.stdout + protectedProd.stderr).toBe(0);
      expect(deployedOnOrigin(repos, 'prod')).toBe(`${IMAGE}:${tag}`);
    });
  });

  describe('the plan', () => {
    it('sends a new tag to the first environment', async () => {
      const repos = setUp();
      const result = await planJob(repos.clone('work'), { TAG: repos.commits[1]! });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.outputs).toEqual({ environment: 'dev', previous: '', tag: repos.commits[1], rollback: 'false', mode: 'pull-request' });
    });

    it("sends a 1.0.0 pipeline's call (one environment, chained by the pipeline) to that environment, by a push", async () => {
      const repos = setUp();
      const result = await planJob(repos.clone('work'), { ENVIRONMENTS: '', LEGACY_ENVIRONMENT: 'staging', TAG: repos.commits[1]! });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.outputs).toEqual({ environment: 'staging', previous: '', tag: repos.commits[1], rollback: 'false', mode: 'push' });
      expect(result.stdout).toContain('::notice::a pipeline of template 1.0.0 promotes staging by a push: run `platform upgrade`');
    });

    it('continues a promotion that a push landed (merged, squashed or pushed) with the next environment', async () => {
      const repos = setUp();
      const [, tag] = repos.commits;
      const before = git(repos.origin, 'rev-parse', 'main');
      deployOnOrigin(repos, 'dev', tag!, `deploy(dev): ${IMAGE}:${tag} (#12)`);
      const after = git(repos.origin, 'rev-parse', 'main');
      const result = await planJob(repos.clone('work'), { BEFORE: before, AFTER: after });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.outputs).toEqual({ environment: 'staging', previous: 'dev', tag, rollback: 'false', mode: 'pull-request' });
    });

    it('does nothing for a human commit to an overlay, or after the last environment', async () => {
      const repos = setUp();
      const before = git(repos.origin, 'rev-parse', 'main');
      deployOnOrigin(repos, 'dev', repos.commits[1]!, 'dev: two replicas for the load test');
      const human = await planJob(repos.clone('work'), { BEFORE: before, AFTER: git(repos.origin, 'rev-parse', 'main') });
      expect(human.status).toBe(0);
      expect(human.outputs.environment).toBe('');
      expect(human.stdout).toContain(`This push landed no promotion of ${IMAGE}`);

      const last = git(repos.origin, 'rev-parse', 'main');
      deployOnOrigin(repos, 'prod', repos.commits[1]!);
      const done = await planJob(repos.clone('work'), { BEFORE: last, AFTER: git(repos.origin, 'rev-parse', 'main') });
      expect(done.outputs.environment).toBe('');
      expect(done.stdout).toContain('prod is the last environment');
    });

    it.each([
      ['environments', { ENVIRONMENTS: 'dev; touch pwned' }],
      ['image', { IMAGE: '$(touch pwned)' }],
      ['tag', { TAG: '${{ github.event.issue.title }}' }],
    ])('refuses a bad %s', async (input, env) => {
      const repos = setUp();
      const work = repos.clone('work');
      const result = await planJob(work, env);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`::error::input ${input} is not`);
      expect(existsSync(join(work, 'pwned'))).toBe(false);
    });
  });

  it('rolls back with one dispatch of a tag: the first environment at once, each next one as the previous lands it', async () => {
    const repos = setUp();
    const [older, newer] = repos.commits;
    for (const env of ['dev', 'staging', 'prod']) deployOnOrigin(repos, env, newer!);
    api.environments.set('prod', { name: 'prod', protection_rules: [{ id: 1, type: 'required_reviewers' }] });

    // The dispatch: plan and promote the first environment.
    const dispatch = await planJob(repos.clone('work'), { TAG: older!, ROLLBACK: 'true' });
    expect(dispatch.outputs).toEqual({ environment: 'dev', previous: '', tag: older, rollback: 'true', mode: 'pull-request' });
    let before = git(repos.origin, 'rev-parse', 'main');
    const dev = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'dev', TAG: older!, ROLLBACK: 'true', MODE: 'push' });
    expect(dev.status, dev.stdout + dev.stderr).toBe(0);

    // Each push of a rollback commit continues it, with the rollback allowed to go back.
    for (const [previous, env] of [['dev', 'staging'], ['staging', 'prod']] as const) {
      const after = git(repos.origin, 'rev-parse', 'main');
      const plan = await planJob(repos.clone('work'), { BEFORE: before, AFTER: after });
      expect(plan.outputs).toEqual({ environment: env, previous, tag: older, rollback: 'true', mode: 'pull-request' });
      const step = await promoteJob(repos.clone('work'), { ENVIRONMENT: env, PREVIOUS: previous, TAG: older!, ROLLBACK: 'true', MODE: 'push' });
      expect(step.status, step.stdout + step.stderr).toBe(0);
      before = after;
    }
    for (const env of ['dev', 'staging', 'prod']) expect(deployedOnOrigin(repos, env)).toBe(`${IMAGE}:${older}`);
    expect(subjects(repos.origin)[0]).toBe(`deploy(prod): ${IMAGE}:${older} (rollback)`);
  });

  it.each([
    ['environment', { ENVIRONMENT: 'dev; touch pwned' }],
    ['environment', { ENVIRONMENT: '../../..' }],
    ['image', { IMAGE: `${IMAGE} --push` }],
    ['image', { IMAGE: '$(touch pwned)' }],
    ['tag', { TAG: '${{ github.event.issue.title }}' }],
    ['tag', { TAG: 'x\n--help' }],
    ['mode', { MODE: 'force' }],
    ['argocd-url', { ARGOCD_URL: 'https://argo.example/$(touch pwned)' }],
    ['production-environments', { PRODUCTION: 'prod; touch pwned' }],
  ])('refuses a bad %s before running anything', async (input, env) => {
    const repos = setUp();
    const work = repos.clone('work');
    const before = kustomizeCalls().length;
    const result = await promoteJob(work, { ENVIRONMENT: 'dev', TAG: repos.commits[0]!, MODE: 'push', ...env });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error::input ${input} is not`);
    expect(kustomizeCalls().length).toBe(before);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
    expect(subjects(repos.origin)).toHaveLength(3);
  });

  it('names the missing overlay of an environment the repository does not have', async () => {
    const repos = setUp();
    const result = await promoteJob(repos.clone('work'), { ENVIRONMENT: 'qa', TAG: repos.commits[0]! });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::deploy/overlays/qa/kustomization.yaml does not exist');
  });
});
