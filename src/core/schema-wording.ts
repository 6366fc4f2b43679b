/**
 * The one wording of JSON Schema errors: what each keyword's failure says, without the field it is
 * about (callers prefix `field: `). Every schema check (platform.yaml, settings, Kubernetes resources,
 * workflows, policy files and policy rules) words its errors here, so one mistake reads the same
 * wherever it is found.
 */
import type { ErrorObject } from 'ajv';

/** `missing required field "a"`, or `missing required fields "a" and "b"` for several keys of one map. */
export function missingFields(keys: readonly string[]): string {
  const quoted = keys.map((key) => `"${key}"`);
  const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : quoted[0] ?? '';
  return `missing required ${keys.length > 1 ? 'fields' : 'field'} ${list}`;
}

export function describeKeyword(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return missingFields((params.missing as string[] | undefined) ?? [String(params.missingProperty)]);
    case 'additionalProperties':
      return `unknown field "${String(params.additionalProperty)}"`;
    case 'type':
      return `must be ${String(params.type).split(',').map((type) => (type.startsWith('one of') || type.startsWith('"') ? type : article(typeName(type)))).join(' or ')}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    case 'format':
      return `must be a valid ${String(params.format)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minLength':
      return Number(params.limit) === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return Number(params.limit) === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'minProperties':
      return `must have at least ${String(params.limit)} fields`;
    case 'uniqueItems':
      return `items ${String(params.j)} and ${String(params.i)} are the same; each must be unique`;
    case 'not':
      return 'is not allowed here';
    case 'false schema':
      return 'is not allowed';
    case 'propertyNames':
      return `"${String(params.propertyName)}" is not allowed here`;
    case 'dependentRequired':
    case 'dependencies':
      return `"${String(params.property)}" needs "${String(params.missingProperty)}"`;
    case 'multipleOf':
      return `must be a multiple of ${String(params.multipleOf)}`;
    default:
      return error.message ?? `fails the schema rule "${error.keyword}"`;
  }
}

function typeName(type: string): string {
  return { object: 'map', array: 'list', integer: 'integer', number: 'number', string: 'string', boolean: 'boolean', null: 'null' }[type] ?? type;
}

function article(text: string): string {
  return /^[aeiou]/.test(text) ? `an ${text}` : `a ${text}`;
}
