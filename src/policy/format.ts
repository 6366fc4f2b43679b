/**
 * The policy file format, as a JSON Schema: what a platform team writes in `policies/<id>.yaml`.
 * A policy is metadata (id, title, severity, rationale, remediation), a scope (`appliesTo`), the
 * assertion (a list of rules, each a JSON Schema over selected nodes or a named built-in check), and
 * examples that pass and fail with the exact findings they produce.
 */
const scope = {
  type: 'object',
  additionalProperties: false,
  properties: {
    files: {
      type: 'array',
      items: { enum: ['manifest', 'settings', 'kubernetes', 'kustomization', 'workflow', 'action', 'catalog', 'codeowners', 'record', 'yaml', 'text'] },
    },
    paths: { type: 'array', items: { type: 'string', minLength: 1 } },
    excludePaths: { type: 'array', items: { type: 'string', minLength: 1 } },
    resources: { type: 'array', items: { type: 'string', pattern: '^([a-z0-9.-]+/)*[A-Z][A-Za-z0-9]*$' } },
    environments: {
      anyOf: [
        { const: 'production' },
        { type: 'array', items: { type: 'string', pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' } },
      ],
    },
  },
} as const;

const files = {
  type: 'object',
  propertyNames: { pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\]+$', maxLength: 300 },
  additionalProperties: { type: ['string', 'null'] },
} as const;

const example = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'files'],
  properties: {
    name: { type: 'string', minLength: 1 },
    files,
    findings: { type: 'array', items: { type: 'string', pattern: '^\\S+:[1-9][0-9]*:[1-9][0-9]* [a-z][a-z0-9-]*$' } },
  },
} as const;

export const POLICY_FILE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'severity', 'rationale', 'remediation', 'examples'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 63 },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    severity: { enum: ['error', 'warning', 'info'] },
    rationale: { type: 'string', minLength: 1 },
    remediation: { type: 'string', minLength: 1 },
    help: { type: 'string', pattern: '^https://\\S+$' },
    implementation: { enum: ['policies', 'pipeline'] },
    budgetMs: { type: 'integer', minimum: 10, maximum: 60000 },
    appliesTo: scope,
    assert: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        // A rule is a JSON Schema over selected nodes, or a built-in check by name.
        if: { required: ['schema'] },
        then: {
          additionalProperties: false,
          properties: {
            appliesTo: scope,
            select: { type: 'array', items: { type: 'string' } },
            schema: { type: ['object', 'boolean'] },
            message: { type: 'string', minLength: 1 },
          },
        },
        else: {
          required: ['check'],
          additionalProperties: false,
          properties: {
            appliesTo: scope,
            check: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
            params: { type: 'object' },
          },
        },
      },
    },
    examples: {
      type: 'object',
      additionalProperties: false,
      required: ['pass', 'fail'],
      properties: {
        files,
        pass: { type: 'array', minItems: 1, items: example },
        fail: { type: 'array', minItems: 1, items: { ...example, required: ['name', 'files', 'findings'] } },
      },
    },
  },
  if: { properties: { implementation: { const: 'pipeline' } }, required: ['implementation'] },
  then: { not: { required: ['assert'] } },
  else: { required: ['assert'] },
} as const;
