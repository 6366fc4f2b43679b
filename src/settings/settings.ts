import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { readYamlFile, positionOf, type ParsedYaml } from '../core/yaml.js';
import { SETTINGS_SCHEMA_ID, describeErrors, validatorFor } from '../core/schemas.js';
import { templatesDir } from '../core/paths.js';

export interface EnvironmentSettings {
  name: string;
  server: string;
  replicas?: number;
  production?: boolean;
}

export interface DatabaseSize {
  instances: number;
  storage: string;
  cpu: string;
  memory: string;
}

export interface PromotionSettings {
  mode: 'pull-request' | 'push';
  app?: { clientId: string; privateKeySecret: string };
  argocd?: { url: string; tokenSecret: string; waitMinutes?: number };
}

export interface PullSecretSettings {
  name: string;
  path: string;
  property?: string;
}

export interface IngressSettings {
  className: string;
  hostPattern: string;
  controllerNamespace: string;
  annotations?: Record<string, string>;
}

export interface Settings {
  apiVersion: string;
  kind: 'OrganizationSettings';
  organization: { name: string; github: string; domain: string; platformTeam?: string; githubUrl?: string; visibility?: 'public' | 'private' | 'internal' };
  registry: string;
  images?: { pullSecret?: PullSecretSettings; placeholder?: string };
  secretStore: { name: string; kind: 'ClusterSecretStore' | 'SecretStore'; pathPattern?: string; property?: string };
  ingress?: IngressSettings;
  argocd: { project: string; namespace: string };
  environments: EnvironmentSettings[];
  runtimes: string[];
  workflows: { repository: string; ref: string };
  action: { repository: string; ref: string };
  /** How promotions reach the deployed branch; absent: pull-request with GITHUB_TOKEN (docs/promotion.md). */
  promotion?: PromotionSettings;
  databases: {
    postgres: {
      defaultVersion: string;
      versions: string[];
      imageRepository: string;
      operatorNamespace?: string;
      sizes: Record<string, DatabaseSize>;
      backups: { destinationPath: string; credentialsSecret: string; credentialsPath?: string; retentionPolicy: string; schedule?: string };
    };
  };
  defaults: { owner: string; runtime: string; environments: string[] };
  policies?: { directories?: string[]; severities?: Record<string, 'error' | 'warning' | 'info'>; docsUrl?: string };
  kubernetes?: { schemas?: string[]; skipKinds?: string[] };
  exceptions?: { approvers?: string[] };
}

/**
 * The defaults of the settings that came after the first release: a settings file written before them
 * still loads, and gets what the example organization spells out.
 */
export const SETTING_DEFAULTS = {
  pathPattern: '{env}/{path}',
  property: 'value',
  pullSecretProperty: 'dockerconfigjson',
  operatorNamespace: 'cnpg-system',
  backupCredentialsPath: 'platform/postgres-backups',
  backupSchedule: '0 0 3 * * *',
} as const;

export const DEFAULT_SETTINGS_FILE = join(templatesDir, 'settings.yaml');

/** Load and check an organization settings file: schema first, then the rules that span fields. */
export function loadSettings(file = DEFAULT_SETTINGS_FILE, displayName = file): Settings {
  const parsed = readYamlFile(file, displayName);
  const settings = checkSettings(parsed);
  locations.set(settings, resolve(file));
  return settings;
}

const locations = new WeakMap<Settings, string>();

/** A path the settings give, relative to the settings file (the embedded default's folder when it has none). */
export function settingsPath(settings: Settings, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(locations.get(settings) ?? DEFAULT_SETTINGS_FILE), path);
}

export function checkSettings(parsed: ParsedYaml): Settings {
  const validate = validatorFor(SETTINGS_SCHEMA_ID);
  if (!validate(parsed.value)) {
    const [problem] = describeErrors(validate.errors, validate);
    const at = positionOf(parsed, problem!.path);
    throw new UserError(problem!.message, parsed.file, at.line, at.column);
  }
  const settings = parsed.value as Settings;
  const fail = (path: Array<string | number>, message: string): never => {
    const at = positionOf(parsed, path);
    throw new UserError(message, parsed.file, at.line, at.column);
  };
  const envNames = settings.environments.map((env) => env.name);
  envNames.forEach((name, index) => {
    if (envNames.indexOf(name) !== index) fail(['environments', index, 'name'], `environment "${name}" is listed twice`);
  });
  settings.defaults.environments.forEach((name, index) => {
    if (!envNames.includes(name)) fail(['defaults', 'environments', index], `default environment "${name}" is not in environments`);
  });
  if (!settings.runtimes.includes(settings.defaults.runtime)) {
    fail(['defaults', 'runtime'], `default runtime "${settings.defaults.runtime}" is not in runtimes`);
  }
  const postgres = settings.databases.postgres;
  if (!postgres.versions.includes(postgres.defaultVersion)) {
    fail(['databases', 'postgres', 'defaultVersion'], `default version "${postgres.defaultVersion}" is not in versions`);
  }
  return settings;
}
