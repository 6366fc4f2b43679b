/**
 * JSON Schema rules: a schema (2020-12, through ajv) applied to selected nodes of every document in
 * scope. Each ajv error becomes a finding at the exact node: the failing value, the parent of a
 * missing required key, or the key of a property that must not be there.
 */
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { describeKeyword } from '../core/schema-wording.js';
import { pointerToPath } from '../core/schemas.js';
import type { NodePath } from '../validate/types.js';
import { newAjv } from './compiler.js';
import type { CheckContext } from './context.js';
import { unsafePatternReason } from './regex-safety.js';
import { isPlainObject, selectNodes, valueAt } from './select.js';
import type { SchemaRule } from './types.js';
import { describeResource } from './workloads.js';
import { ajvLinearRegExp } from './linear-regexp.js';

/** How policy schemas are compiled: strict about unknown keywords (typos), lenient about types. */
// `pattern` runs on RE2 (linear time): no policy pattern can hang the validator.
export const POLICY_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, allowUnionTypes: true, logger: false, code: { regExp: ajvLinearRegExp } };

let ajv: Ajv2020 | undefined;

export function policyAjv(options: Options = POLICY_AJV_OPTIONS): Ajv2020 {
  const created = newAjv(options);
  // `message` on a schema node replaces the generated detail for errors at that node.
  created.addKeyword({ keyword: 'message', schemaType: 'string' });
  return created;
}

function sharedAjv(): Ajv2020 {
  ajv ??= policyAjv();
  return ajv;
}

/** Compile a policy schema; throws a plain message (the loader adds the file and line). */
export function compilePolicySchema(schema: unknown): ValidateFunction {
  const unsafe = findUnsafePattern(schema, []);
  if (unsafe) throw new SchemaLoadError(unsafe.message, unsafe.path);
  if (isPlainObject(schema) && '$id' in schema) throw new SchemaLoadError('a policy schema may not set $id', ['$id']);
  try {
    return sharedAjv().compile(schema as object);
  } catch (error) {
    throw new SchemaLoadError(`invalid JSON Schema: ${(error as Error).message.split('\n')[0]}`, []);
  }
}

export class SchemaLoadError extends Error {
  constructor(message: string, readonly path: NodePath) {
    super(message);
  }
}

function findUnsafePattern(schema: unknown, path: Array<string | number>): { message: string; path: NodePath } | undefined {
  if (Array.isArray(schema)) {
    for (const [index, item] of schema.entries()) {
      const found = findUnsafePattern(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(schema)) return undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string') {
      const reason = unsafePatternReason(value);
      if (reason) return { message: `pattern ${JSON.stringify(value)} ${reason}`, path: [...path, key] };
    }
    if (key === 'patternProperties' && isPlainObject(value)) {
      for (const pattern of Object.keys(value)) {
        const reason = unsafePatternReason(pattern);
        if (reason) return { message: `pattern ${JSON.stringify(pattern)} ${reason}`, path: [...path, key, pattern] };
      }
    }
    const found = findUnsafePattern(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

export function runSchemaRule(rule: SchemaRule, context: CheckContext): void {
  for (const { doc, identity, at } of context.documents()) {
    const selections = rule.select.length ? rule.select.flatMap((selector) => selectNodes(doc.value, selector)) : [{ path: [], value: doc.value }];
    for (const selection of selections) {
      context.tick();
      if (rule.validate(selection.value)) continue;
      for (const error of relevantErrors(rule.validate.errors ?? [])) {
        const { path, key } = errorPath(selection.path, error);
        const message = interpolate(rule.message, {
          name: nameOf(selection.value) ?? identity?.name ?? '',
          resource: describeResource(identity),
          field: path.slice(selection.path.length).join('.'),
          value: preview(valueAt(doc.value, path)),
          detail: detailOf(error, path.slice(selection.path.length).join('.')),
        });
        const origin = at(path);
        context.reportAt(origin.file, origin.doc, origin.path, message, { key });
      }
    }
  }
}

/**
 * Drop ajv's bookkeeping errors (`if`, and the branch errors under an anyOf/oneOf that failed as a
 * whole), and merge the keys one node misses into one error: one finding says all that is missing.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const branches = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf').map((error) => `${error.schemaPath}/`);
  const kept: ErrorObject[] = [];
  const missing = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword === 'if' || branches.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    if (error.keyword === 'required') {
      const key = `${error.instancePath}\0${error.schemaPath}`;
      const previous = missing.get(key);
      const property = String((error.params as { missingProperty: string }).missingProperty);
      if (previous) {
        (previous.params as { missing: string[] }).missing.push(property);
        continue;
      }
      const merged = { ...error, params: { ...error.params, missing: [property] } };
      missing.set(key, merged);
      kept.push(merged);
      continue;
    }
    kept.push(error);
  }
  return kept;
}

function errorPath(base: NodePath, error: ErrorObject): { path: NodePath; key: boolean } {
  const path = [...base, ...pointerToPath(error.instancePath)];
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return { path: [...path, String(params.additionalProperty)], key: true };
  // A property whose schema is `false` must not be there at all: point at its key.
  if (error.keyword === 'false schema') return { path, key: true };
  // A missing key points at its parent: at the parent's own key where it has one (`securityContext:`).
  if (error.keyword === 'required') return { path, key: true };
  return { path, key: false };
}

/** What is wrong, naming the field relative to the selected node; a schema's own `message` wins. */
function detailOf(error: ErrorObject, field: string): string {
  const custom: unknown = isPlainObject(error.parentSchema) ? error.parentSchema.message : undefined;
  if (typeof custom === 'string') return custom;
  const params = error.params as Record<string, unknown>;
  const at = (text: string) => (field ? `${field} ${text}` : text);
  switch (error.keyword) {
    case 'required':
      return field ? `${field}: ${describeKeyword(error)}` : describeKeyword(error);
    case 'false schema':
    case 'additionalProperties':
      return `"${field}" is not allowed`;
    case 'const':
      return at(`must be ${JSON.stringify(params.allowedValue)}, not ${preview(error.data)}`);
    case 'enum':
      return at(`must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}, not ${preview(error.data)}`);
    case 'pattern':
      return at(`${preview(error.data)} does not match ${String(params.pattern)}`);
    default:
      return at(error.message ?? error.keyword);
  }
}

function nameOf(value: unknown): string | undefined {
  return isPlainObject(value) && typeof value.name === 'string' ? value.name : undefined;
}

export function preview(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function interpolate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key]! : whole));
}
