import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { schemasDir } from './paths.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped once more.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsPlugin as unknown as { default?: FormatsPlugin }).default ?? addFormatsPlugin) as FormatsPlugin;

export const MANIFEST_SCHEMA_ID = 'https://platform.acme.dev/schemas/platform.schema.json';
export const SETTINGS_SCHEMA_ID = 'https://platform.acme.dev/schemas/settings.schema.json';

let ajv: Ajv2020 | undefined;

/** One Ajv instance for our own schemas, compiled lazily and only once per process. */
export function schemaRegistry(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const file of ['platform.schema.json', 'settings.schema.json']) {
      ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as object);
    }
  }
  return ajv;
}

export function validatorFor(ref: string): ValidateFunction {
  const validate = schemaRegistry().getSchema(ref);
  if (!validate) throw new Error(`no schema ${ref}`);
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

function describeError(error: ErrorObject, root: ValidateFunction): string {
  const field = error.instancePath ? pointerToPath(error.instancePath).join('.') : 'document';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${field}: missing required field "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `${field}: unknown field "${String(params.additionalProperty)}"`;
    case 'enum':
      return `${field}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${field}: must be ${JSON.stringify(params.allowedValue)}`;
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
