/**
 * The promotion script of .github/workflows/promote.yml, run for real: the `run:` text of the workflow under
 * bash as GitHub runs it, in a clone of a generated repository whose origin is a local bare repository.
 *
 * kustomize itself is not on this machine (GitHub's ubuntu-24.04 image ships it; Debian does not package it),
 * so a stand-in on PATH records how it was called and sets `newTag:` the way `kustomize edit set image`
 * would. What is under test is the script: its input checks, the command it gives kustomize, the commit,
 * the push and its retry when another push got there first; the result is then built with the real
 * `kubectl kustomize`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { generateRepository } from '../src/generate/new.js';
import { defaultSource, manifestFor, repoRoot, tempDir } from './helpers/repo.js';

const IMAGE = 'ghcr.io/acme/svc';
const SHA = 'a3f1c2d4e5b6a7980112233445566778899aabbc';

const promote = parse(readFileSync(join(repoRoot, '.github/workflows/promote.yml'), 'utf8'));
const step = promote.jobs.promote.steps.find((candidate: any) => typeof candidate.run === 'string');
const root = tempDir('platform-promote-');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

function git(cwd: string, ...args: string[]): string {
  const result = run('git', args, cwd);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

const gitIdentity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

/** A generated repository pushed to a bare origin, and a fresh clone of it to run the script in. */
function setUpRepositories(id: string): { origin: string; work: string; other: string } {
  const base = join(root, id);
  const source = join(base, 'source');
  generateRepository(source, manifestFor({ name: 'svc', environments: ['dev', 'staging', 'prod'] }), defaultSource());
  git(source, 'init', '-q', '-b', 'main');
  git(source, 'add', '-A');
  git(source, ...gitIdentity, 'commit', '-q', '-m', 'generated');
  const origin = join(base, 'origin.git');
  git(base, 'clone', '-q', '--bare', source, origin);
  git(base, 'clone', '-q', origin, join(base, 'work'));
  git(base, 'clone', '-q', origin, join(base, 'other'));
  return { origin, work: join(base, 'work'), other: join(base, 'other') };
}

const standIn = join(root, 'bin');
const kustomizeLog = join(root, 'kustomize.log');

beforeAll(() => {
  mkdirSync(standIn, { recursive: true });
  writeFileSync(
    join(standIn, 'kustomize'),
    [
      '#!/bin/bash',
      'set -eu',
      `printf '%s|%s\\n' "$(basename "$PWD")" "$*" >> ${JSON.stringify(kustomizeLog)}`,
      '[ "$1 $2 $3" = "edit set image" ] || exit 2',
      'tag="${4##*:}"',
      'sed -i "s/^  newTag: .*/  newTag: \\"${tag}\\"/" kustomization.yaml',
    ].join('\n'),
  );
  chmodSync(join(standIn, 'kustomize'), 0o755);
});

/** The workflow step's script, under bash the way GitHub runs a `run:` (a file, -e and pipefail). */
function promoteStep(cwd: string, env: Record<string, string>) {
  const script = join(root, 'promote-step.sh');
  writeFileSync(script, step.run);
  const summary = join(root, `summary-${Math.random().toString(16).slice(2)}.md`);
  writeFileSync(summary, '');
  const result = run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], cwd, {
    PATH: `${standIn}:${process.env.PATH}`,
    HOME: root,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_STEP_SUMMARY: summary,
    ...env,
  });
  return { ...result, summary: readFileSync(summary, 'utf8') };
}

function kustomizeCalls(): string[] {
  return existsSync(kustomizeLog) ? readFileSync(kustomizeLog, 'utf8').trim().split('\n').filter(Boolean) : [];
}

function deployedImage(checkout: string, env: string): string {
  const built = run('kubectl', ['kustomize', join(checkout, 'deploy/overlays', env)], checkout);
  expect(built.status, built.stderr).toBe(0);
  const deployment = parseAllDocuments(built.stdout).map((doc) => doc.toJS()).find((doc) => doc?.kind === 'Deployment');
  return deployment.spec.template.spec.containers[0].image;
}

describe('the promotion step of promote.yml', () => {
  it('passes its inputs through env only', () => {
    expect(Object.keys(step.env).sort()).toEqual(['ENVIRONMENT', 'IMAGE', 'TAG']);
    expect(step.run).not.toContain('${{');
  });

  it('sets the image of the overlay with kustomize, commits that one file and pushes it; a second run changes nothing', () => {
    const { origin, work } = setUpRepositories('happy');
    const before = kustomizeCalls().length;
    const result = promoteStep(work, { ENVIRONMENT: 'dev', IMAGE, TAG: SHA });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(kustomizeCalls().slice(before)).toEqual([`dev|edit set image ${IMAGE}=${IMAGE}:${SHA}`]);
    expect(git(origin, 'log', '-1', '--format=%s', 'main')).toBe(`deploy(dev): ${IMAGE}:${SHA}`);
    expect(git(origin, 'show', '--name-only', '--format=', 'main')).toBe('deploy/overlays/dev/kustomization.yaml');
    expect(result.summary).toContain(`${IMAGE}:${SHA}`);
    const checkout = join(root, 'happy', 'check');
    git(root, 'clone', '-q', origin, checkout);
    expect(deployedImage(checkout, 'dev')).toBe(`${IMAGE}:${SHA}`);
    // Not promoted yet: the settings' placeholder, an image that exists, instead of the tag "0.0.0".
    expect(deployedImage(checkout, 'staging')).toBe('ghcr.io/acme/platform-placeholder:1.0.0');

    const again = promoteStep(work, { ENVIRONMENT: 'dev', IMAGE, TAG: SHA });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`dev already deploys ${IMAGE}:${SHA}`);
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('2');
  });

  it('starts again from the new tip when another push got there first', () => {
    const { origin, work, other } = setUpRepositories('race');
    writeFileSync(join(other, 'NOTES.md'), 'a change pushed while the promotion ran\n');
    git(other, 'add', 'NOTES.md');
    git(other, ...gitIdentity, 'commit', '-q', '-m', 'a concurrent change');
    git(other, 'push', '-q', 'origin', 'HEAD:main');

    const result = promoteStep(work, { ENVIRONMENT: 'staging', IMAGE, TAG: SHA });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('::warning::the push raced with another change (attempt 1 of 5)');
    expect(git(origin, 'log', '--format=%s', 'main').split('\n')).toEqual([`deploy(staging): ${IMAGE}:${SHA}`, 'a concurrent change', 'generated']);
  });

  it.each([
    ['environment', { ENVIRONMENT: 'dev; touch pwned', IMAGE, TAG: SHA }],
    ['environment', { ENVIRONMENT: '../../..', IMAGE, TAG: SHA }],
    ['image', { ENVIRONMENT: 'dev', IMAGE: `${IMAGE} --push`, TAG: SHA }],
    ['image', { ENVIRONMENT: 'dev', IMAGE: '$(touch pwned)', TAG: SHA }],
    ['tag', { ENVIRONMENT: 'dev', IMAGE, TAG: '${{ github.event.issue.title }}' }],
    ['tag', { ENVIRONMENT: 'dev', IMAGE, TAG: 'x\n--help' }],
  ])('refuses a bad %s before running anything', (input, env) => {
    const { origin, work } = setUpRepositories(`bad-${Math.random().toString(16).slice(2)}`);
    const before = kustomizeCalls().length;
    const result = promoteStep(work, env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error::input ${input} is not`);
    expect(kustomizeCalls().length).toBe(before);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
  });

  it('names the missing overlay of an environment the repository does not have', () => {
    const { work } = setUpRepositories('missing');
    const result = promoteStep(work, { ENVIRONMENT: 'qa', IMAGE, TAG: SHA });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::deploy/overlays/qa/kustomization.yaml does not exist');
  });
});
