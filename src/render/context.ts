import type { Manifest } from '../manifest/types.js';
import { databaseEnvVar } from '../manifest/rules.js';
import type { DatabaseSize, Settings } from '../settings/settings.js';
import { runtimeById, type Runtime } from './runtimes.js';

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
  image: string;
}

export interface SecretView {
  name: string;
  env: string;
  path: string;
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
  /** The environment of a file under an `__env__` folder. */
  env?: EnvironmentView;
  /** Databases as they are in `env` (backups differ by environment). */
  envDatabases: DatabaseView[];
  /** A YAML/JSON double-quoted string: no value can change the structure of the document it is written into. */
  q: (value: unknown) => string;
  json: (value: unknown) => string;
}

/** The names a template can use directly (`<%= name %>`); `it` holds them all. */
export const CONTEXT_KEYS = [
  'manifest', 'settings', 'name', 'owner', 'description', 'runtime', 'image', 'repository', 'repositoryUrl',
  'namespace', 'environments', 'databases', 'secrets', 'versions', 'template', 'env', 'envDatabases', 'q', 'json',
] as const satisfies ReadonlyArray<keyof TemplateContext>;

export function buildContext(manifest: Manifest, settings: Settings, versions: Record<string, unknown>): TemplateContext {
  const { name, owner } = manifest.metadata;
  const runtime = runtimeById(manifest.spec.runtime);
  if (!runtime) throw new Error(`unknown runtime ${manifest.spec.runtime}`);
  const order = manifest.spec.environments;
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
    };
  });
  const secrets = (manifest.spec.secrets ?? []).map((secret): SecretView => ({ ...secret, resource: `${name}-${secret.name}` }));
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
    envDatabases: databases,
    q: (value) => JSON.stringify(String(value)),
    json: (value) => JSON.stringify(value),
  };
}

/** The context of a file under `__env__`: production environments always keep backups (policy database-backups-prod). */
export function forEnvironment(context: TemplateContext, env: EnvironmentView): TemplateContext {
  const envDatabases = context.databases.map((db) => ({ ...db, backups: db.backupsEverywhere || env.production }));
  return { ...context, env, envDatabases };
}
