/**
 * The CLI starts from bundles compiled ahead of time (src/core/code-cache.ts): every cache the build
 * wrote is used, validating a generated repository needs only the small bundle of template kinds (and
 * GitHub's workflow parser only when it has workflows), and a cache that does not belong to its file is
 * never used: the file's own code runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateTemp, repoRoot, tempDir } from './helpers/repo.js';

const CODE_CACHE = pathToFileURL(join(repoRoot, 'dist', 'src', 'core', 'code-cache.js')).href;
const CLI_BUNDLE = join(repoRoot, 'dist', 'cli', 'platform.cjs');

/** Runs `script` (an ES module that may use loadCommonJs and friends) in a fresh process. */
function inFreshProcess(script: string): { stdout: string; stderr: string; status: number | null } {
  const source = `import { loadCommonJs, codeCacheStates, writeCodeCaches } from ${JSON.stringify(CODE_CACHE)};\n${script}`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** `platform validate --format json` in a fresh process: its findings, and how each bundle was compiled. */
function validateWithStates(repo: string): { findings: Array<{ policy: string; file: string }>; states: Record<string, string> } {
  const run = inFreshProcess(`
    const cli = loadCommonJs(${JSON.stringify(CLI_BUNDLE)});
    await cli.main(['validate', ${JSON.stringify(repo)}, '--format', 'json']);
    process.stderr.write(JSON.stringify(codeCacheStates()));`);
  const states = Object.fromEntries((JSON.parse(run.stderr) as Array<{ file: string; state: string }>).map(({ file, state }) => [basename(file), state]));
  return { findings: (JSON.parse(run.stdout) as { findings: Array<{ policy: string; file: string }> }).findings, states };
}

describe('the CLI bundles and their code caches', () => {
  it('validate a complete generated repository from caches, with only the kinds the templates generate', () => {
    const repo = generateTemp({
      name: 'payments-api',
      environments: ['dev', 'staging', 'prod'],
      databases: [{ name: 'main', engine: 'postgres', version: '16', backups: true }],
      secrets: [{ name: 'stripe-api-key', env: 'STRIPE_API_KEY', path: 'payments/stripe' }],
    });
    const { findings, states } = validateWithStates(repo);
    expect(findings).toEqual([]);
    // The kinds the templates generate come from kinds-common.cjs (never the big kinds.cjs), and each custom
    // resource from the validator of its own CustomResourceDefinition version, only those the repository has.
    expect(states).toEqual({
      'platform.cjs': 'used', 'validators.cjs': 'used', 'compiled.cjs': 'used', 'kinds-common.cjs': 'used', 'workflows.cjs': 'used',
      'argoproj.io_application_v1alpha1.cjs': 'used', 'external-secrets.io_externalsecret_v1.cjs': 'used', 'barmancloud.cnpg.io_objectstore_v1.cjs': 'used',
      'postgresql.cnpg.io_cluster_v1.cjs': 'used', 'postgresql.cnpg.io_scheduledbackup_v1.cjs': 'used',
    });
  });

  it("load GitHub's workflow parser only for a repository that has workflows or actions", () => {
    const repo = generateTemp({ name: 'svc' });
    rmSync(join(repo, '.github', 'workflows'), { recursive: true });
    const { findings, states } = validateWithStates(repo);
    expect(findings.map((finding) => finding.policy)).toContain('platform-workflow-present');
    expect(states['workflows.cjs']).toBeUndefined();
  });

  it('check any other kind from the bundle of every kind, also from its cache', () => {
    const repo = generateTemp({ name: 'svc' });
    writeFileSync(join(repo, 'deploy', 'base', 'autoscaler.yaml'), 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: svc\nspec:\n  maxReplicas: many\n');
    const { findings, states } = validateWithStates(repo);
    expect(findings.map((finding) => `${finding.file} ${finding.policy}`)).toContain('deploy/base/autoscaler.yaml resource-schema');
    expect(states['kinds.cjs']).toBe('used');
  });
});

describe('loadCommonJs', () => {
  it('uses a cache only for the source it was made from', () => {
    const dir = tempDir();
    const file = join(dir, 'answer.cjs');
    const load = `const value = loadCommonJs(${JSON.stringify(file)}); process.stdout.write(JSON.stringify([value, codeCacheStates()[0].state]));`;
    const loaded = () => JSON.parse(inFreshProcess(load).stdout) as [string, string];

    writeFileSync(file, "module.exports = 'first';");
    expect(loaded()).toEqual(['first', 'absent']);
    expect(inFreshProcess(`loadCommonJs(${JSON.stringify(file)}, { useCache: false }); writeCodeCaches();`).status).toBe(0);
    expect(loaded()).toEqual(['first', 'used']);

    // The same length, other code: V8 alone would accept the cache.
    writeFileSync(file, "module.exports = 'other';");
    expect(loaded()).toEqual(['other', 'stale']);

    // A cache that claims this source but holds garbage: V8 refuses it, the file is compiled as usual.
    const header = Buffer.alloc(4);
    header.writeUInt32LE(crc32(readFileSync(file)));
    writeFileSync(`${file}.v8cache`, Buffer.concat([header, Buffer.alloc(4096, 7)]));
    expect(loaded()).toEqual(['other', 'rejected']);
  });
});
