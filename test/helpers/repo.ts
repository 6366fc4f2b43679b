import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { answersToManifest, completeDatabase, type Answers } from '../../src/manifest/answers.js';
import type { Manifest } from '../../src/manifest/types.js';
import { checkedManifest, generateRepository } from '../../src/generate/new.js';
import { loadTemplateSource, type TemplateSource } from '../../src/render/source.js';

export const repoRoot = join(import.meta.dirname, '..', '..');

let source: TemplateSource | undefined;
export function defaultSource(): TemplateSource {
  source ??= loadTemplateSource();
  return source;
}

// One hook for the whole file, registered when the file is collected: a hook registered from inside a
// running test is not run, and a folder made there would be left behind.
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'platform-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

export function manifestFor(partial: Partial<Answers> = {}): Manifest {
  const src = defaultSource();
  const answers: Answers = {
    name: 'payments-api',
    owner: 'team-payments',
    description: 'Card payments API',
    runtime: 'node',
    environments: ['dev', 'staging', 'prod'],
    databases: [],
    secrets: [],
    ...partial,
  };
  answers.databases = answers.databases.map((db) => completeDatabase(db, src.settings));
  return checkedManifest(answersToManifest(answers, src.settings, src.template), src);
}

/** Generate a repository with the library (no Yeoman) into a fresh temporary folder; returns its path. */
export function generateTemp(partial: Partial<Answers> = {}): string {
  const dir = join(tempDir(), partial.name ?? 'payments-api');
  generateRepository(dir, manifestFor(partial), defaultSource());
  return dir;
}

/** The answer matrix of the foundation issue: runtime x database x secrets x environments. */
export interface MatrixCase {
  id: string;
  answers: Partial<Answers>;
}

export function answerMatrix(): MatrixCase[] {
  const cases: MatrixCase[] = [];
  const databases = {
    nodb: [],
    'pg-backups': [{ name: 'main', engine: 'postgres' as const, version: '16', backups: true }],
    'pg-nobackups': [{ name: 'main', engine: 'postgres' as const, version: '16', backups: false }],
  };
  const secrets = {
    nosecret: [],
    twosecrets: [
      { name: 'stripe-api-key', env: 'STRIPE_API_KEY', path: 'payments/stripe' },
      { name: 'sentry-dsn', env: 'SENTRY_DSN', path: 'payments/sentry/dsn' },
    ],
  };
  const environments = { oneenv: ['dev'], threeenv: ['dev', 'staging', 'prod'] };
  for (const runtime of ['node', 'python']) {
    for (const [dbId, dbs] of Object.entries(databases)) {
      for (const [secretId, secretList] of Object.entries(secrets)) {
        for (const [envId, envs] of Object.entries(environments)) {
          cases.push({
            id: `${runtime}-${dbId}-${secretId}-${envId}`,
            answers: { name: 'svc', runtime, databases: dbs, secrets: secretList, environments: envs },
          });
        }
      }
    }
  }
  return cases;
}
