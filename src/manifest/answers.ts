import { UserError } from '../core/errors.js';
import type { Settings } from '../settings/settings.js';
import { checkField, manifestApiVersion } from './rules.js';
import { type Database, type Lifecycle, type Manifest, type Secret } from './types.js';

/** The answers a person gives (at prompts or as options); a manifest is built from them. */
export interface Answers {
  name: string;
  owner: string;
  description: string;
  /** The catalog's lifecycle (default DEFAULT_LIFECYCLE) and system (none when absent or empty). */
  lifecycle?: string;
  system?: string;
  runtime: string;
  environments: string[];
  databases: Database[];
  secrets: Secret[];
}

const SIZES = ['small', 'medium', 'large'];

/** A new service starts experimental; its team says production when it is (platform.yaml's metadata.lifecycle). */
export const DEFAULT_LIFECYCLE: Lifecycle = 'experimental';

/**
 * `NAME:ENGINE[:VERSION][:SIZE][:backups]`, e.g. `main:postgres:16:backups`. The optional parts may come
 * in any order after the engine. Returns the database or a message naming the option.
 */
export function parseDatabaseOption(text: string): Database | string {
  const [name = '', engine = '', ...rest] = text.split(':');
  if (!name || !engine) return `--database ${JSON.stringify(text)}: expected NAME:ENGINE[:VERSION][:SIZE][:backups], e.g. main:postgres:16:backups`;
  const db: Database = { name, engine: engine as Database['engine'] };
  for (const part of rest) {
    if (/^\d+$/.test(part) && db.version === undefined) db.version = part;
    else if (SIZES.includes(part) && db.size === undefined) db.size = part as Database['size'];
    else if (part === 'backups' && db.backups === undefined) db.backups = true;
    else return `--database ${JSON.stringify(text)}: unexpected "${part}" (expected a version such as 16, a size (${SIZES.join('|')}) or "backups")`;
  }
  const valid = checkField('database', db, `--database ${JSON.stringify(text)}`);
  return valid === true ? db : valid;
}

/** `NAME:ENV_VAR:STORE_PATH`, e.g. `stripe-api-key:STRIPE_API_KEY:payments/stripe`. */
export function parseSecretOption(text: string): Secret | string {
  const parts = text.split(':');
  if (parts.length < 3 || parts.length > 4 || parts.some((part) => !part)) {
    return `--secret ${JSON.stringify(text)}: expected NAME:ENV_VAR:STORE_PATH[:PROPERTY], e.g. stripe-api-key:STRIPE_API_KEY:payments/stripe`;
  }
  const secret: Secret = { name: parts[0]!, env: parts[1]!, path: parts[2]!, ...(parts[3] ? { property: parts[3] } : {}) };
  const valid = checkField('secret', secret, `--secret ${JSON.stringify(text)}`);
  return valid === true ? secret : valid;
}

/** `dev,staging,prod`: a comma-separated list, blanks dropped. */
export function parseListOption(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/** Fill in the organization's defaults for what a database entry leaves out. */
export function completeDatabase(db: Database, settings: Settings): Database {
  return {
    name: db.name,
    engine: db.engine,
    version: db.version ?? settings.databases.postgres.defaultVersion,
    size: db.size ?? 'small',
    backups: db.backups ?? false,
  };
}

export function answersToManifest(answers: Answers, settings: Settings, template: { name: string; version: string }): Manifest {
  const manifest: Manifest = {
    apiVersion: manifestApiVersion(settings),
    kind: 'Service',
    metadata: {
      name: answers.name,
      owner: answers.owner,
      description: answers.description,
      lifecycle: (answers.lifecycle || DEFAULT_LIFECYCLE) as Lifecycle,
      ...(answers.system ? { system: answers.system } : {}),
    },
    spec: {
      template: { name: template.name, version: template.version },
      runtime: answers.runtime,
      environments: [...answers.environments],
    },
  };
  if (answers.databases.length) manifest.spec.databases = answers.databases.map((db) => completeDatabase(db, settings));
  if (answers.secrets.length) manifest.spec.secrets = answers.secrets.map((secret) => ({ ...secret }));
  return manifest;
}

export function manifestToAnswers(manifest: Manifest): Answers {
  return {
    name: manifest.metadata.name,
    owner: manifest.metadata.owner,
    description: manifest.metadata.description ?? '',
    ...(manifest.metadata.lifecycle ? { lifecycle: manifest.metadata.lifecycle } : {}),
    ...(manifest.metadata.system ? { system: manifest.metadata.system } : {}),
    runtime: manifest.spec.runtime,
    environments: [...manifest.spec.environments],
    databases: [...(manifest.spec.databases ?? [])],
    secrets: [...(manifest.spec.secrets ?? [])],
  };
}

/** Throw the first message that is not `true` as a UserError. */
export function orFail<T>(result: T | string): T {
  if (typeof result === 'string') throw new UserError(result);
  return result;
}
