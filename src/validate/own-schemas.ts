/**
 * The validator's own compact schemas (schemas/*.schema.json) for what no installed package validates:
 * the CloudNativePG Cluster, Backstage catalog entities and kustomizations. They sit in
 * the one schema registry (src/core/schemas.ts), so they are precompiled at build time like the manifest's.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { VALIDATOR_SCHEMA_IDS, validatorFor } from '../core/schemas.js';

export type OwnSchema = keyof typeof VALIDATOR_SCHEMA_IDS;

export function ownValidator(name: OwnSchema): ValidateFunction {
  return validatorFor(VALIDATOR_SCHEMA_IDS[name]);
}

/**
 * The schema's own words for a rule a reader cannot guess from ajv's (a pattern, a `not`, a branch that
 * asks for one field or another): the `description` next to the keyword that failed. The registry
 * compiles with `verbose`, so each error carries the schema it failed.
 */
export function describeFromSchema(error: ErrorObject): string | undefined {
  if (!['pattern', 'not', 'maxLength', 'propertyNames', 'required'].includes(error.keyword)) return undefined;
  // A `required` speaks for itself, unless it is a branch written to say "one or the other".
  if (error.keyword === 'required' && !/\/(then|else)\/required$/.test(error.schemaPath)) return undefined;
  const holder = error.keyword === 'not' ? error.schema : error.parentSchema;
  const description = (holder as { description?: unknown } | undefined)?.description;
  if (typeof description !== 'string') return undefined;
  const text = description.replace(/\.$/, '');
  return error.keyword === 'pattern' || error.keyword === 'maxLength' ? `must be ${lowerFirst(text)}` : lowerFirst(text);
}

/** "A DNS-1123 label" reads "must be a DNS-1123 label"; an acronym or a name stays as it is. */
function lowerFirst(text: string): string {
  return /^(A|An|[A-Z][a-z]+)\b/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
