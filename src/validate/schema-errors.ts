/**
 * JSON Schema errors (from ajv, or from the validators kubernetes-models generated with ajv) turned into
 * problems at the node at fault: a wrong value at the value, an unknown field at its key, a missing
 * field at the map that lacks it.
 */
import type { ErrorObject } from 'ajv';
import { describeKeyword } from '../core/schema-wording.js';
import { pointerToPath } from '../core/schemas.js';
import { problem, type Problem } from './problem.js';
import type { NodePath, Range, YamlDocument } from './types.js';

/** Where a finding about a node goes: the file and range, and the field path its message names. */
export interface Placement {
  file: string;
  range: Range;
  field: NodePath;
}

export interface SchemaErrorContext {
  policy: string;
  file: string;
  document: YamlDocument;
  /** The value that was validated, and where it sits in the document (when a part of it was). */
  value: unknown;
  base?: NodePath;
  /** The whole message for an error (field included), when the caller words it better. */
  describe?: (error: ErrorObject, path: NodePath) => string | undefined;
  /** Errors to leave out (e.g. `required` in a kustomize patch, which is partial by design). */
  skip?: (error: ErrorObject) => boolean;
  /**
   * Where an error at a path of the value (or at one of its keys) is reported, when it is not the node
   * of `document` at that path: a resource as kustomize builds it reports where each value was written.
   */
  place?: (path: NodePath, key?: string) => Placement;
}

export function schemaErrorProblems(errors: readonly ErrorObject[] | null | undefined, context: SchemaErrorContext): Problem[] {
  const list = [...(errors ?? [])].filter((error) => !context.skip?.(error));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const valueAt = (pointer: string): unknown => valueAtPath(context.value, pointerToPath(pointer));
  for (const error of collapseAlternatives(list, valueAt)) {
    const params = error.params as Record<string, unknown>;
    const misplacedKey = error.keyword === 'additionalProperties' ? params.additionalProperty : error.keyword === 'propertyNames' ? params.propertyName : undefined;
    const key = misplacedKey === undefined ? undefined : String(misplacedKey);
    const place = context.place?.(pointerToPath(error.instancePath), key) ?? placeInDocument(context, [...(context.base ?? []), ...pointerToPath(error.instancePath)], key);
    const message = context.describe?.(error, place.field) ?? `${fieldName(place.field)}: ${describeKeyword(error)}`;
    const seenKey = `${place.file}:${place.range.line}:${place.range.column}:${message}`;
    if (seen.has(seenKey)) continue;
    seen.add(seenKey);
    problems.push(problem(context.policy, place.file, place.range, message));
  }
  return problems;
}

/** A wrong value at its node, an unknown field at its key, in the document that was validated. */
function placeInDocument(context: SchemaErrorContext, path: NodePath, key: string | undefined): Placement {
  const range = (key === undefined ? undefined : context.document.locateKey?.([...path, key])) ?? context.document.locate(path);
  return { file: context.file, range, field: path };
}

/**
 * `anyOf`/`oneOf` report every failed branch and then themselves. Keep what helps: the errors of the
 * first branch written for this kind of value (a map, a list, a string...), or, when no branch takes this
 * kind of value at all, one "must be X or Y".
 */
function collapseAlternatives(errors: ErrorObject[], valueAt: (pointer: string) => unknown): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const added = new Map<ErrorObject, ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    dropped.add(error);
    const prefix = `${error.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const other of errors) {
      if (other === error || dropped.has(other) || !other.schemaPath.startsWith(prefix)) continue;
      const branch = other.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), other]);
    }
    if (branches.size === 0) {
      // Branches compiled as separate functions (kubernetes-models' int-or-string) report schema paths of
      // their own: they are the errors just before the summary, at its value or below it.
      const index = errors.indexOf(error);
      for (let before = index - 1; before >= 0; before -= 1) {
        const other = errors[before]!;
        if (dropped.has(other) || (other.instancePath !== error.instancePath && !other.instancePath.startsWith(`${error.instancePath}/`))) break;
        branches.set(`#${before}`, [other]);
      }
    }
    if (branches.size === 0) continue;
    const value = valueAt(error.instancePath);
    const fitting = [...branches.values()].filter((list) => !list.some((branchError) => branchError.instancePath === error.instancePath && wrongKind(branchError, value)));
    for (const list of branches.values()) if (list !== fitting[0]) list.forEach((branchError) => dropped.add(branchError));
    if (fitting.length === 0) {
      const kinds = [...branches.values()].map((list) => list.find((branchError) => branchError.instancePath === error.instancePath)).map((branchError) => (branchError ? kindOf(branchError) : 'something else'));
      added.set(error, { ...error, keyword: 'type', params: { type: [...new Set(kinds)].join(',') } });
    }
  }
  const out: ErrorObject[] = [];
  for (const error of errors) {
    const replacement = added.get(error);
    if (replacement) out.push(replacement);
    else if (!dropped.has(error) && error.keyword !== 'if' && (error as { propertyName?: string }).propertyName === undefined) out.push(error);
  }
  return out;
}

/** Whether a branch failed because the value is not the kind of value it takes (so it is not the one meant). */
function wrongKind(error: ErrorObject, value: unknown): boolean {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'type') return true;
  if (error.keyword === 'enum') return !(params.allowedValues as unknown[]).some((allowed) => sameKind(allowed, value));
  if (error.keyword === 'const') return !sameKind(params.allowedValue, value);
  return false;
}

function sameKind(a: unknown, b: unknown): boolean {
  const kind = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  return kind(a) === kind(b);
}

/** What a branch takes, for "must be X or Y". */
function kindOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'type') return String(params.type);
  if (error.keyword === 'enum') return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'const') return JSON.stringify(params.allowedValue);
  return 'something else';
}

export function fieldName(path: NodePath): string {
  if (path.length === 0) return 'document';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

function valueAtPath(root: unknown, path: NodePath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
