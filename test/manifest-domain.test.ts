import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { platform } from './helpers/cli.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { writeTree } from './helpers/trees.js';

/**
 * The organization's domain (`organization.domain` in the settings) names platform.yaml's API group and
 * where editors find its schema: each organization's manifests are its own, and the check refuses another's.
 */

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

let source: string;
let settings: string;
let repo: string;

beforeAll(() => {
  source = join(tempDir('platform-domain-'), 'templates');
  cpSync(join(repoRoot, 'templates'), source, { recursive: true });
  settings = join(source, 'settings.yaml');
  writeFileSync(settings, read(source, 'settings.yaml').replace(/^  domain: acme\.dev$/m, '  domain: globex.example'));
  repo = join(tempDir('platform-domain-'), 'svc');
  const run = platform(['new', repo, '--defaults', '--source', source]);
  expect(run.status, run.stderr).toBe(0);
});

describe("another organization's domain", () => {
  test('is the API group of the manifest it generates, and the host of the schema its editors load', () => {
    const text = read(repo, 'platform.yaml');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=https://platform.globex.example/schemas/platform.schema.json');
    expect(parse(text).apiVersion).toBe('platform.globex.example/v1');
    expect(text).not.toContain('acme.dev');
  });

  test('its manifests validate clean against its settings', () => {
    const run = platform(['validate', repo, '--settings', settings]);
    expect(run.status, run.stdout).toBe(0);
  });

  test("a manifest of another organization's group is refused on the apiVersion line, naming the expected one", () => {
    const other = join(tempDir('platform-domain-'), 'svc');
    cpSync(repo, other, { recursive: true });
    writeFileSync(join(other, 'platform.yaml'), read(other, 'platform.yaml').replace('apiVersion: platform.globex.example/v1', 'apiVersion: platform.acme.dev/v1'));
    const line = read(other, 'platform.yaml').split('\n').findIndex((text) => text.startsWith('apiVersion:')) + 1;
    const run = platform(['validate', other, '--settings', settings, '--format', 'json']);
    expect(run.status).toBe(1);
    const findings = JSON.parse(run.stdout).findings as Array<{ file: string; line: number; policy: string; message: string }>;
    expect(findings.filter((finding) => finding.file === 'platform.yaml').map(({ line, policy, message }) => ({ line, policy, message }))).toEqual([
      {
        line,
        policy: 'manifest-schema',
        message: 'apiVersion: "platform.acme.dev/v1" is not this organization\'s: expected platform.globex.example/v1 (from organization.domain in the settings)',
      },
    ]);
  });

  test('platform add keeps the organization\'s group', () => {
    const run = platform(['add', 'secret', 'sentry-dsn:SENTRY_DSN:svc/sentry', '--dir', repo]);
    expect(run.status, run.stderr).toBe(0);
    expect(parse(read(repo, 'platform.yaml')).apiVersion).toBe('platform.globex.example/v1');
  });
});

describe('a 1.0.0 repository of acme (written by release 0.1.0)', () => {
  test('keeps its apiVersion, which the embedded settings accept', () => {
    const fixture = JSON.parse(read(repoRoot, 'test/fixtures/releases/0.1.0-service-1.0.0.json')) as { files: Record<string, string> };
    const dir = join(tempDir('platform-domain-'), 'svc');
    writeTree(dir, fixture.files);
    expect(parse(read(dir, 'platform.yaml')).apiVersion).toBe('platform.acme.dev/v1');
    const run = platform(['validate', dir, '--format', 'json']);
    // Nothing about platform.yaml and no drift: the only findings are those of the policies tightened since
    // 1.0.0 rendered it (ExternalSecrets at v1, a store entry per environment, pinned and replicated databases).
    const findings = JSON.parse(run.stdout).findings as Array<{ file: string; policy: string }>;
    expect(findings.filter((finding) => finding.file === 'platform.yaml')).toEqual([]);
    expect([...new Set(findings.map((finding) => finding.policy))].sort()).toEqual(['image-tag-pinned', 'replicas-prod-min', 'resource-schema', 'secrets-declared']);
    const other = platform(['validate', dir, '--settings', settings]);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain('expected platform.globex.example/v1');
  });
});
