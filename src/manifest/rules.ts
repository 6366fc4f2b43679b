import { MANIFEST_SCHEMA_ID, describeErrors, validatorFor } from '../core/schemas.js';
import type { Settings } from '../settings/settings.js';
import type { Manifest } from './types.js';

/**
 * The one source of truth for what a valid answer is: the manifest schema. A prompt, a command-line
 * option and platform.yaml are all checked by these functions, so they cannot disagree.
 */
export type Field = 'name' | 'owner' | 'description' | 'lifecycle' | 'system' | 'runtime' | 'environments' | 'database' | 'secret';

const FIELD_DEFS: Record<Field, string> = {
  name: 'name',
  owner: 'owner',
  description: 'description',
  lifecycle: 'lifecycle',
  system: 'system',
  runtime: 'runtime',
  environments: 'environments',
  database: 'database',
  secret: 'secret',
};

/** `true`, or a message that names the field and says what is allowed (the shape Yeoman's `validate` wants). */
export function checkField(field: Field, value: unknown, label: string = field): true | string {
  const validate = validatorFor(`${MANIFEST_SCHEMA_ID}#/$defs/${FIELD_DEFS[field]}`);
  if (validate(value)) return true;
  const [problem] = describeErrors(validate.errors, validate);
  const detail = problem!.message.replace(/^document: /, '');
  return typeof value === 'object' && value !== null ? `${label}: ${detail}` : `${label} ${preview(value)}: ${detail}`;
}

export interface ManifestProblem {
  path: Array<string | number>;
  message: string;
}

/** Every problem with a manifest: its schema, then the rules that need the organization settings. */
export function manifestProblems(manifest: unknown, settings: Settings): ManifestProblem[] {
  const validate = validatorFor(MANIFEST_SCHEMA_ID);
  if (!validate(manifest)) return describeErrors(validate.errors, validate);
  return crossFieldProblems(manifest as Manifest, settings);
}

/** The manifest's apiVersion in an organization: its domain names it, so two organizations' manifests differ. */
export function manifestApiVersion(settings: Settings): string {
  return `platform.${settings.organization.domain}/v1`;
}

/** Where editors find the schema of a manifest: beside its apiVersion, at `https://platform.<domain>/schemas/`. */
export function manifestSchemaUrl(apiVersion: string): string {
  return `https://${apiVersion.replace(/\/v1$/, '')}/schemas/platform.schema.json`;
}

function crossFieldProblems(manifest: Manifest, settings: Settings): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const { spec } = manifest;
  const apiVersion = manifestApiVersion(settings);
  if (manifest.apiVersion !== apiVersion) {
    problems.push({ path: ['apiVersion'], message: `apiVersion: "${manifest.apiVersion}" is not this organization's: expected ${apiVersion} (from organization.domain in the settings)` });
  }
  if (!settings.runtimes.includes(spec.runtime)) {
    problems.push({ path: ['spec', 'runtime'], message: `spec.runtime: "${spec.runtime}" is not allowed by the organization (allowed: ${settings.runtimes.join(', ')})` });
  }
  const known = settings.environments.map((env) => env.name);
  spec.environments.forEach((env, index) => {
    if (!known.includes(env)) {
      problems.push({ path: ['spec', 'environments', index], message: `spec.environments.${index}: "${env}" is not an environment of the organization (known: ${known.join(', ')})` });
    }
  });
  spec.environments.forEach((env, index) => {
    // The Argo CD Application <name>-<env> is also a label value: at most 63 characters.
    if (`${manifest.metadata.name}-${env}`.length > 63) {
      problems.push({ path: ['spec', 'environments', index], message: `spec.environments.${index}: "${manifest.metadata.name}-${env}" (the Argo CD Application) would be over 63 characters: shorten the service name` });
    }
  });
  const order = spec.environments.map((env) => known.indexOf(env)).filter((index) => index >= 0);
  if (order.some((value, index) => index > 0 && value < order[index - 1]!)) {
    problems.push({ path: ['spec', 'environments'], message: `spec.environments: must follow the organization's promotion order (${known.join(', ')})` });
  }
  const postgres = settings.databases.postgres;
  const envVars = new Map<string, string>();
  (spec.databases ?? []).forEach((db, index) => {
    if (db.version !== undefined && !postgres.versions.includes(db.version)) {
      problems.push({ path: ['spec', 'databases', index, 'version'], message: `spec.databases.${index}.version: postgres "${db.version}" is not offered (offered: ${postgres.versions.join(', ')})` });
    }
    duplicate(problems, spec.databases!, index, ['spec', 'databases', index, 'name'], 'database', (d) => d.name);
    // CloudNativePG names its Services <cluster>-rw/-ro/-r, and a Service name is a DNS-1123 label.
    const service = `${manifest.metadata.name}-${db.name}-rw`;
    if (service.length > 63) {
      problems.push({ path: ['spec', 'databases', index, 'name'], message: `spec.databases.${index}.name: "${service}" (the database's Service) would be over 63 characters: shorten the service or database name` });
    }
    envVars.set(databaseEnvVar(db.name), `database "${db.name}"`);
  });
  (spec.secrets ?? []).forEach((secret, index) => {
    duplicate(problems, spec.secrets!, index, ['spec', 'secrets', index, 'name'], 'secret', (s) => s.name);
    duplicate(problems, spec.secrets!, index, ['spec', 'secrets', index, 'env'], 'secret variable', (s) => s.env);
    const clash = envVars.get(secret.env) ?? (RESERVED_ENV.includes(secret.env) ? 'the platform' : undefined);
    if (clash) {
      problems.push({ path: ['spec', 'secrets', index, 'env'], message: `spec.secrets.${index}.env: ${secret.env} is already set by ${clash}` });
    }
  });
  return problems;
}

/** Variables the Deployment sets itself; a secret may not take them. */
export const RESERVED_ENV = ['PORT', 'SERVICE_NAME', 'ENVIRONMENT'];

/** The variable that carries a database's connection URI into the app: main -> MAIN_DATABASE_URL. */
export function databaseEnvVar(databaseName: string): string {
  return `${databaseName.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
}

function duplicate<T>(problems: ManifestProblem[], items: T[], index: number, path: Array<string | number>, what: string, key: (item: T) => string): void {
  const value = key(items[index]!);
  if (items.findIndex((item) => key(item) === value) !== index) {
    problems.push({ path, message: `${path.join('.')}: ${what} "${value}" is declared twice` });
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
