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
 * An answer written as one piece of text (an option, a prompt, a `platform add` argument): its syntax and
 * an example, as help and errors show them, its parser and the text that parses back to a value. Every
 * place that shows or reads the syntax takes it from here.
 */
export interface AnswerSyntax<T> {
  /** The option of `platform new` that takes it. */
  option: string;
  syntax: string;
  example: string;
  /**
   * The value, or a message that starts with `label` (by default the option and the text, as
   * `--database "x"`; at a prompt, the text alone).
   */
  parse: (text: string, label?: string) => T | string;
  format: (value: T) => string;
}

/** `NAME:ENGINE[:VERSION][:SIZE][:backups]`; the optional parts may come in any order after the engine. */
export const DATABASE_SYNTAX: AnswerSyntax<Database> = {
  option: '--database',
  syntax: 'NAME:ENGINE[:VERSION][:SIZE][:backups]',
  example: 'main:postgres:16:backups',
  parse(text, label = `--database ${JSON.stringify(text)}`) {
    const [name = '', engine = '', ...rest] = text.split(':');
    if (!name || !engine) return `${label}: expected ${DATABASE_SYNTAX.syntax}, e.g. ${DATABASE_SYNTAX.example}`;
    const db: Database = { name, engine: engine as Database['engine'] };
    for (const part of rest) {
      if (/^\d+$/.test(part) && db.version === undefined) db.version = part;
      else if (SIZES.includes(part) && db.size === undefined) db.size = part as Database['size'];
      else if (part === 'backups' && db.backups === undefined) db.backups = true;
      else return `${label}: unexpected "${part}" (expected a version such as 16, a size (${SIZES.join('|')}) or "backups")`;
    }
    const valid = checkField('database', db, label);
    return valid === true ? db : valid;
  },
  format: (db) => [db.name, db.engine, db.version, db.size, db.backups ? 'backups' : undefined].filter(Boolean).join(':'),
};

/** `NAME:ENV_VAR:STORE_PATH[:PROPERTY]`: PROPERTY is the key inside the store entry (default: the settings'). */
export const SECRET_SYNTAX: AnswerSyntax<Secret> = {
  option: '--secret',
  syntax: 'NAME:ENV_VAR:STORE_PATH[:PROPERTY]',
  example: 'stripe-api-key:STRIPE_API_KEY:payments/stripe',
  parse(text, label = `--secret ${JSON.stringify(text)}`) {
    const parts = text.split(':');
    if (parts.length < 3 || parts.length > 4 || parts.some((part) => !part)) return `${label}: expected ${SECRET_SYNTAX.syntax}, e.g. ${SECRET_SYNTAX.example}`;
    const secret: Secret = { name: parts[0]!, env: parts[1]!, path: parts[2]!, ...(parts[3] ? { property: parts[3] } : {}) };
    const valid = checkField('secret', secret, label);
    return valid === true ? secret : valid;
  },
  format: (secret) => [secret.name, secret.env, secret.path, secret.property].filter(Boolean).join(':'),
};

/** `--database TEXT`: the database, or a message naming the option. */
export const parseDatabaseOption = (text: string): Database | string => DATABASE_SYNTAX.parse(text);

/** `--secret TEXT`: the secret, or a message naming the option. */
export const parseSecretOption = (text: string): Secret | string => SECRET_SYNTAX.parse(text);

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
