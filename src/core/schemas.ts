import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { loadCommonJs } from './code-cache.js';
import { describeKeyword } from './schema-wording.js';
import { packageRoot, schemasDir } from './paths.js';

const require = createRequire(import.meta.url);

export const MANIFEST_SCHEMA_ID = 'https://platform.acme.dev/schemas/platform.schema.json';
export const SETTINGS_SCHEMA_ID = 'https://platform.acme.dev/schemas/settings.schema.json';

/** The validator's compact schemas of what no installed package validates (see src/validate/own-schemas.ts). */
export const VALIDATOR_SCHEMA_IDS = {
  cluster: 'https://platform.acme.dev/schemas/cnpg-cluster.schema.json',
  catalog: 'https://platform.acme.dev/schemas/catalog-info.schema.json',
  kustomization: 'https://platform.acme.dev/schemas/kustomization.schema.json',
} as const;

const OWN_SCHEMAS = [
  'platform.schema.json',
  'settings.schema.json',
  'cnpg-cluster.schema.json',
  'catalog-info.schema.json',
  'kustomization.schema.json',
];

/** The validators compiled at build time (scripts/compile-schemas.js): compiling at start-up costs more than the work. */
export const PRECOMPILED_REFS = [
  MANIFEST_SCHEMA_ID,
  SETTINGS_SCHEMA_ID,
  ...['name', 'owner', 'description', 'runtime', 'environments', 'database', 'secret'].map((def) => `${MANIFEST_SCHEMA_ID}#/$defs/${def}`),
  ...Object.values(VALIDATOR_SCHEMA_IDS),
];
export const PRECOMPILED_FILE = join(packageRoot, 'dist', 'schemas', 'validators.cjs');

let rawSchemas: Map<string, Record<string, unknown>> | undefined;
let ajv: Ajv2020 | undefined;
let precompiled: Record<string, ValidateFunction> | null | undefined;
const cache = new Map<string, ValidateFunction>();

function ownSchemas(): Map<string, Record<string, unknown>> {
  if (!rawSchemas) {
    rawSchemas = new Map();
    for (const file of OWN_SCHEMAS) {
      const schema = JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as Record<string, unknown>;
      rawSchemas.set(schema.$id as string, schema);
    }
  }
  return rawSchemas;
}

/** A hash of our schemas: precompiled validators are used only when they were built from these very files. */
export function schemaFingerprint(): string {
  const hash = createHash('sha256');
  for (const schema of ownSchemas().values()) hash.update(JSON.stringify(schema));
  return hash.digest('hex');
}

export interface SchemaCompiler {
  Ajv2020: typeof import('ajv/dist/2020.js').Ajv2020;
  addFormats: (ajv: Ajv2020) => Ajv2020;
}
let providedCompiler: SchemaCompiler | undefined;

/**
 * For a bundle that runs without node_modules (the GitHub Action): it has no precompiled validators and
 * nothing to `require` ajv from, so it hands over the ajv it carries.
 */
export function provideSchemaCompiler(compiler: SchemaCompiler): void {
  providedCompiler = compiler;
}

/** One Ajv instance for our own schemas, compiled lazily and only once per process. */
export function schemaRegistry(): Ajv2020 {
  if (!ajv) {
    // Loaded on first use only: with the precompiled validators most runs never need the compiler.
    const { Ajv2020: Compiler } = providedCompiler ?? (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js'));
    const addFormats = providedCompiler?.addFormats ?? (require('ajv-formats') as (ajv: Ajv2020) => Ajv2020);
    // verbose: errors carry the schema that failed, whose `description` makes a better message than ajv's.
    ajv = new Compiler({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, code: { source: true } });
    addFormats(ajv);
    for (const schema of ownSchemas().values()) ajv.addSchema(schema);
  }
  return ajv;
}

function loadPrecompiled(): Record<string, ValidateFunction> | null {
  if (precompiled === undefined) {
    precompiled = null;
    if (existsSync(PRECOMPILED_FILE)) {
      const module = loadCommonJs(PRECOMPILED_FILE) as { fingerprint: string; validators: Record<string, ValidateFunction> };
      if (module.fingerprint === schemaFingerprint()) precompiled = module.validators;
    }
  }
  return precompiled;
}

/** The schema object a ref points at (`<$id>#/json/pointer`). */
export function schemaAt(ref: string): Record<string, unknown> {
  const [id, pointer = ''] = ref.split('#');
  let node: unknown = ownSchemas().get(id!);
  for (const part of pointerToPath(pointer)) node = (node as Record<string | number, unknown> | undefined)?.[part];
  if (!node) throw new Error(`no schema ${ref}`);
  return node as Record<string, unknown>;
}

export function validatorFor(ref: string): ValidateFunction {
  let validate = cache.get(ref) ?? loadPrecompiled()?.[ref];
  if (!validate) {
    validate = schemaRegistry().getSchema(ref);
    if (!validate) throw new Error(`no schema ${ref}`);
  }
  if (!validate.schema) Object.defineProperty(validate, 'schema', { value: schemaAt(ref) });
  cache.set(ref, validate);
  return validate;
}

export interface SchemaProblem {
  /** Path of the offending value, as keys and indexes from the document root. */
  path: Array<string | number>;
  message: string;
}

/** Turn ajv's errors into problems with paths and readable messages, the least useful ones dropped. */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: ValidateFunction): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const path = pointerToPath(error.instancePath);
    const message = describeError(error, root);
    const key = `${error.instancePath} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message });
  }
  return problems;
}

/**
 * A readable message for the keywords whose meaning does not depend on the schema's wording, or
 * undefined for the others. Shared with the policy loader, which words policy files the same way.
 */
export function describeStructuralError(error: ErrorObject, field: string): string | undefined {
  if (!['required', 'additionalProperties', 'enum', 'const', 'uniqueItems', 'minItems'].includes(error.keyword)) return undefined;
  return `${field}: ${describeKeyword(error)}`;
}

function describeError(error: ErrorObject, root: ValidateFunction): string {
  const field = error.instancePath ? pointerToPath(error.instancePath).join('.') : 'document';
  const structural = describeStructuralError(error, field);
  if (structural) return structural;
  switch (error.keyword) {
    case 'pattern':
    case 'maxLength':
    case 'minLength': {
      const description = schemaDescription(error, root);
      return `${field}: ${description ?? error.message}`;
    }
    default:
      return `${field}: ${error.message}`;
  }
}

/** The `description` of the schema that failed, when it explains the rule better than ajv can. */
function schemaDescription(error: ErrorObject, root: ValidateFunction): string | undefined {
  // schemaPath is a pointer into the root schema (refs inside one document already followed): drop the keyword.
  const pointer = error.schemaPath.replace(/^#/, '').replace(/\/[^/]+$/, '');
  let node: unknown = root.schema;
  for (const part of pointerToPath(pointer)) {
    node = (node as Record<string | number, unknown> | undefined)?.[part];
  }
  const description = (node as { description?: string } | undefined)?.description;
  return description ? lowerFirst(description.replace(/\.$/, '')) : undefined;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
