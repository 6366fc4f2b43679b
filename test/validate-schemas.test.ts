/**
 * The validator ships its own compact schemas (CloudNativePG Cluster, catalog entities,
 * kustomizations) instead of the third-party ones. Here they are held to those: a generated repository
 * passes ours with no finding, and each breakage below is caught by ours, at its node, and by the
 * third-party schema (the CRD's openAPIV3Schema, SchemaStore's schemas, read from ../shared only here).
 * Workflows are checked by GitHub's own parser (src/workflow), held to SchemaStore's schema the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateFiles, validateRepository } from '../src/validate/index.js';
import { resourceProblems, schemaValidator } from './helpers/k8s-checks.js';
import { generateTemp } from './helpers/repo.js';

const SCHEMA_POLICIES = ['manifest-schema', 'resource-schema', 'workflow-schema', 'yaml-syntax', 'yaml-style', 'file-readable'];

let full: string;
let small: string;

beforeAll(() => {
  full = generateTemp({
    name: 'full-api',
    databases: [{ name: 'main', engine: 'postgres', version: '16', backups: true }],
    secrets: [{ name: 'stripe-api-key', env: 'STRIPE_API_KEY', path: 'payments/stripe' }],
  });
  small = generateTemp({ name: 'small-api', runtime: 'python', environments: ['dev'] });
});

describe('generated repositories', () => {
  it('have no schema finding', async () => {
    for (const root of [full, small]) {
      const result = await validateRepository(root);
      expect(result.findings.filter((f) => SCHEMA_POLICIES.includes(f.policy)).map((f) => `${f.file}:${f.line} ${f.policy} ${f.message}`)).toEqual([]);
      expect(result.filesChecked).toBeGreaterThan(20);
    }
  });
});

type Doc = Record<string, any>;

interface Breakage {
  name: string;
  break: (doc: Doc) => void;
  /** The field our finding names, and what it says. */
  finding: RegExp;
}

/** Each breakage: our finding (exactly one, at the broken node), and the third-party schema's verdict. */
function check(kind: string, base: () => { path: string; doc: Doc }, thirdParty: (doc: Doc) => Promise<boolean> | boolean, breakages: Breakage[]): void {
  describe(kind, () => {
    it('the generated file passes both', async () => {
      const { path, doc } = base();
      expect(await ours(path, doc)).toEqual([]);
      expect(await thirdParty(doc)).toBe(true);
    });
    for (const breakage of breakages) {
      it(breakage.name, async () => {
        const { path, doc } = base();
        breakage.break(doc);
        const found = await ours(path, doc);
        expect(found).toHaveLength(1);
        expect(found[0]).toMatch(breakage.finding);
        expect(await thirdParty(doc)).toBe(false);
      });
    }
  });
}

async function ours(path: string, doc: Doc): Promise<string[]> {
  const result = await validateFiles({ [path]: stringify(doc) });
  return result.findings.filter((f) => f.file === path && SCHEMA_POLICIES.includes(f.policy)).map((f) => `${f.line}:${f.column} ${f.policy} ${f.message}`);
}

const read = (root: string, file: string, index = 0): Doc => {
  const text = readFileSync(join(root, file), 'utf8');
  return text.split(/^---$/m).map((part) => parse(part) as Doc).filter(Boolean)[index]!;
};

check('CloudNativePG Cluster (against the CRD)', () => ({ path: 'deploy/overlays/prod/databases.yaml', doc: read(full, 'deploy/overlays/prod/databases.yaml') }), async (doc) => (await resourceProblems(doc)).length === 0, [
  { name: 'no instance', break: (doc) => (doc.spec.instances = 0), finding: /resource-schema spec\.instances: must be >= 1$/ },
  { name: 'instances as a string', break: (doc) => (doc.spec.instances = '3'), finding: /resource-schema spec\.instances: must be an integer$/ },
  { name: 'a storage size that is a number', break: (doc) => (doc.spec.storage.size = 5), finding: /spec\.storage\.size: must be a string$/ },
  // The templates back up through the Barman Cloud plugin; a team's in-tree backup section is still checked.
  { name: 'a retention policy in words', break: (doc) => (doc.spec.backup = { retentionPolicy: '30 days' }), finding: /spec\.backup\.retentionPolicy: must match the pattern \^\[1-9\]\[0-9\]\*\[dwm\]\$$/ },
  { name: 'an object store without destination', break: (doc) => (doc.spec.backup = { barmanObjectStore: { wal: { compression: 'gzip' } } }), finding: /spec\.backup\.barmanObjectStore: missing required field "destinationPath"$/ },
  { name: 'an unknown compression', break: (doc) => (doc.spec.backup = { barmanObjectStore: { destinationPath: 's3://b/p', wal: { compression: 'zip' } } }), finding: /spec\.backup\.barmanObjectStore\.wal\.compression: must be one of "bzip2"/ },
  { name: 'an unknown update strategy', break: (doc) => (doc.spec.primaryUpdateStrategy = 'auto'), finding: /spec\.primaryUpdateStrategy: must be one of "unsupervised", "supervised"$/ },
]);

describe('CloudNativePG Cluster: a misspelt field', () => {
  it('which the API server would silently drop, is a finding, as in the upstream CRD read as strict field validation reads it', async () => {
    const doc = read(full, 'deploy/overlays/prod/databases.yaml');
    doc.spec.instancez = 3;
    expect(await ours('deploy/overlays/prod/databases.yaml', doc)).toEqual([expect.stringMatching(/resource-schema spec: unknown field "instancez"$/)]);
    expect(await resourceProblems(doc)).toEqual([expect.stringContaining('(instancez)')]);
  });
});

const NORMAL_JOB = {
  on: { push: { branches: ['main'] } },
  permissions: { contents: 'read' },
  jobs: { build: { 'runs-on': 'ubuntu-latest', 'timeout-minutes': 10, steps: [{ uses: 'actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8' }, { run: 'make test' }] } },
};
const workflowSchema = (doc: Doc): boolean => schemaValidator('github-workflow.json')(doc) as boolean;

check('workflow with steps (against SchemaStore)', () => ({ path: '.github/workflows/ci.yml', doc: structuredClone(NORMAL_JOB) }), workflowSchema, [
  { name: 'an unknown event', break: (doc) => (doc.on = { pushh: null }), finding: /workflow-schema Unexpected value 'pushh'$/ },
  { name: 'a permission level that does not exist', break: (doc) => (doc.permissions.contents = 'admin'), finding: /workflow-schema Unexpected value 'admin'$/ },
  { name: 'a job without runs-on', break: (doc) => delete doc.jobs.build['runs-on'], finding: /workflow-schema Required property is missing: runs-on$/ },
  { name: 'a misspelt job key', break: (doc) => (doc.jobs.build['time-out'] = 5), finding: /workflow-schema Unexpected value 'time-out'$/ },
  { name: 'a step that neither uses nor runs', break: (doc) => doc.jobs.build.steps.push({ name: 'nothing' }), finding: /workflow-schema There's not enough info to determine what you meant\. Add one of these properties: run, shell, uses/ },
  { name: 'a timeout in words', break: (doc) => (doc.jobs.build['timeout-minutes'] = 'ten'), finding: /workflow-schema Unexpected value 'ten'$/ },
]);

check('workflow calling reusable workflows (against SchemaStore)', () => ({ path: '.github/workflows/pipeline.yml', doc: read(full, '.github/workflows/pipeline.yml') }), workflowSchema, [
  { name: 'a list passed as an input', break: (doc) => (doc.jobs.build.with = { 'runtime-version': ['22'] }), finding: /^26:9 workflow-schema A sequence was not expected$/ },
  { name: 'no jobs', break: (doc) => delete doc.jobs, finding: /^1:1 workflow-schema Required property is missing: jobs$/ },
]);

const catalogSchema = (doc: Doc): boolean => schemaValidator('catalog-info.json')(doc) as boolean;

check('catalog entity (against SchemaStore)', () => ({ path: 'catalog-info.yaml', doc: read(full, 'catalog-info.yaml') }), catalogSchema, [
  { name: 'a component without owner', break: (doc) => delete doc.spec.owner, finding: /resource-schema spec: missing required field "owner"$/ },
  { name: 'an unknown kind', break: (doc) => (doc.kind = 'Componnt'), finding: /resource-schema kind: must be one of "Component"/ },
  { name: 'an entity without a name', break: (doc) => delete doc.metadata.name, finding: /resource-schema metadata: missing required field "name"$/ },
]);

const kustomizationSchema = (doc: Doc): boolean => schemaValidator('kustomization.json')(doc) as boolean;

check('kustomization (against SchemaStore)', () => ({ path: 'deploy/overlays/prod/kustomization.yaml', doc: read(full, 'deploy/overlays/prod/kustomization.yaml') }), kustomizationSchema, [
  { name: 'a replica count in words', break: (doc) => (doc.replicas[0].count = 'two'), finding: /resource-schema replicas\[0\]\.count: must be an integer$/ },
  { name: 'resources as one string', break: (doc) => (doc.resources = '../../base'), finding: /resource-schema resources: must be a list$/ },
]);
