/**
 * The GitOps deployment and catalog entry of generated repositories, proven with real tools: every overlay
 * builds with `kubectl kustomize`, every resource passes its upstream schema, and the result does what
 * platform.yaml asked for.
 */
import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { generateRepository } from '../src/generate/new.js';
import type { Answers } from '../src/manifest/answers.js';
import type { Manifest } from '../src/manifest/types.js';
import { templatesDir } from '../src/core/paths.js';
import { checkDeployment, resourceProblems, upstreamCrds, type DeployCheck, type K8sObject } from './helpers/k8s-checks.js';
import { deployBehaviourProblems } from './helpers/deploy-behaviour.js';
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

describe('every example answer set of the template', () => {
  const folder = join(templatesDir, 'service', 'examples');
  const examples = readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort();
  const kinds = new Set<string>();

  it.concurrent.each(examples)('%s builds, validates against the upstream schemas and does what was asked', async (example) => {
    const manifest = parse(readFileSync(join(folder, example), 'utf8')) as Manifest;
    manifest.spec.template.version = defaultSource().template.version;
    const dir = join(root, `example-${example.replace(/\.yaml$/, '')}`);
    generateRepository(dir, manifest, defaultSource());
    const check = await checkDeployment(dir);
    expect(check.problems).toEqual([]);
    expect(deployBehaviourProblems(dir, check)).toEqual([]);
    for (const resource of [...[...check.overlays.values()].flat(), ...check.applications.values()]) kinds.add(`${resource.apiVersion} ${resource.kind}`);
  }, 120_000);

  it('between them, every custom resource the templates write is checked against its upstream CRD', () => {
    const custom = [...kinds].filter((kind) => upstreamCrds().defines(...(kind.split(' ') as [string, string]))).sort();
    expect(custom).toEqual([
      'argoproj.io/v1alpha1 Application',
      'barmancloud.cnpg.io/v1 ObjectStore',
      'external-secrets.io/v1 ExternalSecret',
      'postgresql.cnpg.io/v1 Cluster',
      'postgresql.cnpg.io/v1 ScheduledBackup',
    ]);
  });
});

describe('what a team notices', () => {
  it('backs up production always, and other environments only when asked, through the Barman Cloud plugin', async () => {
    const withBackups = await checkDeployment(generate({ databases: postgres(true) }));
    const without = await checkDeployment(generate({ databases: postgres(false) }));
    for (const check of [withBackups, without]) expect(check.problems).toEqual([]);
    const pluginOf = (check: DeployCheck, env: string): unknown => built(check, env, 'Cluster')[0]?.spec.plugins;
    for (const env of ['dev', 'staging', 'prod']) expect(pluginOf(withBackups, env)).toBeTruthy();
    expect(pluginOf(without, 'dev')).toBeUndefined();
    expect(built(without, 'dev', 'ObjectStore')).toEqual([]);
    expect(built(without, 'dev', 'ScheduledBackup')).toEqual([]);
    expect(pluginOf(without, 'prod')).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'payments-api-main-backups' } }]);
    expect(built(without, 'prod', 'ObjectStore')[0]!.spec).toMatchObject({
      retentionPolicy: '30d',
      configuration: {
        destinationPath: 's3://acme-postgres-backups/payments-api/prod/main',
        s3Credentials: {
          accessKeyId: { name: 'postgres-backup-credentials', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'postgres-backup-credentials', key: 'ACCESS_SECRET_KEY' },
        },
      },
    });
    expect(built(without, 'prod', 'ScheduledBackup')[0]!.spec).toMatchObject({ method: 'plugin', schedule: '0 0 3 * * *', cluster: { name: 'payments-api-main' } });
    // Nothing else creates the credentials: prod's own store entry does, with the keys the ObjectStore reads.
    const credentials = built(without, 'prod', 'ExternalSecret').find((secret) => secret.metadata?.name === 'postgres-backup-credentials');
    expect(credentials?.spec.data).toEqual([
      { secretKey: 'ACCESS_KEY_ID', remoteRef: { key: 'prod/platform/postgres-backups', property: 'ACCESS_KEY_ID' } },
      { secretKey: 'ACCESS_SECRET_KEY', remoteRef: { key: 'prod/platform/postgres-backups', property: 'ACCESS_SECRET_KEY' } },
    ]);
  }, 60_000);

  it('keeps databases out of Argo CD\'s pruning, and runs production ones on two instances at least', async () => {
    const check = await checkDeployment(generate({ databases: [{ name: 'main', engine: 'postgres', version: '16', size: 'small', backups: false }] }));
    expect(check.problems).toEqual([]);
    for (const env of ['dev', 'prod']) {
      for (const kind of ['Cluster', 'ObjectStore']) {
        for (const resource of built(check, env, kind)) expect(resource.metadata?.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
      }
    }
    const [dev, prod] = ['dev', 'prod'].map((env) => built(check, env, 'Cluster')[0]!.spec);
    expect([dev.instances, dev.primaryUpdateMethod]).toEqual([1, 'restart']);
    expect([prod.instances, prod.primaryUpdateStrategy, prod.primaryUpdateMethod]).toEqual([2, 'unsupervised', 'switchover']);
    expect(prod.imageName).toMatch(/^ghcr\.io\/cloudnative-pg\/postgresql:16\.\d+-\d+-[a-z]+-bookworm@sha256:[0-9a-f]{64}$/);
    // Backstage's Kubernetes plugin finds the database pods; the Service and the app's policies do not.
    expect(prod.inheritedMetadata.labels).toEqual({ 'backstage.io/kubernetes-id': 'payments-api', 'acme.dev/environment': 'prod' });
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
    // Each environment reads its own entry of the store, and names the key inside it.
    expect(built(check, 'dev', 'ExternalSecret').map((secret) => [secret.metadata?.name, secret.spec.data[0].remoteRef]).sort()).toEqual([
      ['payments-api-sentry-dsn', { key: 'dev/payments/sentry/dsn', property: 'value' }],
      ['payments-api-stripe-api-key', { key: 'dev/payments/stripe', property: 'value' }],
      ['registry-credentials', { key: 'dev/platform/registry', property: 'dockerconfigjson' }],
    ]);
    expect(built(check, 'dev', 'Secret')).toEqual([]);
    const noSecrets = await checkDeployment(generate({ environments: ['dev'] }));
    expect(built(noSecrets, 'dev', 'ExternalSecret').map((secret) => secret.metadata?.name)).toEqual(['registry-credentials']);
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
    for (const application of check.applications.values()) expect(application.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    expect(built(check, 'prod', 'Ingress')[0]!.spec.rules[0].host).toBe('payments-api.prod.acme.dev');
    expect(['dev', 'staging', 'prod'].map((env) => built(check, env, 'PodDisruptionBudget').length)).toEqual([0, 0, 1]);
  }, 60_000);

  it('runs an image that exists until the first promotion, then the promoted one, pulled with the registry\'s secret', async () => {
    const dir = generate({ environments: ['dev'] });
    const before = await checkDeployment(dir);
    expect(before.problems).toEqual([]);
    const pod = (check: DeployCheck): K8sObject => built(check, 'dev', 'Deployment')[0]!.spec.template.spec;
    expect(pod(before).containers[0].image).toBe('ghcr.io/acme/platform-placeholder:1.0.0');
    expect(pod(before).imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    // What the promotion does (`kustomize edit set image IMAGE=IMAGE:TAG`): the entry names the service's image again.
    const file = join(dir, 'deploy/overlays/dev/kustomization.yaml');
    const overlay = parse(readFileSync(file, 'utf8')) as K8sObject;
    overlay.images = [{ name: 'ghcr.io/acme/payments-api', newName: 'ghcr.io/acme/payments-api', newTag: '1.4.2' }];
    writeFileSync(file, stringify(overlay));
    const after = await checkDeployment(dir);
    expect(after.problems).toEqual([]);
    expect(deployBehaviourProblems(dir, after)).toEqual([]);
    expect(pod(after).containers[0].image).toBe('ghcr.io/acme/payments-api:1.4.2');
  }, 60_000);

  it('drains on shutdown: preStop waits for the endpoints, the grace period covers in-flight requests', async () => {
    const check = await checkDeployment(generate({ environments: ['dev'] }));
    const pod = built(check, 'dev', 'Deployment')[0]!.spec.template.spec;
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(45);
    expect(pod.containers[0].startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
  }, 60_000);

  it('denies all traffic in the namespace but what the app and its databases need', async () => {
    const check = await checkDeployment(generate({ environments: ['dev'], databases: postgres(false) }));
    const policies = new Map(built(check, 'dev', 'NetworkPolicy').map((policy) => [policy.metadata!.name!, policy.spec]));
    expect([...policies.keys()].sort()).toEqual(['default-deny', 'payments-api', 'payments-api-databases']);
    expect(policies.get('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const app = policies.get('payments-api');
    expect(app.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
    expect(app.egress.map((rule: K8sObject) => rule.ports.map((port: K8sObject) => port.port))).toEqual([[53, 53], [5432]]);
    expect(app.egress[1].to).toEqual([{ podSelector: { matchExpressions: [{ key: 'cnpg.io/cluster', operator: 'In', values: ['payments-api-main'] }] } }]);
    const databases = policies.get('payments-api-databases');
    expect(databases.ingress[2].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }]);
  }, 60_000);

  it('says in the README how to restore a database: a Cluster that recovers from the ObjectStore the overlay builds', async () => {
    const dir = generate({ databases: postgres(false) });
    const check = await checkDeployment(dir);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Restoring a database\n'));
    expect(section.length).toBeGreaterThan(100);
    const restore = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]!) as K8sObject;
    expect(await resourceProblems(restore)).toEqual([]);
    const origin = restore.spec.externalClusters.find((cluster: K8sObject) => cluster.name === restore.spec.bootstrap.recovery.source);
    const store = built(check, 'prod', 'ObjectStore').find((candidate) => candidate.metadata?.name === origin.plugin.parameters.barmanObjectName);
    expect(store).toBeDefined();
    expect(origin.plugin.parameters.serverName).toBe(built(check, 'prod', 'Cluster')[0]!.metadata!.name);
    expect(restore.spec.imageName).toBe(built(check, 'prod', 'Cluster')[0]!.spec.imageName);
    expect(restore.metadata!.name).not.toBe(origin.plugin.parameters.serverName);
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
    // The team owns the repository; the organization's platform team owns the files the platform manages
    // (template.yaml's managed mode), and GitHub applies the last rule that matches.
    expect(rules[0]).toBe('* @acme/team-ledger');
    for (const rule of rules) expect(rule).toMatch(/^\S+ @acme\/(team-ledger|team-platform)$/);
    expect(rules).toContain('/platform.yaml @acme/team-ledger');
    expect(rules).toContain('/.github/workflows/** @acme/team-platform');
    expect(rules).toContain('/.github/CODEOWNERS @acme/team-platform');
    expect(rules.filter((rule) => rule.endsWith('@acme/team-ledger')).length).toBeGreaterThan(1);
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

  it('CloudNativePG and Barman Cloud resources against their CRDs', async () => {
    const problems = await problemsAfter((dir) => {
      replace(dir, 'deploy/overlays/prod/databases.yaml', 'retentionPolicy: "30d"', 'retentionPolicy: "30 days"');
      replace(dir, 'deploy/overlays/prod/databases.yaml', 'method: plugin', 'method: barman');
      replace(dir, 'deploy/overlays/prod/databases.yaml', 'primaryUpdateMethod: switchover', 'primaryUpdateMethod: failover');
    }, { databases: postgres(false) });
    const text = problems.join('\n');
    expect(text).toMatch(/^deploy\/overlays\/prod\/databases\.yaml \(built by deploy\/overlays\/prod\): ObjectStore payments-api-main-backups: \/spec\/retentionPolicy must match pattern/m);
    expect(text).toMatch(/^deploy\/overlays\/prod\/databases\.yaml \(built by deploy\/overlays\/prod\): ScheduledBackup payments-api-main: \/spec\/method must be equal to one of the allowed values/m);
    expect(text).toMatch(/^deploy\/overlays\/prod\/databases\.yaml \(built by deploy\/overlays\/prod\): Cluster payments-api-main: \/spec\/primaryUpdateMethod must be equal to one of the allowed values/m);
  }, 60_000);

  it('a version the upstream CRD no longer serves', async () => {
    const problems = await problemsAfter((dir) => replace(dir, 'deploy/overlays/dev/secrets.yaml', 'apiVersion: external-secrets.io/v1\n', 'apiVersion: external-secrets.io/v1beta1\n'), { environments: ['dev'], secrets: twoSecrets.slice(0, 1) });
    expect(problems.join('\n')).toMatch(/^deploy\/overlays\/dev\/secrets\.yaml \(built by deploy\/overlays\/dev\): ExternalSecret payments-api-stripe-api-key: external-secrets\.io\/v1beta1 is not served by the upstream ExternalSecret CRD/m);
  }, 60_000);

  it('an ExternalSecret, an Application and the catalog against theirs', async () => {
    const problems = await problemsAfter((dir) => {
      replace(dir, 'deploy/overlays/dev/secrets.yaml', '- secretKey: value\n    remoteRef:', '- secretKey: value\n    remoteReference:');
      replace(dir, 'deploy/argocd/dev.yaml', '  destination:', '  target:');
      replace(dir, 'catalog-info.yaml', '  owner: "team-payments"', '  team: "team-payments"');
    }, { environments: ['dev'], secrets: twoSecrets.slice(0, 1) });
    const text = problems.join('\n');
    expect(text).toMatch(/^deploy\/overlays\/dev\/secrets\.yaml \(built by deploy\/overlays\/dev\): ExternalSecret payments-api-stripe-api-key: .*remoteRef/m);
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

  it('a production environment without backups, with one replica or one database instance, or with a prunable database', async () => {
    const problems = await problemsAfter((dir) => {
      const file = join(dir, 'deploy/overlays/prod/databases.yaml');
      const documents = parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as K8sObject);
      const cluster = documents.find((document) => document.kind === 'Cluster')!;
      delete cluster.spec.plugins;
      cluster.spec.instances = 1;
      delete cluster.metadata!.annotations;
      writeFileSync(file, documents.map((document) => stringify(document)).join('---\n'));
      replace(dir, 'deploy/overlays/prod/kustomization.yaml', 'count: 3', 'count: 1');
    }, { databases: postgres(false) });
    const text = problems.join('\n');
    expect(text).toMatch(/^deploy\/overlays\/prod: database main has no backups/m);
    expect(text).toMatch(/^deploy\/overlays\/prod: production runs 1 replica\(s\), at least 2 required/m);
    expect(text).toMatch(/^deploy\/overlays\/prod: production database main runs 1 instance\(s\), at least 2 required/m);
    expect(text).toMatch(/^deploy\/overlays\/prod: Argo CD may prune or delete database main/m);
  }, 60_000);
});
