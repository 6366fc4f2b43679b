/**
 * What a team relies on in a generated deployment, checked on what `kubectl kustomize` built (see
 * k8s-checks.ts) in terms a team would notice. The expectations are read from the repository's own
 * platform.yaml and the organization settings, never from how the files were rendered.
 *
 * Every problem is one line, `<file>: <message>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual as same } from 'node:util';
import { parse } from 'yaml';
import { loadSettings, SETTING_DEFAULTS, type Settings } from '../../src/settings/settings.js';
import { describe, type DeployCheck, type K8sObject } from './k8s-checks.js';

interface ManifestView {
  metadata: { name: string; owner: string };
  spec: {
    environments: string[];
    databases?: Array<{ name: string; backups?: boolean; size?: string }>;
    secrets?: Array<{ name: string; env: string; path: string; property?: string }>;
  };
}

type Expect = (ok: boolean, where: string, message: string) => void;

const PROTECTED = 'Prune=false,Delete=false';
const BARMAN = 'barman-cloud.cloudnative-pg.io';

/**
 * One overlay and one Application per environment and no other, the environment's name in ENVIRONMENT,
 * production replicas and database instances, each secret read from the environment's own store entry,
 * each database wired in, protected from pruning and backed up where asked and always in production, the
 * traffic rules, the shutdown, the pull secret and the image until the first promotion.
 */
export function deployBehaviourProblems(repoDir: string, check: DeployCheck, settings: Settings = loadSettings()): string[] {
  const manifest = parse(readFileSync(join(repoDir, 'platform.yaml'), 'utf8')) as ManifestView;
  const { name, owner } = manifest.metadata;
  const envs = manifest.spec.environments;
  const problems: string[] = [];
  const expect: Expect = (ok, where, message) => {
    if (!ok) problems.push(`${where}: ${message}`);
  };
  expect(same([...check.overlays.keys()].sort(), [...envs].sort()), 'deploy/overlays', `overlays ${[...check.overlays.keys()].join(',')} for environments ${envs.join(',')}`);
  expect(same([...check.applications.keys()].sort(), [...envs].sort()), 'deploy/argocd', `Applications ${[...check.applications.keys()].join(',')} for environments ${envs.join(',')}`);
  for (const env of envs) {
    const resources = check.overlays.get(env) ?? [];
    const where = `deploy/overlays/${env}`;
    for (const resource of resources) expect(resource.metadata?.namespace === name, where, `${describe(resource)} is in namespace ${resource.metadata?.namespace}, not ${name}`);
    expect(!resources.some((r) => r.kind === 'Secret'), where, 'builds a Secret: secret values must come from the secret store, not the repository');
    const view = { name, env, resources, where, manifest, settings, production: settings.environments.find((e) => e.name === env)?.production === true };
    deploymentProblems(view, expect);
    secretProblems(view, expect);
    databaseProblems(view, expect);
    trafficProblems(view, expect);
    applicationProblems(view, check.applications.get(env), expect);
  }
  const component = check.catalog.find((entity) => entity.kind === 'Component');
  expect(component?.metadata?.name === name && component?.spec?.owner === owner, 'catalog-info.yaml', `Component ${component?.metadata?.name} owned by ${component?.spec?.owner}`);
  return problems;
}

interface EnvView {
  name: string;
  env: string;
  resources: K8sObject[];
  where: string;
  manifest: ManifestView;
  settings: Settings;
  production: boolean;
}

function find(view: EnvView, kind: string, name: string): K8sObject | undefined {
  return view.resources.find((r) => r.kind === kind && r.metadata?.name === name);
}

function deploymentProblems(view: EnvView, expect: Expect): void {
  const { name, env, where, settings, manifest } = view;
  const org = settings.environments.find((candidate) => candidate.name === env)!;
  const deployment = find(view, 'Deployment', name);
  expect(deployment !== undefined, where, `no Deployment ${name}`);
  if (!deployment) return;
  const replicas = deployment.spec.replicas as number;
  expect(replicas === (org.replicas ?? 1) || (view.production && replicas === 2 && (org.replicas ?? 1) < 2), where, `replicas ${replicas}, settings say ${org.replicas}`);
  if (view.production) expect(replicas >= 2, where, `production runs ${replicas} replica(s), at least 2 required`);
  const pod = deployment.spec.template.spec;
  const container = (pod.containers as K8sObject[])[0]!;
  const vars = new Map((container.env as K8sObject[]).map((variable) => [variable.name as string, variable]));
  expect(vars.get('ENVIRONMENT')?.value === env, where, `ENVIRONMENT is ${vars.get('ENVIRONMENT')?.value}, not ${env}`);
  expect(vars.get('SERVICE_NAME')?.value === name, where, 'SERVICE_NAME is not the service name');
  const port = (container.ports as K8sObject[]).find((p) => p.name === 'http')?.containerPort;
  expect(port !== undefined && vars.get('PORT')?.value === String(port), where, `PORT ${vars.get('PORT')?.value} is not the container port ${port}`);

  // Until the first promotion: the placeholder, an image that exists; after it, the service's own with a pinned tag.
  const image = String(container.image);
  const placeholder = settings.images?.placeholder;
  const own = image.startsWith(`${settings.registry}/${name}:`) && !image.endsWith(':latest');
  expect(own || image === placeholder, where, `image ${image} is neither ${settings.registry}/${name} with a pinned tag nor the placeholder ${placeholder ?? '(none set)'}`);
  const pullSecret = settings.images?.pullSecret?.name;
  expect(same((pod.imagePullSecrets as K8sObject[] | undefined)?.map((secret) => secret.name), pullSecret ? [pullSecret] : undefined), where, `pulls with ${JSON.stringify(pod.imagePullSecrets)}, settings say ${pullSecret ?? 'none'}`);

  expect(container.livenessProbe?.httpGet?.path === '/healthz' && container.readinessProbe?.httpGet?.path === '/readyz' && container.startupProbe?.httpGet?.path === '/healthz', where, 'probes are not GET /healthz (startup, liveness) and /readyz');
  const preStop = Number(container.lifecycle?.preStop?.sleep?.seconds ?? 0);
  const grace = Number(pod.terminationGracePeriodSeconds ?? 30);
  expect(preStop >= 5 && grace >= preStop + 20, where, `shutdown: preStop sleeps ${preStop}s within a grace period of ${grace}s; the endpoints need ~5s and in-flight requests ~20s`);
  const zones = (pod.topologySpreadConstraints as K8sObject[] | undefined)?.find((c) => c.topologyKey === 'topology.kubernetes.io/zone');
  expect(same(zones?.labelSelector?.matchLabels, { 'app.kubernetes.io/name': name }), where, 'replicas are not spread across zones');
  expect(Boolean(container.resources?.requests && container.resources?.limits), where, 'no resource requests and limits');
  const security = container.securityContext ?? {};
  expect(security.runAsNonRoot === true && security.allowPrivilegeEscalation === false && security.readOnlyRootFilesystem === true
    && same(security.capabilities?.drop, ['ALL']) && security.seccompProfile?.type === 'RuntimeDefault', where, 'container securityContext is not locked down');
  const tmp = (container.volumeMounts as K8sObject[] | undefined)?.find((mount) => mount.mountPath === '/tmp');
  expect(Boolean(tmp && (pod.volumes as K8sObject[]).find((volume) => volume.name === tmp.name)?.emptyDir), where, 'no emptyDir at /tmp');
  expect(pod.automountServiceAccountToken === false && find(view, 'ServiceAccount', pod.serviceAccountName)?.automountServiceAccountToken === false, where, 'the service account token is mounted');

  const fromSecrets = [...vars.values()].filter((variable) => variable.valueFrom?.secretKeyRef)
    .map((variable) => `${variable.name}=${variable.valueFrom.secretKeyRef.name}/${variable.valueFrom.secretKeyRef.key}`).sort();
  const expected = [
    ...(manifest.spec.databases ?? []).map((db) => `${db.name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL=${name}-${db.name}-app/uri`),
    ...(manifest.spec.secrets ?? []).map((secret) => `${secret.env}=${name}-${secret.name}/value`),
  ].sort();
  expect(same(fromSecrets, expected), where, `Deployment reads secrets ${fromSecrets.join(', ') || '(none)'}, expected ${expected.join(', ') || '(none)'}`);

  const budget = view.resources.find((r) => r.kind === 'PodDisruptionBudget');
  expect(Boolean(budget) === view.production, where, view.production ? 'production has no PodDisruptionBudget' : 'a PodDisruptionBudget outside production');
  if (budget) expect(same(budget.spec?.selector?.matchLabels, { 'app.kubernetes.io/name': name }) && budget.spec?.maxUnavailable === 1, where, 'the PodDisruptionBudget does not keep all but one replica of the app');
}

function secretProblems(view: EnvView, expect: Expect): void {
  const { name, env, where, settings, manifest } = view;
  const store = settings.secretStore;
  const entry = (path: string): string => (store.pathPattern ?? SETTING_DEFAULTS.pathPattern).replaceAll('{env}', env).replaceAll('{path}', path);
  const secrets = manifest.spec.secrets ?? [];
  const pullSecret = settings.images?.pullSecret;
  const backups = settings.databases.postgres.backups;
  const backedUp = (manifest.spec.databases ?? []).some((db) => db.backups === true || view.production);
  const expectedNames = [
    ...secrets.map((s) => `${name}-${s.name}`),
    ...(pullSecret ? [pullSecret.name] : []),
    ...(backedUp ? [backups.credentialsSecret] : []),
  ].sort();
  const externalSecrets = view.resources.filter((r) => r.kind === 'ExternalSecret');
  expect(same(externalSecrets.map((r) => r.metadata?.name).sort(), expectedNames), where, `ExternalSecrets ${externalSecrets.map((r) => r.metadata?.name).join(', ') || '(none)'}, expected ${expectedNames.join(', ') || '(none)'}`);
  for (const externalSecret of externalSecrets) {
    const spec = externalSecret.spec;
    expect(spec.secretStoreRef?.kind === store.kind && spec.secretStoreRef?.name === store.name, where, `${describe(externalSecret)} does not read the organization's store`);
    for (const data of spec.data as K8sObject[]) {
      expect(String(data.remoteRef?.key).startsWith(`${env}/`) && typeof data.remoteRef?.property === 'string', where, `${describe(externalSecret)} reads ${data.remoteRef?.key} without naming its key, or not from ${env}'s own entry`);
    }
  }
  for (const secret of secrets) {
    const spec = find(view, 'ExternalSecret', `${name}-${secret.name}`)?.spec;
    const property = secret.property ?? store.property ?? SETTING_DEFAULTS.property;
    if (spec) expect(spec.target?.name === `${name}-${secret.name}` && same(spec.data, [{ secretKey: 'value', remoteRef: { key: entry(secret.path), property } }]), where, `ExternalSecret ${name}-${secret.name} does not copy ${entry(secret.path)} (${property}) to key value`);
  }
  if (pullSecret) {
    const spec = find(view, 'ExternalSecret', pullSecret.name)?.spec;
    expect(spec?.target?.template?.type === 'kubernetes.io/dockerconfigjson' && spec?.data?.[0]?.remoteRef?.key === entry(pullSecret.path), where, `the pull secret is not a docker config from ${entry(pullSecret.path)}`);
  }
  if (backedUp) {
    const credentials = find(view, 'ExternalSecret', backups.credentialsSecret);
    const keys = (credentials?.spec?.data as K8sObject[] | undefined)?.map((data) => data.secretKey).sort();
    const wanted = backups.destinationPath.startsWith('gs://') ? ['APPLICATION_CREDENTIALS'] : ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'];
    expect(same(keys, wanted), where, `backup credentials carry ${keys?.join(', ')}, the ObjectStores read ${wanted.join(', ')}`);
    expect(credentials?.metadata?.annotations?.['argocd.argoproj.io/sync-options'] === PROTECTED, where, 'Argo CD may prune the backup credentials of a database it keeps');
  }
}

function databaseProblems(view: EnvView, expect: Expect): void {
  const { name, env, where, settings, manifest } = view;
  const databases = manifest.spec.databases ?? [];
  const clusters = view.resources.filter((r) => r.kind === 'Cluster').map((r) => r.metadata?.name).sort();
  expect(same(clusters, databases.map((db) => `${name}-${db.name}`).sort()), where, `Clusters ${clusters.join(', ') || '(none)'} for databases ${databases.map((db) => db.name).join(', ') || '(none)'}`);
  const postgres = settings.databases.postgres;
  for (const db of databases) {
    const cluster = find(view, 'Cluster', `${name}-${db.name}`);
    if (!cluster) continue;
    const spec = cluster.spec;
    const instances = spec.instances as number;
    expect(instances === (view.production ? Math.max(2, postgres.sizes[db.size ?? 'small']!.instances) : postgres.sizes[db.size ?? 'small']!.instances), where, `database ${db.name} runs ${instances} instance(s)`);
    if (view.production) expect(instances >= 2, where, `production database ${db.name} runs ${instances} instance(s), at least 2 required`);
    expect(instances < 2 || spec.primaryUpdateMethod === 'switchover', where, `database ${db.name} restarts its primary in place on updates instead of switching over`);
    expect(/:[0-9]+\.[0-9]+[^:@]*@sha256:[a-f0-9]{64}$/.test(String(spec.imageName)) && String(spec.imageName).startsWith(`${postgres.imageRepository}:`), where, `database ${db.name} runs ${spec.imageName}, not a pinned tag and digest of ${postgres.imageRepository}`);
    expect(cluster.metadata?.annotations?.['argocd.argoproj.io/sync-options'] === PROTECTED, where, `Argo CD may prune or delete database ${db.name}`);
    expect(spec.inheritedMetadata?.labels?.['backstage.io/kubernetes-id'] === name && spec.inheritedMetadata?.labels?.['app.kubernetes.io/name'] === undefined, where, `the pods of database ${db.name} are not labelled for Backstage only`);
    expect(spec.backup === undefined, where, `database ${db.name} uses the in-tree backup section`);

    const wanted = db.backups === true || view.production;
    const plugin = (spec.plugins as K8sObject[] | undefined)?.find((p) => p.name === BARMAN);
    expect(Boolean(plugin) === wanted, where, `database ${db.name} ${wanted ? 'has no backups' : 'has backups nobody asked for'}`);
    if (!plugin || !wanted) continue;
    const store = find(view, 'ObjectStore', plugin.parameters?.barmanObjectName);
    const { destinationPath, retentionPolicy } = postgres.backups;
    const path = String(store?.spec?.configuration?.destinationPath);
    expect(plugin.isWALArchiver === true, where, `database ${db.name} does not archive its WAL`);
    expect(path.startsWith(destinationPath) && path.endsWith(`/${name}/${env}/${db.name}`), where, `database ${db.name} backs up to ${path}`);
    expect(store?.spec?.retentionPolicy === retentionPolicy, where, `database ${db.name} keeps backups ${store?.spec?.retentionPolicy}, settings say ${retentionPolicy}`);
    expect(store?.metadata?.annotations?.['argocd.argoproj.io/sync-options'] === PROTECTED, where, `Argo CD may prune the ObjectStore of database ${db.name}`);
    const credentials = store?.spec?.configuration?.s3Credentials;
    if (credentials) expect(credentials.accessKeyId?.key === 'ACCESS_KEY_ID' && credentials.secretAccessKey?.key === 'ACCESS_SECRET_KEY' && credentials.accessKeyId?.name === postgres.backups.credentialsSecret, where, `database ${db.name} reads its object store's credentials from ${JSON.stringify(credentials)}`);
    const schedule = view.resources.find((r) => r.kind === 'ScheduledBackup' && r.spec?.cluster?.name === `${name}-${db.name}`);
    expect(schedule?.spec?.method === 'plugin' && schedule?.spec?.pluginConfiguration?.name === BARMAN && schedule?.spec?.schedule === (postgres.backups.schedule ?? SETTING_DEFAULTS.backupSchedule), where, `database ${db.name} has no base backup on the schedule through the plugin`);
  }
}

function trafficProblems(view: EnvView, expect: Expect): void {
  const { name, env, where, settings } = view;
  const policies = view.resources.filter((r) => r.kind === 'NetworkPolicy');
  const denyAll = policies.find((p) => same(p.spec?.podSelector, {}) && same(p.spec?.policyTypes, ['Ingress', 'Egress']) && !p.spec?.ingress && !p.spec?.egress);
  expect(Boolean(denyAll), where, 'no default-deny NetworkPolicy');
  const app = policies.find((p) => same(p.spec?.podSelector?.matchLabels, { 'app.kubernetes.io/name': name }));
  const egressPorts = ((app?.spec?.egress ?? []) as K8sObject[]).flatMap((rule) => (rule.ports ?? []).map((p: K8sObject) => p.port));
  expect(egressPorts.includes(53), where, 'the app cannot resolve names');
  if ((view.manifest.spec.databases ?? []).length > 0) expect(egressPorts.includes(5432), where, 'the app cannot reach its databases');
  const ingress = settings.ingress;
  if (!ingress) return;
  const from = ((app?.spec?.ingress ?? []) as K8sObject[]).flatMap((rule) => rule.from ?? []).map((peer: K8sObject) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']);
  expect(from.includes(ingress.controllerNamespace), where, `the ingress controller (${ingress.controllerNamespace}) cannot reach the app`);
  const host = ingress.hostPattern.replaceAll('{name}', name).replaceAll('{env}', env).replaceAll('{domain}', settings.organization.domain);
  const route = find(view, 'Ingress', name);
  expect(route?.spec?.rules?.[0]?.host === host && route?.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name === name, where, `no Ingress for ${host} to the Service ${name}`);
}

function applicationProblems(view: EnvView, application: K8sObject | undefined, expect: Expect): void {
  const { name, env, where, settings } = view;
  const org = settings.environments.find((candidate) => candidate.name === env)!;
  const app = `deploy/argocd/${env}.yaml`;
  if (!application) return;
  expect(application.metadata?.name === `${name}-${env}` && application.metadata?.namespace === settings.argocd.namespace, app, `Application ${application.metadata?.namespace}/${application.metadata?.name}`);
  expect(application.spec?.project === settings.argocd.project, app, `project ${application.spec?.project}`);
  expect(application.spec?.source?.path === where && application.spec?.source?.repoURL === `${settings.organization.githubUrl ?? 'https://github.com'}/${settings.organization.github}/${name}`, app, `source ${application.spec?.source?.repoURL} ${application.spec?.source?.path}`);
  expect(application.spec?.destination?.server === org.server && application.spec?.destination?.namespace === name, app, `destination ${application.spec?.destination?.server} ${application.spec?.destination?.namespace}`);
  const sync = application.spec?.syncPolicy;
  expect(sync?.automated?.prune === true && sync?.automated?.selfHeal === true && (sync?.syncOptions as string[] | undefined)?.includes('CreateNamespace=true') === true, app, 'sync is not automated with prune, selfHeal and CreateNamespace');
  expect(Number(sync?.retry?.limit) > 0, app, 'a failed sync is not retried');
}
