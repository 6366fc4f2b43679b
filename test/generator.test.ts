import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpers } from './helpers/yeoman-test.js';
import { describe, expect, it } from 'vitest';
import PlatformGenerator from '../generators/app/index.js';
import DatabaseGenerator from '../generators/database/index.js';
import SecretGenerator from '../generators/secret/index.js';
import EnvironmentGenerator from '../generators/environment/index.js';
import { questionsFor } from '../src/generate/questions.js';
import { defaultSource, generateTemp } from './helpers/repo.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

describe('yo platform', () => {
  it('asks every question and writes the repository the answers describe', async () => {
    const result = await helpers
      .run(PlatformGenerator, { namespace: 'platform:app' })
      .withAnswers({
        name: 'orders',
        owner: 'team-orders',
        description: 'Order intake',
        runtime: 'python',
        environments: ['dev', 'prod'],
        databases: 'main:postgres:16:backups',
        secrets: 'stripe-api-key:STRIPE_API_KEY:orders/stripe',
      });
    const manifest = read(result.cwd, 'platform.yaml');
    expect(manifest).toContain('name: orders');
    expect(manifest).toContain('runtime: python');
    expect(manifest).toMatch(/environments:\n\s+- dev\n\s+- prod\n/);
    expect(manifest).toContain('backups: true');
    expect(manifest).toContain('path: orders/stripe');
    expect(existsSync(join(result.cwd, 'deploy/overlays/prod'))).toBe(true);
    expect(existsSync(join(result.cwd, 'deploy/overlays/staging'))).toBe(false);
  });

  it('does not ask what the options answered', async () => {
    const result = await helpers
      .run(PlatformGenerator, { namespace: 'platform:app' })
      .withOptions({ name: 'billing', owner: 'team-billing', description: 'Billing', runtime: 'node', environments: 'dev' })
      .withAnswers({}, { throwOnMissingAnswer: true });
    expect(read(result.cwd, 'platform.yaml')).toContain('name: billing');
    expect(result.askedQuestions.map((question) => question.name)).toEqual([]);
  });

  it('validates prompt answers with the manifest rules', async () => {
    const questions = questionsFor(defaultSource(), '/tmp/x', {});
    const validate = (name: string, value: unknown) => questions.find((question) => question.name === name)!.validate!(value);
    expect(validate('name', 'Bad Name')).toMatch(/^name "Bad Name": A DNS-1123 label/);
    expect(validate('name', 'good-name')).toBe(true);
    expect(validate('environments', [])).toMatch(/environments/);
    expect(validate('databases', 'main:postgres:16:backups, cache:postgres')).toBe(true);
    expect(validate('secrets', 'key:KEY:../x')).toMatch(/path: /);
    // An answer that slips past the prompt is still refused by the manifest rules.
    const context = helpers.run(PlatformGenerator, { namespace: 'platform:app' }).withAnswers({ name: 'Bad Name', environments: ['dev'] });
    await expect(context).rejects.toThrow(/name "Bad Name": A DNS-1123 label/);
  });

  it('generates from --manifest the same files as platform new', async () => {
    const original = generateTemp({ name: 'svc', runtime: 'node', databases: [{ name: 'main', engine: 'postgres', backups: true }] });
    const result = await helpers
      .run(PlatformGenerator, { namespace: 'platform:app' })
      .withOptions({ manifest: join(original, 'platform.yaml') });
    for (const path of ['platform.yaml', '.yo-rc.json', 'deploy/base/deployment.yaml', '.github/CODEOWNERS']) {
      expect(read(result.cwd, path)).toBe(read(original, path));
    }
  });
});

describe('sub-generators', () => {
  it('yo platform:database adds the database to platform.yaml and its clusters, keeping the team\'s edits', async () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev', 'prod'] });
    // The team comments platform.yaml, edits merged files (an overlay, the README) and a seeded file.
    writeFileSync(join(repo, 'platform.yaml'), read(repo, 'platform.yaml').replace('spec:\n', 'spec: # ours, keep this comment\n'));
    const overlay = 'deploy/overlays/dev/kustomization.yaml';
    writeFileSync(join(repo, overlay), `${read(repo, overlay)}# team note: keep me\n`);
    writeFileSync(join(repo, 'README.md'), `${read(repo, 'README.md')}\n## Our notes\n`);
    writeFileSync(join(repo, 'src/app.js'), '// our own app\n');

    await helpers.run(DatabaseGenerator, { namespace: 'platform:database' }).cd(repo).withArguments(['main:postgres:16:backups']);

    const manifest = read(repo, 'platform.yaml');
    expect(manifest).toContain('# ours, keep this comment');
    expect(manifest).toMatch(/databases:\n\s+- name: main\n\s+engine: postgres\n\s+version: "16"/);
    expect(read(repo, overlay)).toContain('# team note: keep me');
    expect(read(repo, 'README.md')).toMatch(/\| `main` \| 16 \|[^]*\n## Our notes\n$/);
    expect(read(repo, 'src/app.js')).toBe('// our own app\n');
    expect(read(repo, 'deploy/base/deployment.yaml')).toContain('MAIN_DATABASE_URL');
    const record = JSON.parse(read(repo, '.yo-rc.json'))['generator-platform'];
    expect(record.answers.spec.databases).toEqual([{ name: 'main', engine: 'postgres', version: '16', size: 'small', backups: true }]);
  });

  it('yo platform:secret and yo platform:environment wire a secret and a new environment in promotion order', async () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev', 'prod'] });
    await helpers.run(SecretGenerator, { namespace: 'platform:secret' }).cd(repo).withArguments(['api-token:API_TOKEN:svc/api']);
    await helpers.run(EnvironmentGenerator, { namespace: 'platform:environment' }).cd(repo).withArguments(['staging']);
    const manifest = read(repo, 'platform.yaml');
    expect(manifest).toMatch(/environments:\n\s+- dev\n\s+- staging\n\s+- prod\n/);
    expect(read(repo, 'deploy/base/deployment.yaml')).toContain('API_TOKEN');
    expect(existsSync(join(repo, 'deploy/overlays/staging/kustomization.yaml'))).toBe(true);
  });

  it('refuses an invalid value with the same rule as platform.yaml', async () => {
    const repo = generateTemp({ name: 'svc' });
    const before = read(repo, 'platform.yaml');
    const context = helpers.run(SecretGenerator, { namespace: 'platform:secret' }).cd(repo).withArguments(['key:KEY:../../etc']);
    await expect(context).rejects.toThrow(/--secret "key:KEY:\.\.\/\.\.\/etc": path: /);
    expect(read(repo, 'platform.yaml')).toBe(before);
  });
});
