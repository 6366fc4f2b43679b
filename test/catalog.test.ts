import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { answersFromPrompts, questionsFor } from '../src/generate/questions.js';
import { answersToManifest } from '../src/manifest/answers.js';
import { platform } from './helpers/cli.js';
import { defaultSource, repoRoot, tempDir } from './helpers/repo.js';
import { writeTree } from './helpers/trees.js';

/**
 * The service in the developer portal (Backstage): its catalog entry carries the lifecycle and system the
 * team answered, its TechDocs are built from the repository, and a 1.0.0 repository upgrades to both.
 */

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const catalog = (dir: string) => parseAllDocuments(read(dir, 'catalog-info.yaml')).map((doc) => doc.toJS());

function generate(args: string[]): string {
  const dir = join(tempDir('platform-catalog-'), 'svc');
  const run = platform(['new', dir, '--defaults', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return dir;
}

describe('platform new: lifecycle, system and TechDocs', () => {
  test('the answers reach platform.yaml and every catalog entity, and the result validates clean', () => {
    const dir = generate(['--lifecycle', 'production', '--system', 'payments', '--database', 'main:postgres']);
    expect(parse(read(dir, 'platform.yaml')).metadata).toMatchObject({ lifecycle: 'production', system: 'payments' });
    const [component, database] = catalog(dir);
    expect(component.spec).toMatchObject({ type: 'service', lifecycle: 'production', system: 'payments', owner: 'team-platform' });
    expect(database.kind).toBe('Resource');
    expect(database.spec.system).toBe('payments');
    const validate = platform(['validate', dir]);
    expect(validate.status, validate.stdout).toBe(0);
  });

  test('by default a new service is experimental and belongs to no system', () => {
    const dir = generate([]);
    expect(parse(read(dir, 'platform.yaml')).metadata.lifecycle).toBe('experimental');
    const [component] = catalog(dir);
    expect(component.spec.lifecycle).toBe('experimental');
    expect(component.spec).not.toHaveProperty('system');
  });

  test('TechDocs: the catalog points at this repository, which holds mkdocs.yml and docs/index.md', () => {
    const dir = generate(['--description', 'Card payments API']);
    const [component] = catalog(dir);
    expect(component.metadata.annotations['backstage.io/techdocs-ref']).toBe('dir:.');
    const mkdocs = parse(read(dir, 'mkdocs.yml'));
    expect(mkdocs).toMatchObject({ site_name: 'svc', site_description: 'Card payments API', nav: [{ Overview: 'index.md' }], plugins: ['techdocs-core'] });
    expect(existsSync(join(dir, 'docs', mkdocs.nav[0].Overview))).toBe(true);
    expect(read(dir, 'docs/index.md')).toMatch(/^# svc\n\nCard payments API\n/);
  });

  test.each([
    [['--lifecycle', 'retired'], /^platform: --lifecycle "retired": must be one of "experimental", "production", "deprecated"/],
    [['--system', 'Payments_Core'], /^platform: --system "Payments_Core": /],
  ])('a bad answer (%j) is one line naming the option, and nothing is written', (args, message) => {
    const dir = join(tempDir('platform-catalog-'), 'svc');
    const run = platform(['new', dir, '--defaults', ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('the prompts', () => {
  const { settings, template } = defaultSource();

  test('ask for the lifecycle (experimental first) and an optional system, after the description', () => {
    const questions = questionsFor({ settings, template }, '/tmp/svc', {});
    expect(questions.map((question) => question.name).slice(0, 5)).toEqual(['name', 'owner', 'description', 'lifecycle', 'system']);
    const [lifecycle, system] = [questions[3]!, questions[4]!];
    expect(lifecycle).toMatchObject({ choices: ['experimental', 'production', 'deprecated'], default: 'experimental' });
    expect(system.validate!('')).toBe(true);
    expect(system.validate!('Payments_Core')).toMatch(/^system "Payments_Core": /);
  });

  test('what they return becomes the manifest', () => {
    const raw = { name: 'svc', owner: 'team-a', description: 'x', lifecycle: 'deprecated', system: 'billing', runtime: 'node', environments: ['dev'], databases: '', secrets: '' };
    const manifest = answersToManifest(answersFromPrompts(raw, {}, settings), settings, template);
    expect(manifest.metadata).toMatchObject({ lifecycle: 'deprecated', system: 'billing' });
    const none = answersToManifest(answersFromPrompts({ ...raw, system: '' }, {}, settings), settings, template);
    expect(none.metadata).not.toHaveProperty('system');
  });
});

describe('a repository generated at 1.0.0 by release 0.1.0', () => {
  test('upgrades to a production lifecycle, as its catalog said, and gains TechDocs', () => {
    const fixture = JSON.parse(read(repoRoot, 'test/fixtures/releases/0.1.0-service-1.0.0.json')) as { files: Record<string, string> };
    const dir = join(tempDir('platform-catalog-'), 'svc');
    writeTree(dir, fixture.files);
    expect(catalog(dir)[0].spec.lifecycle).toBe('production');
    expect(parse(read(dir, 'platform.yaml')).metadata).not.toHaveProperty('lifecycle');

    const upgrade = platform(['upgrade', dir, '--to', '1.1.0']);
    expect(upgrade.status, upgrade.stdout + upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toMatch(/metadata\.lifecycle/);
    expect(parse(read(dir, 'platform.yaml')).metadata.lifecycle).toBe('production');
    const [component] = catalog(dir);
    expect(component.spec.lifecycle).toBe('production');
    expect(component.metadata.annotations['backstage.io/techdocs-ref']).toBe('dir:.');
    expect(existsSync(join(dir, 'mkdocs.yml')) && existsSync(join(dir, 'docs', 'index.md'))).toBe(true);
    const validate = platform(['validate', dir]);
    expect(validate.status, validate.stdout).toBe(0);
  });
});
