/**
 * The custom resource kinds the validator knows without any settings: those of the operators the
 * templates deploy to (External Secrets, CloudNativePG and its Barman Cloud plugin, Argo CD), from their
 * upstream CRDs (the snapshots listed in the third-party README), never from a copy in this repository.
 * The build reads those CRDs through src/core/crds.ts and writes one precompiled validator per version
 * (dist/schemas/crds/, with an index of which versions a cluster serves), so a run loads only the kinds
 * it meets, already compiled. The Action's bundle has no build folder: `npm run bundle` writes the same
 * CRD versions beside it as one JSON file (dist/action/crds.json, their schemas without descriptions,
 * compiled on first use). Without either (a build without the third-party data, outside a checkout),
 * these kinds fall back to the older validators of src/validate/kubernetes-kinds.ts.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { loadCommonJs } from './code-cache.js';
import { CrdCatalog, key, loadCrds, schemaAjv, validationSchema, type CrdVersion } from './crds.js';
import { packageRoot } from './paths.js';
import { findThirdParty } from './third-party.js';

/** The upstream CRD files of the built-in kinds, by their name in the third-party `crds/` folder. */
export const BUILTIN_CRD_FILES = [
  'external-secrets.io_externalsecrets.yaml',
  'external-secrets.io_clustersecretstores.yaml',
  'postgresql.cnpg.io_clusters.yaml',
  'postgresql.cnpg.io_scheduledbackups.yaml',
  'postgresql.cnpg.io_databases.yaml',
  'postgresql.cnpg.io_poolers.yaml',
  'barmancloud.cnpg.io_objectstores.yaml',
  'argoproj.io_applications.yaml',
  'argoproj.io_applicationsets.yaml',
  'argoproj.io_appprojects.yaml',
];

/** The API groups of the built-in kinds (the files are named `<group>_<plural>.yaml`). */
export const BUILTIN_CRD_GROUPS: ReadonlySet<string> = new Set(BUILTIN_CRD_FILES.map((name) => name.slice(0, name.indexOf('_'))));

export const BUILTIN_CRDS_DIR = join(packageRoot, 'dist', 'schemas', 'crds');
/** The built-in kinds as the Action's bundle carries them (committed with it). */
export const BUNDLED_CRDS_FILE = join(packageRoot, 'dist', 'action', 'crds.json');
const INDEX_FILE = 'index.json';

type IndexEntry = Omit<CrdVersion, 'schema'> & { module: string };

let builtin: CrdCatalog | null | undefined;

/** The built-in catalog: precompiled by the build, else the bundle's; null when there is neither. */
export function builtinCrdCatalog(): CrdCatalog | null {
  if (builtin === undefined) {
    const index = join(BUILTIN_CRDS_DIR, INDEX_FILE);
    if (existsSync(index)) builtin = catalogOf(JSON.parse(readFileSync(index, 'utf8')) as IndexEntry[]);
    else if (existsSync(BUNDLED_CRDS_FILE)) builtin = new CrdCatalog(JSON.parse(readFileSync(BUNDLED_CRDS_FILE, 'utf8')) as CrdVersion[]);
    else builtin = null;
  }
  return builtin;
}

function catalogOf(entries: IndexEntry[]): CrdCatalog {
  const versions: CrdVersion[] = entries.map(({ module: _module, ...entry }) => ({ ...entry, schema: {} }));
  // Each validator is loaded on first use: a run meets a handful of kinds.
  const validators: Record<string, ValidateFunction> = {};
  for (const entry of entries) {
    let loaded: ValidateFunction | undefined;
    const validate = ((data: unknown) => {
      loaded ??= loadCommonJs(join(BUILTIN_CRDS_DIR, entry.module)) as ValidateFunction;
      const valid = loaded(data) as boolean;
      validate.errors = loaded.errors;
      return valid;
    }) as ValidateFunction;
    validators[key(entry.apiVersion, entry.kind)] = validate;
  }
  return new CrdCatalog(versions, validators);
}

/**
 * The built-in CRD versions from the third-party data, lean: without their schemas' descriptions (no
 * message quotes them; a fifth of the precompiled code) and `status` (never checked), each named by its
 * file in the third-party `crds/` folder. A one-line reason when the CRDs cannot be found.
 */
function leanBuiltinCrds(): CrdVersion[] | { reason: string } {
  const found = findThirdParty();
  if ('reason' in found) return found;
  const files = BUILTIN_CRD_FILES.map((name) => join(found.dir, 'crds', name));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) return { reason: `the upstream CRDs ${missing.join(', ')} are missing` };
  return loadCrds(files).versions.map(({ file, schema, ...version }) => ({
    ...version,
    file: `crds/${file.slice(file.lastIndexOf('/') + 1)}`,
    schema: withoutStatus(withoutDescriptions(schema) as Record<string, unknown>),
  }));
}

/** Build step: precompile every version of the built-in CRDs; a one-line reason when the CRDs cannot be found. */
export function writeBuiltinCrds(): { versions: number } | { reason: string } {
  const versions = leanBuiltinCrds();
  if ('reason' in versions) return versions;
  rmSync(BUILTIN_CRDS_DIR, { recursive: true, force: true });
  mkdirSync(BUILTIN_CRDS_DIR, { recursive: true });
  const index: IndexEntry[] = [];
  for (const version of versions) {
    const ajv = schemaAjv({ code: { source: true } });
    const validate = ajv.compile(validationSchema(version));
    const module = `${version.group}_${version.kind}_${version.version}.cjs`.toLowerCase();
    writeFileSync(join(BUILTIN_CRDS_DIR, module), standaloneCode.default(ajv, validate));
    const { schema: _schema, ...entry } = version;
    index.push({ ...entry, module });
  }
  writeFileSync(join(BUILTIN_CRDS_DIR, INDEX_FILE), `${JSON.stringify(index, null, 1)}\n`);
  return { versions: index.length };
}

/**
 * Bundle step: every version of the built-in CRDs as one JSON file, for the Action (see the top): 0.65 MB
 * rather than the 11 MB of precompiled code. The same bytes on every machine, since CI compares it.
 */
export function writeBundledCrds(file: string): { versions: number } | { reason: string } {
  const versions = leanBuiltinCrds();
  if ('reason' in versions) return versions;
  writeFileSync(file, `${JSON.stringify(versions)}\n`);
  return { versions: versions.length };
}

/** Keywords whose value is data, not a schema: kept as written. */
const DATA_KEYWORDS = new Set(['enum', 'default', 'example', 'const', 'required']);

/** A schema without its `description` annotations; a field named `description` (under `properties`) stays. */
function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema as Record<string, unknown>).filter(([name, value]) => !(name === 'description' && typeof value === 'string')).map(([name, value]) => {
    if (DATA_KEYWORDS.has(name)) return [name, value];
    if ((name === 'properties' || name === 'patternProperties' || name === 'definitions') && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return [name, Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([field, inner]) => [field, withoutDescriptions(inner)]))];
    }
    return [name, withoutDescriptions(value)];
  }));
}

function withoutStatus(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return properties?.status ? { ...schema, properties: { ...properties, status: { type: 'object' } } } : schema;
}
