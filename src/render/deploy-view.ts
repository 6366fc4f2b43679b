/**
 * What the Kubernetes files of a template read from the settings, with the defaults of the settings
 * that came after the first release filled in (SETTING_DEFAULTS), so a template never spells a default.
 */
import { UserError } from '../core/errors.js';
import { SETTING_DEFAULTS, type IngressSettings, type Settings } from '../settings/settings.js';

export interface DeployView {
  /** The store entry an environment reads for a path of platform.yaml or of the settings. */
  storePath: (path: string, env: string) => string;
  pullSecret?: { name: string; path: string; property: string };
  /** The image an environment runs until its first promotion. */
  placeholder?: { name: string; tag: string };
  ingress?: IngressSettings & { host: (env: string) => string };
  operatorNamespace: string;
  postgresImage: (major: string) => string;
  backups: {
    destinationPath: string;
    credentialsSecret: string;
    credentialsPath: string;
    retentionPolicy: string;
    schedule: string;
    /** Which credentials the object store takes. */
    provider: 's3' | 'gs';
    /**
     * The keys of the credentials Secret, by the ObjectStore field that reads each: the spelling of the Barman
     * Cloud plugin's documentation, and the one spelling the templates, the policies and the docs use.
     */
    keys: Record<string, string>;
  };
}

export function deployView(settings: Settings, versions: Record<string, unknown>, name: string): DeployView {
  const pattern = settings.secretStore.pathPattern ?? SETTING_DEFAULTS.pathPattern;
  const postgres = settings.databases.postgres;
  const { pullSecret, placeholder } = settings.images ?? {};
  const ingress = settings.ingress;
  return {
    storePath: (path, env) => pattern.replaceAll('{env}', env).replaceAll('{path}', path),
    pullSecret: pullSecret && { name: pullSecret.name, path: pullSecret.path, property: pullSecret.property ?? SETTING_DEFAULTS.pullSecretProperty },
    placeholder: placeholder === undefined ? undefined : splitPlaceholder(placeholder),
    ingress: ingress && {
      ...ingress,
      host: (env) => ingress.hostPattern.replaceAll('{name}', name).replaceAll('{env}', env).replaceAll('{domain}', settings.organization.domain),
    },
    operatorNamespace: postgres.operatorNamespace ?? SETTING_DEFAULTS.operatorNamespace,
    postgresImage: (major) => postgresImage(settings, versions, major),
    backups: {
      destinationPath: postgres.backups.destinationPath.replace(/\/+$/, ''),
      credentialsSecret: postgres.backups.credentialsSecret,
      credentialsPath: postgres.backups.credentialsPath ?? SETTING_DEFAULTS.backupCredentialsPath,
      retentionPolicy: postgres.backups.retentionPolicy,
      schedule: postgres.backups.schedule ?? SETTING_DEFAULTS.backupSchedule,
      provider: postgres.backups.destinationPath.startsWith('gs://') ? 'gs' : 's3',
      keys: postgres.backups.destinationPath.startsWith('gs://')
        ? { applicationCredentials: 'APPLICATION_CREDENTIALS' }
        : { accessKeyId: 'ACCESS_KEY_ID', secretAccessKey: 'ACCESS_SECRET_KEY' },
    },
  };
}

/** `registry/image:tag` (the schema requires the tag) into the name and kustomize's `newTag`. */
function splitPlaceholder(image: string): { name: string; tag: string } {
  const colon = image.lastIndexOf(':');
  return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
}

/** The pinned operand image of a PostgreSQL major version (versions/postgres.yaml), asked for by the templates that use it. */
function postgresImage(settings: Settings, versions: Record<string, unknown>, major: string): string {
  const tag = (versions.postgres as { images?: Record<string, unknown> } | undefined)?.images?.[major];
  if (typeof tag !== 'string') throw new UserError(`PostgreSQL ${major} has no pinned image: add it to the template's versions/postgres.yaml`);
  return `${settings.databases.postgres.imageRepository}:${tag}`;
}
