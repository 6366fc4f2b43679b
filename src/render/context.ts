import type { Manifest } from '../manifest/types.js';
import { databaseEnvVar } from '../manifest/rules.js';
import { SETTING_DEFAULTS, type DatabaseSize, type Settings } from '../settings/settings.js';
import { codeownersRules, type CodeownersRule } from './codeowners.js';
import type { Mode } from './source.js';
import { runtimeById, type Runtime } from './runtimes.js';
import { deployView, type DeployView } from './deploy-view.js';

export interface EnvironmentView {
  name: string;
  index: number;
  server: string;
  replicas: number;
  production: boolean;
  /** The next environment in promotion order, if any. */
  next?: string;
  previous?: string;
  /** The Argo CD Application of this service in this environment. */
  application: string;
  /** Where the service answers from outside, when the settings give an ingress. */
  host?: string;
}

export interface DatabaseView {
  name: string;
  engine: 'postgres';
  version: string;
  size: DatabaseSize;
  sizeName: string;
  /** Whether backups are on in this view's environment (always in production). */
  backups: boolean;
  /** Whether the manifest asked for backups in every environment. */
  backupsEverywhere: boolean;
  /** The CloudNativePG Cluster, and the Secret it generates with the connection details. */
  cluster: string;
  secret: string;
  envVar: string;
  /** As the first release wrote it (a major version's moving tag); templates now use deploy.postgresImage. */
  image: string;
  /** PostgreSQL instances in this view's environment: at least 2 in production, whatever the size. */
  instances: number;
  /** The Barman Cloud ObjectStore of the database's backups. */
  objectStore: string;
  /** Where this environment's backups of the database go. */
  destinationPath: string;
}

export interface SecretView {
  name: string;
  env: string;
  path: string;
  /** The key inside the store entry that holds the value. */
  property: string;
  /** The ExternalSecret and the Kubernetes Secret it creates. */
  resource: string;
}

/** What every template sees. Names shared by several files are derived here once, so they cannot drift. */
export interface TemplateContext {
  manifest: Manifest;
  settings: Settings;
  name: string;
  owner: string;
  description: string;
  runtime: Runtime;
  image: string;
  repository: string;
  repositoryUrl: string;
  namespace: string;
  environments: EnvironmentView[];
  databases: DatabaseView[];
  secrets: SecretView[];
  versions: Record<string, unknown>;
  template: { name: string; version: string };
  /** CODEOWNERS rules from the template's ownership modes, in the order GitHub needs them. */
  codeowners: CodeownersRule[];
  /** The environment of a file under an `__env__` folder. */
  env?: EnvironmentView;
  /** Databases as they are in `env` (backups differ by environment). */
  envDatabases: DatabaseView[];
  /** The Kubernetes-facing settings, defaults filled in. */
  deploy: DeployView;
  /** The store entry `env` reads for a path (secretStore.pathPattern). */
  storePath: (path: string) => string;
  /** A YAML/JSON double-quoted string: no value can change the structure of the document it is written into. */
  q: (value: unknown) => string;
  json: (value: unknown) => string;
  /** Text a person typed (a description), shown in Markdown as text: it cannot become a link, an image, HTML or a code block. */
  mdText: (value: unknown) => string;
}

/** The names a template can use directly (`<%= name %>`); `it` holds them all. */
export const CONTEXT_KEYS = [
  'manifest', 'settings', 'name', 'owner', 'description', 'runtime', 'image', 'repository', 'repositoryUrl',
  'namespace', 'environments', 'databases', 'secrets', 'versions', 'template', 'codeowners', 'env', 'envDatabases', 'q', 'json', 'mdText',
  'deploy', 'storePath',
] as const satisfies ReadonlyArray<keyof TemplateContext>;

export function buildContext(
  manifest: Manifest,
  settings: Settings,
  versions: Record<string, unknown>,
  modes: ReadonlyArray<{ pattern: string; mode: Mode }> = [],
): TemplateContext {
  const { name, owner } = manifest.metadata;
  const runtime = runtimeById(manifest.spec.runtime);
  if (!runtime) throw new Error(`unknown runtime ${manifest.spec.runtime}`);
  const order = manifest.spec.environments;
  const deploy = deployView(settings, versions, name);
  const environments = order.map((envName, index): EnvironmentView => {
    const org = settings.environments.find((env) => env.name === envName)!;
    return {
      name: envName,
      index,
      server: org.server,
      replicas: org.replicas ?? 1,
      production: org.production ?? false,
      next: order[index + 1],
      previous: order[index - 1],
      application: `${name}-${envName}`,
      host: deploy.ingress?.host(envName),
    };
  });
  const postgres = settings.databases.postgres;
  const databases = (manifest.spec.databases ?? []).map((db): DatabaseView => {
    const version = db.version ?? postgres.defaultVersion;
    const sizeName = db.size ?? 'small';
    const cluster = `${name}-${db.name}`;
    return {
      name: db.name,
      engine: db.engine,
      version,
      size: postgres.sizes[sizeName]!,
      sizeName,
      backups: db.backups ?? false,
      backupsEverywhere: db.backups ?? false,
      cluster,
      secret: `${cluster}-app`,
      envVar: databaseEnvVar(db.name),
      image: `${postgres.imageRepository}:${version}`,
      instances: postgres.sizes[sizeName]!.instances,
      objectStore: `${cluster}-backups`,
      destinationPath: '',
    };
  });
  const secrets = (manifest.spec.secrets ?? []).map((secret): SecretView => ({
    ...secret,
    property: secret.property ?? settings.secretStore.property ?? SETTING_DEFAULTS.property,
    resource: `${name}-${secret.name}`,
  }));
  const githubUrl = settings.organization.githubUrl ?? 'https://github.com';
  const repository = `${settings.organization.github}/${name}`;
  return {
    manifest,
    settings,
    name,
    owner,
    description: manifest.metadata.description ?? '',
    runtime,
    image: `${settings.registry}/${name}`,
    repository,
    repositoryUrl: `${githubUrl}/${repository}`,
    namespace: name,
    environments,
    databases,
    secrets,
    versions,
    template: manifest.spec.template,
    codeowners: codeownersRules(modes),
    envDatabases: databases,
    deploy,
    storePath: () => {
      throw new Error('storePath is for the files of one environment (under __env__)');
    },
    q: (value) => JSON.stringify(String(value)),
    json: (value) => JSON.stringify(value),
    mdText: markdownText,
  };
}

function markdownText(value: unknown): string {
  return String(value)
    .trim()
    .replace(/[\\`*_{}[\]()#!|~<>&]/g, (c) => `\\${c}`)
    // At the start of a line, these would make a list, a heading underline or a rule.
    .replace(/^(\d*)([-+=.)])/, '$1\\$2');
}

/**
 * The context of a file under `__env__`: production environments always keep backups (policy
 * database-backups-prod) and run at least 2 database instances (policy replicas-prod-min).
 */
export function forEnvironment(context: TemplateContext, env: EnvironmentView): TemplateContext {
  const envDatabases = context.databases.map((db) => ({
    ...db,
    backups: db.backupsEverywhere || env.production,
    instances: env.production ? Math.max(2, db.size.instances) : db.size.instances,
    destinationPath: `${context.deploy.backups.destinationPath}/${context.name}/${env.name}/${db.name}`,
  }));
  return { ...context, env, envDatabases, storePath: (path) => context.deploy.storePath(path, env.name) };
}
