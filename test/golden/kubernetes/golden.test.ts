/**
 * Golden cases of the Kubernetes checks, as actionlint keeps its testdata: each case under cases/ is a
 * small overlay on one clean repository (test/fixtures/ok/service-dev-prod): `repo/` holds the files it
 * adds or replaces, `settings.yaml` (optional) what it adds to the organization settings, and
 * `expected.out` exactly the findings, one `file:line:col: message [policy]` a line (or the one-line
 * error when the run must refuse to start). An empty expected.out: the case must validate clean.
 *
 * Each overlay a case deploys is also built by the real `kubectl kustomize`, and the resources of our
 * model (src/policy/kustomize.ts) must be the same: the checks judge what kustomize would deploy. An
 * overlay kustomize refuses is named in the case's `kubectl-refuses`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/core/errors.js';
import { kustomizeView } from '../../../src/policy/kustomize.js';
import { loadRepository } from '../../../src/validate/load.js';
import { buildModel } from '../../../src/validate/model.js';
import { validateRepository } from '../../../src/validate/index.js';
import { loadSettings, DEFAULT_SETTINGS_FILE } from '../../../src/settings/settings.js';
import { repoRoot, tempDir } from '../../helpers/repo.js';

const here = join(repoRoot, 'test', 'golden', 'kubernetes');
const cleanRepository = join(repoRoot, 'test', 'fixtures', 'ok', 'service-dev-prod');
const now = new Date('2026-06-01T12:00:00Z');
const cases = readdirSync(join(here, 'cases')).sort();

interface Laid {
  root: string;
  settingsFile?: string;
}

/** The clean repository with the case's files laid over it, and its settings (the embedded ones plus the case's). */
function layCase(name: string): Laid {
  const dir = join(here, 'cases', name);
  const temp = tempDir('golden-k8s-');
  const root = join(temp, 'repo');
  cpSync(cleanRepository, root, { recursive: true });
  if (existsSync(join(dir, 'repo'))) cpSync(join(dir, 'repo'), root, { recursive: true });
  if (!existsSync(join(dir, 'settings.yaml'))) return { root };
  // The settings beside a copy of the case's own folders (schemas, policies), so its relative paths resolve as written.
  const organization = join(temp, 'organization');
  cpSync(dir, organization, { recursive: true, filter: (source) => !/\/(repo|expected\.out|kubectl-refuses)$/.test(source) });
  const settings = { ...(parse(readFileSync(DEFAULT_SETTINGS_FILE, 'utf8')) as object), ...(parse(readFileSync(join(dir, 'settings.yaml'), 'utf8')) as object) };
  const settingsFile = join(organization, 'settings.yaml');
  writeFileSync(settingsFile, stringify(settings));
  return { root, settingsFile };
}

async function findingsOf(laid: Laid): Promise<string[]> {
  try {
    const result = await validateRepository(laid.root, { now, settingsFile: laid.settingsFile });
    return result.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.policy}]`);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return [`error: ${error.toString().replace(/^.*\/organization\//, '')}`];
  }
}

function expected(name: string): string[] {
  return readFileSync(join(here, 'cases', name, 'expected.out'), 'utf8').split('\n').filter(Boolean);
}

describe('golden Kubernetes cases: exactly the expected findings', () => {
  it.each(cases)('%s', async (name) => {
    expect(await findingsOf(layCase(name))).toEqual(expected(name));
  });
});

/** The overlays the real kustomize must refuse: `kubectl-refuses` of the case, one environment a line. */
function refusedBy(name: string): string[] {
  const file = join(here, 'cases', name, 'kubectl-refuses');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Resources by kind and name, keys sorted: both sides compare as data, not as text. */
function normalized(resources: unknown[]): Record<string, unknown> {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const resource of resources as Array<{ kind: string; metadata?: { name?: string } }>) out[`${resource.kind}/${resource.metadata?.name ?? ''}`] = sortKeys(resource);
  return out;
}

describe('our kustomize model builds what kubectl kustomize builds', () => {
  const buildable = cases.filter((name) => !expected(name).some((line) => line.startsWith('error:')));
  it.each(buildable)('%s', (name) => {
    const laid = layCase(name);
    const { model } = buildModel(loadRepository(laid.root), laid.settingsFile ? loadSettings(laid.settingsFile) : loadSettings());
    const view = kustomizeView(model);
    for (const env of view.environments) {
      let output: string;
      try {
        output = execFileSync('kubectl', ['kustomize', join(laid.root, 'deploy', 'overlays', env)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        // Only where the case says kustomize refuses the overlay (a kustomization it rejects).
        expect(refusedBy(name), `${name}: kubectl kustomize deploy/overlays/${env}: ${String((error as { stderr?: string }).stderr)}`).toContain(env);
        continue;
      }
      expect(refusedBy(name), `${name}: kubectl kustomize builds deploy/overlays/${env}`).not.toContain(env);
      const theirs = parseAllDocuments(output).map((doc) => doc.toJS());
      const ours = view.build(env).map((resource) => ({ ...(resource.value as object), metadata: { ...((resource.value as { metadata?: object }).metadata ?? {}), name: resource.identity.name } }));
      expect(normalized(ours), `${name}: deploy/overlays/${env}`).toEqual(normalized(theirs));
    }
  });
});
