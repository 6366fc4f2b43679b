/**
 * What a policy is once loaded. On disk a policy is one YAML data file (see format.ts); here it is that
 * data checked and compiled: JSON Schema rules ready to run, built-in checks resolved by name.
 */
import type { ValidateFunction } from 'ajv';
import type { FileKind, PolicyMetadata } from '../validate/types.js';
import type { Selector } from './select.js';

/** Which files, resources and environments a rule looks at. Every field narrows; an absent one allows all. */
export interface Scope {
  /** File kinds as the loader classifies them (kubernetes, workflow, manifest...). */
  files?: FileKind[];
  /** Globs over the repository path (picomatch, dot files included). */
  paths?: string[];
  excludePaths?: string[];
  /** Kubernetes resources: `Kind` or `group/Kind` (`apps/Deployment`, `postgresql.cnpg.io/Cluster`). */
  resources?: string[];
  /** `production` (the organization's production environments), or environment names. */
  environments?: 'production' | string[];
}

export interface SchemaRule {
  type: 'schema';
  scope: Scope;
  /** Where in each document the schema applies; the root when empty. */
  select: Selector[];
  validate: ValidateFunction;
  /** With `{name}`, `{resource}`, `{field}`, `{value}` and `{detail}` placeholders. */
  message: string;
}

export interface CheckRule {
  type: 'check';
  scope: Scope;
  check: string;
  params: Record<string, unknown>;
}

export type Rule = SchemaRule | CheckRule;

/** One case of a policy's examples: a small repository as an inline tree of files. */
export interface PolicyExample {
  name: string;
  /** Path to content; `null` removes a file of the shared example files. */
  files: Record<string, string>;
  /** For failing cases: exactly the findings it must produce, as `file:line:col policy`. */
  findings: string[];
}

export interface Policy extends PolicyMetadata {
  /** The data file it was read from. */
  source: string;
  /**
   * `policies`: evaluated by this engine. `pipeline`: a check the validator's own stages perform
   * (the schema checks); the data file carries its metadata and examples only.
   */
  implementation: 'policies' | 'pipeline';
  rules: Rule[];
  examples: { pass: PolicyExample[]; fail: PolicyExample[] };
  /** Milliseconds of evaluation per repository before the policy is stopped with a finding. */
  budgetMs: number;
  /** The scope and assertion as written in the data file (organization values not yet injected), for the docs. */
  written: { appliesTo?: unknown; assert?: unknown };
}
