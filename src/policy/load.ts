/**
 * Loading policy folders: each `<id>.yaml` is read (size, symlink and encoding checks of readYamlFile),
 * checked against the policy file format, its organization values injected, its schemas compiled and
 * its patterns checked for safety. Any problem is a one-line error naming the file and line.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { isMap, isScalar } from 'yaml';
import { UserError } from '../core/errors.js';
import { describeStructuralError, pointerToPath } from '../core/schemas.js';
import { positionOf, readYamlFile, type ParsedYaml } from '../core/yaml.js';
import type { Settings } from '../settings/settings.js';
import { BUILTIN_CHECKS, type BuiltinCheck } from './checks/index.js';
import { newAjv } from './compiler.js';
import { POLICY_FILE_SCHEMA } from './format.js';
import { fillPlaceholders, injectSettings, organizationValues, type OrganizationValues } from './organization.js';
import { unsafePatternReason } from './regex-safety.js';
import { compilePolicySchema, SchemaLoadError } from './schema-rule.js';
import { parseSelector, type Selector } from './select.js';
import type { Policy, PolicyExample, Rule, Scope } from './types.js';

export const DEFAULT_BUDGET_MS = 2000;

type Path = Array<string | number>;

interface RawRule {
  appliesTo?: Scope;
  select?: string[];
  schema?: unknown;
  message?: string;
  check?: string;
  params?: Record<string, unknown>;
}

interface RawExample {
  name: string;
  files: Record<string, string | null>;
  findings?: string[];
}

interface RawPolicy {
  id: string;
  title: string;
  severity: Policy['severity'];
  rationale: string;
  remediation: string;
  help?: string;
  implementation?: Policy['implementation'];
  budgetMs?: number;
  appliesTo?: Scope;
  assert?: RawRule[];
  examples: { files?: Record<string, string | null>; pass: RawExample[]; fail: RawExample[] };
}

let fileValidator: ValidateFunction | undefined;

function validateFile(value: unknown): ErrorObject[] {
  fileValidator ??= newAjv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false }).compile(POLICY_FILE_SCHEMA);
  // `if` errors only say that a `then` failed; the `then` error itself says what.
  return fileValidator(value) ? [] : (fileValidator.errors ?? []).filter((error) => error.keyword !== 'if');
}

/** The policy files of a folder, sorted; a folder that does not exist is an error. */
export function policyFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError('is not a policy folder', displayPath(dir));
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Every policy of the folders, in folder order; ids are unique across folders. A folder found in
 * `preloaded` (the compiled central policies) is taken from there instead of its files.
 */
export function loadPolicies(dirs: string[], settings: Settings, preloaded?: ReadonlyMap<string, Policy[]>): Policy[] {
  const org = organizationValues(settings);
  const policies: Policy[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    const fromDir = preloaded?.get(dir) ?? policyFiles(dir).map((file) => loadPolicyFile(file, org));
    for (const policy of fromDir) {
      const previous = seen.get(policy.id);
      if (previous) throw new UserError(`policy "${policy.id}" is already defined in ${previous}: a policy cannot be replaced, only its severity changed in the settings`, policy.source);
      seen.set(policy.id, policy.source);
      policies.push(policy);
    }
  }
  const severities = settings.policies?.severities ?? {};
  for (const [id, severity] of Object.entries(severities)) {
    const policy = policies.find((candidate) => candidate.id === id);
    if (!policy) throw new UserError(`organization settings: policies.severities names "${id}", which is not a policy (known: ${policies.map((p) => p.id).join(', ')})`);
    policy.severity = severity;
  }
  return policies;
}

export function loadPolicyFile(file: string, org: OrganizationValues): Policy {
  const display = displayPath(file);
  const parsed = readYamlFile(file, display);
  const fail = (path: Path, message: string, options: { key?: boolean } = {}): never => {
    const at = (options.key ? keyPositionOf(parsed, path) : undefined) ?? positionOf(parsed, path);
    throw new UserError(message, display, at.line, at.column);
  };
  const [error] = validateFile(parsed.value);
  if (error) fail(errorPath(error), describe(error), { key: error.keyword === 'additionalProperties' });
  const raw = parsed.value as RawPolicy;
  const expectedName = basename(file).replace(/\.ya?ml$/, '');
  if (raw.id !== expectedName) fail(['id'], `id "${raw.id}" must match the file name "${expectedName}"`);
  const rules = (raw.assert ?? []).map((rule, index) => compileRule(rule, raw.appliesTo ?? {}, org, parsed, ['assert', index], fail));
  return {
    id: raw.id,
    title: raw.title,
    severity: raw.severity,
    rationale: raw.rationale.trim(),
    remediation: raw.remediation.trim(),
    helpUri: raw.help ?? helpUriFor(raw.id, org),
    source: display,
    implementation: raw.implementation ?? 'policies',
    rules,
    examples: {
      pass: raw.examples.pass.map((example, index) => exampleOf(example, raw.examples.files, org, ['examples', 'pass', index], fail)),
      fail: raw.examples.fail.map((example, index) => exampleOf(example, raw.examples.files, org, ['examples', 'fail', index], fail)),
    },
    budgetMs: raw.budgetMs ?? DEFAULT_BUDGET_MS,
    written: { appliesTo: raw.appliesTo, assert: raw.assert },
  };
}

/**
 * The policy's section of the organization's policy documentation: the settings' policies.docsUrl, or
 * docs/policies.md in the organization's copy of this package's repository.
 */
export function helpUriFor(id: string, org: OrganizationValues): string {
  const docs = org.policies?.docsUrl ?? `${platformRepositoryUrl(org)}/blob/${org.action.ref}/docs/policies.md`;
  return `${docs}#${id}`;
}

/** The organization's copy of this package (where its Action, policies and docs live). */
export function platformRepositoryUrl(org: Pick<OrganizationValues, 'organization' | 'action'>): string {
  return `${org.organization.githubUrl ?? 'https://github.com'}/${org.action.repository}`;
}

function compileRule(raw: RawRule, policyScope: Scope, org: OrganizationValues, parsed: ParsedYaml, at: Path, fail: (path: Path, message: string) => never): Rule {
  const scope: Scope = { ...policyScope, ...(raw.appliesTo ?? {}) };
  const inject = (value: unknown, path: Path) => injectSettings(value, org, (setting, at) => fail([...path, ...at], `unknown organization setting "${setting}"`));
  if (raw.schema !== undefined) {
    const select: Selector[] = (raw.select ?? []).map((text, index) => {
      const selector = parseSelector(text);
      return typeof selector === 'string' ? fail([...at, 'select', index], selector) : selector;
    });
    try {
      const validate = compilePolicySchema(inject(raw.schema, [...at, 'schema']));
      return { type: 'schema', scope, select, validate, message: raw.message ?? '{resource}: {detail}' };
    } catch (error) {
      if (error instanceof SchemaLoadError) fail([...at, 'schema', ...error.path], error.message);
      throw error;
    }
  }
  const name = raw.check!;
  const check = BUILTIN_CHECKS.get(name);
  if (!check) fail([...at, 'check'], `unknown check "${name}" (known: ${[...BUILTIN_CHECKS.keys()].join(', ')})`);
  refuseIgnoredScope(check!, raw.appliesTo ?? {}, policyScope, at, fail);
  const params = { ...(check!.defaults ?? {}), ...((inject(raw.params ?? {}, [...at, 'params']) as Record<string, unknown>) ?? {}) };
  if (check!.params) {
    const validate = compilePolicySchema(check!.params);
    if (!validate(params)) {
      const [problem] = validate.errors ?? [];
      fail([...at, 'params', ...pointerToPath(problem!.instancePath)], `params of ${name}: ${describe(problem!)}`);
    }
  } else if (raw.params && Object.keys(raw.params).length > 0) {
    fail([...at, 'params'], `check ${name} takes no params`);
  }
  for (const { path, pattern } of check!.regexParams?.(params) ?? []) {
    const reason = unsafePatternReason(pattern);
    if (reason) fail([...at, 'params', ...path], `pattern ${JSON.stringify(pattern)} ${reason}`);
  }
  return { type: 'check', scope, check: name, params };
}

const HONOURED: Record<BuiltinCheck['scope'], ReadonlyArray<keyof Scope>> = {
  documents: ['files', 'paths', 'excludePaths', 'resources', 'environments'],
  files: ['files', 'paths', 'excludePaths'],
  fixed: [],
};
const READS: Record<BuiltinCheck['scope'], string> = {
  documents: 'every file and resource in scope',
  files: 'files, not resources or environments',
  fixed: 'the files it is about by name',
};

/** A scope field the check would ignore is refused, at the field (the rule's own, else the policy's). */
function refuseIgnoredScope(check: BuiltinCheck, ruleScope: Scope, policyScope: Scope, at: Path, fail: (path: Path, message: string) => never): void {
  for (const [scope, path] of [[ruleScope, [...at, 'appliesTo']], [policyScope, ['appliesTo']]] as const) {
    const field = (Object.keys(scope) as Array<keyof Scope>).find((key) => !HONOURED[check.scope].includes(key));
    if (field) fail([...path, field], `check ${check.name} does not honour appliesTo.${field}: it reads ${READS[check.scope]}`);
  }
}

/** An example's files (the shared ones, then its own), with the organization's values filled in. */
function exampleOf(raw: RawExample, shared: Record<string, string | null> = {}, org: OrganizationValues, at: Path, fail: (path: Path, message: string) => never): PolicyExample {
  const files: Record<string, string> = {};
  for (const [path, content] of Object.entries({ ...shared, ...raw.files })) {
    if (content === null) continue;
    const where: Path = Object.hasOwn(raw.files, path) ? [...at, 'files', path] : ['examples', 'files', path];
    files[path] = fillPlaceholders(content, org, (setting) => fail(where, `{org:${setting}} is not a value of the organization settings (write {org:registry}, {org:secretStore.name}, {org:clusters.dev}...)`));
  }
  return { name: raw.name, files, findings: raw.findings ?? [] };
}

/** The position of the key of the entry at `path` (for "unknown field"), when there is one. */
function keyPositionOf(parsed: ParsedYaml, path: Path): { line: number; column: number } | undefined {
  const parent = path.length > 1 ? parsed.doc.getIn(path.slice(0, -1), true) : parsed.doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path[path.length - 1]));
  const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  if (offset === undefined) return undefined;
  const at = parsed.lineCounter.linePos(offset);
  return { line: at.line, column: at.col };
}

function errorPath(error: ErrorObject): Path {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return [...path, String(params.additionalProperty)];
  return path;
}

function describe(error: ErrorObject): string {
  const field = pointerToPath(error.instancePath).join('.') || 'policy';
  const structural = describeStructuralError(error, field);
  if (structural) return structural;
  switch (error.keyword) {
    case 'not':
      return `${field}: a policy implemented by the pipeline has no assert`;
    default:
      return `${field}: ${error.message ?? error.keyword}`;
  }
}

function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : file;
}
