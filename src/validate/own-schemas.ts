/**
 * The validator's own compact schemas (schemas/*.schema.json) for what no installed package validates:
 * the CloudNativePG Cluster, GitHub workflows, Backstage catalog entities and kustomizations. They sit in
 * the one schema registry (src/core/schemas.ts), so they are precompiled at build time like the manifest's.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { VALIDATOR_SCHEMA_IDS, pointerToPath, validatorFor } from '../core/schemas.js';

export type OwnSchema = keyof typeof VALIDATOR_SCHEMA_IDS;

export function ownValidator(name: OwnSchema): ValidateFunction {
  return validatorFor(VALIDATOR_SCHEMA_IDS[name]);
}

/**
 * The schema's own words for a rule a reader cannot guess from ajv's (a pattern, a `not`): the
 * `description` next to the keyword that failed.
 */
export function describeFromSchema(validate: ValidateFunction, error: ErrorObject): string | undefined {
  if (!['pattern', 'not', 'maxLength', 'propertyNames'].includes(error.keyword)) return undefined;
  const pointer = error.schemaPath.replace(/^#/, '');
  const path = pointerToPath(pointer);
  const holder = error.keyword === 'not' ? path : path.slice(0, -1);
  let node: unknown = validate.schema;
  for (const part of holder) node = (node as Record<string | number, unknown> | undefined)?.[part];
  const description = (node as { description?: unknown } | undefined)?.description;
  if (typeof description !== 'string') return undefined;
  const text = description.replace(/\.$/, '');
  return error.keyword === 'pattern' || error.keyword === 'maxLength' ? `must be ${lowerFirst(text)}` : lowerFirst(text);
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
