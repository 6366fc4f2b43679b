/**
 * The GitOps deployment and catalog entry of generated repositories, proven with real tools: every overlay
 * builds with `kubectl kustomize`, every resource passes its upstream schema, and the result does what
 * platform.yaml asked for.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateRepository } from '../src/generate/new.js';
import type { Answers } from '../src/manifest/answers.js';
import { checkDeployment, deployBehaviourProblems, type DeployCheck, type K8sObject } from './helpers/k8s-checks.js';
import { answerMatrix, defaultSource, manifestFor, tempDir } from './helpers/repo.js';

const root = tempDir('platform-deploy-');
let count = 0;

/** A fresh repository generated with the library; tempDir is registered once, at collection time. */
function generate(answers: Partial<Answers>): string {
  const dir = join(root, `repo-${count++}`);
  generateRepository(dir, manifestFor(answers), defaultSource());
  return dir;
}

function built(check: DeployCheck, env: string, kind: string): K8sObject[] {
  return (check.overlays.get(env) ?? []).filter((resource) => resource.kind === kind);
}

function envValue(check: DeployCheck, env: string, variable: string): unknown {
  const container = built(check, env, 'Deployment')[0]?.spec.template.spec.containers[0];
  return (container?.env as K8sObject[] | undefined)?.find((entry) => entry.name === variable)?.value;
}

const postgres = (backups: boolean): Answers['databases'] => [{ name: 'main', engine: 'postgres', version: '16', backups }];
const twoSecrets: Answers['secrets'] = [
  { name: 'stripe-api-key', env: 'STRIPE_API_KEY', path: 'payments/stripe' },
  { name: 'sentry-dsn', env: 'SENTRY_DSN', path: 'payments/sentry/dsn' },
];

describe('every case of the answer matrix', () => {
  // Cases run a few at a time; kubectl builds are throttled inside the checks.
  it.concurrent.each(answerMatrix().map((matrixCase) => [matrixCase.id, matrixCase] as const))('%s builds, validates and does what was asked', async (_id, matrixCase) => {
    const dir = generate(matrixCase.answers);
    const check = await checkDeployment(dir);
    expect(check.problems).toEqual([]);
    expect(deployBehaviourProblems(dir, check)).toEqual([]);
    expect([...check.overlays.keys()].sort()).toEqual([...matrixCase.answers.environments!].sort());
  }, 120_000);
});

describe('what a team notices', () => {
  it('backs up production always, and other environments only when asked', async () => {
    const withBackups = await checkDeployment(generate({ databases: postgres(true) }));
    const without = await checkDeployment(generate({ databases: postgres(false) }));
    for (const check of [withBackups, without]) expect(check.problems).toEqual([]);
    const backupOf = (check: DeployCheck, env: string): unknown => built(check, env, 'Cluster')[0]?.spec.backup;
    for (const env of ['dev', 'staging', 'prod']) expect(backupOf(withBackups, env)).toBeTruthy();
    expect(backupOf(without, 'dev')).toBeUndefined();
    expect(backupOf(without, 'staging')).toBeUndefined();
    expect(backupOf(without, 'prod')).toMatchObject({
      retentionPolicy: '30d',
      barmanObjectStore: { destinationPath: 's3://acme-postgres-backups/payments-api/prod/main' },
    });
  }, 60_000);

  it('wires each database and secret into the Deployment, and nothing else', async () => {
    const check = await checkDeployment(generate({ environments: ['dev'], databases: postgres(false), secrets: twoSecrets }));
    expect(check.problems).toEqual([]);
    const container = built(check, 'dev', 'Deployment')[0]!.spec.template.spec.containers[0];
    const fromSecrets = (container.env as K8sObject[]).filter((entry) => entry.valueFrom).map((entry) => [entry.name, entry.valueFrom.secretKeyRef]);
    expect(fromSecrets).toEqual([
      ['MAIN_DATABASE_URL', { name: 'payments-api-main-app', key: 'uri' }],
      ['STRIPE_API_KEY', { name: 'payments-api-stripe-api-key', key: 'value' }],
      ['SENTRY_DSN', { name: 'payments-api-sentry-dsn', key: 'value' }],
    ]);
    expect(built(check, 'dev', 'ExternalSecret').map((secret) => [secret.metadata?.name, secret.spec.data[0].remoteRef.key]).sort()).toEqual([
      ['payments-api-sentry-dsn', 'payments/sentry/dsn'],
      ['payments-api-stripe-api-key', 'payments/stripe'],
    ]);
    expect(built(check, 'dev', 'Secret')).toEqual([]);
    const noSecrets = await checkDeployment(generate({ environments: ['dev'] }));
    expect(built(noSecrets, 'dev', 'ExternalSecret')).toEqual([]);
    expect(built(noSecrets, 'dev', 'Cluster')).toEqual([]);
  }, 60_000);

  it('runs each environment with its own name, replicas, server and overlay', async () => {
    const check = await checkDeployment(generate({}));
    expect(check.problems).toEqual([]);
    expect(['dev', 'staging', 'prod'].map((env) => envValue(check, env, 'ENVIRONMENT'))).toEqual(['dev', 'staging', 'prod']);
    expect(['dev', 'staging', 'prod'].map((env) => built(check, env, 'Deployment')[0]?.spec.replicas)).toEqual([1, 2, 3]);
    expect(['dev', 'staging', 'prod'].map((env) => {
      const { source, destination } = check.applications.get(env)!.spec;
      return [source.path, destination.server];
    })).toEqual([
      ['deploy/overlays/dev', 'https://dev.k8s.acme.dev'],
      ['deploy/overlays/staging', 'https://staging.k8s.acme.dev'],
      ['deploy/overlays/prod', 'https://prod.k8s.acme.dev'],
    ]);
    for (const application of check.applications.values()) {
      expect(application.spec.syncPolicy.managedNamespaceMetadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    }
    const image = built(check, 'prod', 'Deployment')[0]!.spec.template.spec.containers[0].image as string;
    expect(image).toMatch(/^ghcr\.io\/acme\/payments-api:[\w.-]+$/);
    expect(image).not.toMatch(/:latest$/);
  }, 60_000);

  it('has no overlay or Application for an environment that was not asked for', async () => {
    const check = await checkDeployment(generate({ environments: ['dev', 'prod'] }));
    expect(check.problems).toEqual([]);
    expect([...check.overlays.keys()].sort()).toEqual(['dev', 'prod']);
    expect([...check.applications.keys()].sort()).toEqual(['dev', 'prod']);
  }, 60_000);

  it('writes a description with YAML syntax in it as plain text', async () => {
    const description = 'Payments: "fast" # not a comment, [not] a list';
    const dir = generate({ description, databases: postgres(false) });
    const check = await checkDeployment(dir);
    expect(check.problems).toEqual([]);
    expect(check.catalog.map((entity) => entity.kind)).toEqual(['Component', 'Resource']);
    expect(check.catalog[0]!.metadata).toMatchObject({ name: 'payments-api', description });
    expect(check.catalog[0]!.spec).toMatchObject({ type: 'service', owner: 'team-payments', dependsOn: ['resource:payments-api-main'] });
  }, 60_000);

  it('names the owning team in CODEOWNERS', () => {
    const dir = generate({ owner: 'team-ledger' });
    const rules = readFileSync(join(dir, '.github', 'CODEOWNERS'), 'utf8').split('\n').filter((line) => line.trim() && !line.startsWith('#'));
    expect(rules).toEqual(['* @acme/team-ledger']);
  });
});

describe('a broken deployment fails the checks, naming the file and the reason', () => {
  const problemsAfter = async (edit: (dir: string) => void, answers: Partial<Answers> = {}): Promise<string[]> => {
    const dir = generate(answers);
    edit(dir);
    const check = await checkDeployment(dir);
    return [...check.problems, ...deployBehaviourProblems(dir, check)];
  };
  const replace = (dir: string, file: string, from: string, to: string): void => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(dir, file), text.replace(from, to));
  };

  it('a kustomize failure', async () => {
    const problems = await problemsAfter((dir) => replace(dir, 'deploy/overlays/dev/kustomization.yaml', '- ../../base', '- ../../base\n- missing.yaml'), { environments: ['dev'] });
    expect(problems.join('\n')).toMatch(/^deploy\/overlays\/dev: kubectl kustomize failed: .*missing\.yaml/m);
  }, 60_000);

  it('a core resource against the Kubernetes schema', async () => {
    const problems = await problemsAfter((dir) => replace(dir, 'deploy/base/deployment.yaml', 'containerPort: 8080', 'containerPort: "http"'), { environments: ['dev'] });
    expect(problems.join('\n')).toMatch(/^deploy\/base\/deployment\.yaml \(built by deploy\/overlays\/dev\): Deployment payments-api: .*containerPort must be integer/m);
  }, 60_000);

  it('a CloudNativePG Cluster against its CRD', async () => {
    const problems = await problemsAfter((dir) => replace(dir, 'deploy/overlays/prod/databases.yaml', 'retentionPolicy: "30d"', 'retentionPolicy: "30 days"'), { databases: postgres(false) });
    expect(problems.join('\n')).toMatch(/^deploy\/overlays\/prod\/databases\.yaml \(built by deploy\/overlays\/prod\): Cluster payments-api-main: \/spec\/backup\/retentionPolicy must match pattern/m);
  }, 60_000);

  it('an ExternalSecret, an Application and the catalog against theirs', async () => {
    const problems = await problemsAfter((dir) => {
      replace(dir, 'deploy/base/external-secrets.yaml', '- secretKey: value\n    remoteRef:', '- secretKey: value\n    remoteReference:');
      replace(dir, 'deploy/argocd/dev.yaml', '  destination:', '  target:');
      replace(dir, 'catalog-info.yaml', '  owner: "team-payments"', '  team: "team-payments"');
    }, { environments: ['dev'], secrets: twoSecrets.slice(0, 1) });
    const text = problems.join('\n');
    expect(text).toMatch(/^deploy\/base\/external-secrets\.yaml \(built by deploy\/overlays\/dev\): ExternalSecret payments-api-stripe-api-key: .*remoteRef/m);
    expect(text).toMatch(/^deploy\/argocd\/dev\.yaml: Application payments-api-dev: .*destination/m);
    expect(text).toMatch(/^catalog-info\.yaml: Component payments-api: .*owner/m);
  }, 60_000);

  it('a kind nobody can check, an extra overlay, and a value written into the repository', async () => {
    const problems = await problemsAfter((dir) => {
      appendFileSync(join(dir, 'deploy/base/service.yaml'), '---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
      appendFileSync(join(dir, 'deploy/base/service.yaml'), '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  value: hunter2\n');
      cpSync(join(dir, 'deploy/overlays/dev'), join(dir, 'deploy/overlays/qa'), { recursive: true });
    }, { environments: ['dev'] });
    const text = problems.join('\n');
    expect(text).toMatch(/^deploy\/base\/service\.yaml \(built by deploy\/overlays\/dev\): Widget w: no upstream schema known for example\.com\/v1 Widget/m);
    expect(text).toMatch(/^deploy\/overlays\/dev: builds a Secret/m);
    expect(text).toMatch(/^deploy\/overlays: overlays dev,qa for environments dev/m);
  }, 60_000);

  it('a production environment without backups or with one replica', async () => {
    const problems = await problemsAfter((dir) => {
      const file = join(dir, 'deploy/overlays/prod/databases.yaml');
      const cluster = parse(readFileSync(file, 'utf8')) as K8sObject;
      delete cluster.spec.backup;
      writeFileSync(file, JSON.stringify(cluster));
      replace(dir, 'deploy/overlays/prod/kustomization.yaml', 'count: 3', 'count: 1');
    }, { databases: postgres(false) });
    const text = problems.join('\n');
    expect(text).toMatch(/^deploy\/overlays\/prod: database main has no backups/m);
    expect(text).toMatch(/^deploy\/overlays\/prod: production runs 1 replica\(s\), at least 2 required/m);
  }, 60_000);
});
