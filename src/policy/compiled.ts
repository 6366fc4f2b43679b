/**
 * The central policies, compiled at build time (see precompile.ts) for the embedded organization
 * settings: reading YAML policy files and compiling their schemas costs a cold `platform validate`
 * several times what the validation itself does. The compiled module is used only when it was built
 * from these very policy files and these settings (a fingerprint of both); anything else, such as
 * another organization's settings, loads the policy files as usual.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { loadCommonJs } from '../core/code-cache.js';
import { packageRoot } from '../core/paths.js';
import type { Settings } from '../settings/settings.js';
// Registers the pattern engine the compiled validators use, before they are loaded.
import './linear-regexp.js';
import { policyFiles } from './load.js';
import { organizationValues } from './organization.js';
import { ANY, type Segment } from './select.js';
import type { CheckRule, Policy, SchemaRule } from './types.js';

export const COMPILED_POLICIES_FILE = join(packageRoot, 'dist', 'policies', 'compiled.cjs');
/** Bump when the shape of the compiled module changes. */
export const COMPILED_FORMAT = 1;

/** A selector segment as JSON: `null` is the wildcard. */
export type StoredSegment = string | number | null;

export type StoredRule = Omit<SchemaRule, 'validate' | 'select'> & { select: StoredSegment[][]; validator: string } | CheckRule;

export type StoredPolicy = Omit<Policy, 'rules' | 'examples' | 'written'> & { rules: StoredRule[] };

interface CompiledModule {
  fingerprint: string;
  policies: StoredPolicy[];
  [validator: string]: unknown;
}

/** The policy files of a folder and the organization values they are compiled with, hashed. */
export function policiesFingerprint(dir: string, settings: Settings): string {
  const hash = createHash('sha256').update(`format ${COMPILED_FORMAT}\n`);
  for (const file of policyFiles(dir)) hash.update(`${basename(file)}\n`).update(readFileSync(file)).update('\n');
  return hash.update(JSON.stringify(organizationValues(settings))).digest('hex');
}

export function storeSegment(segment: Segment): StoredSegment {
  return segment === ANY ? null : segment;
}

/** The compiled policies of `dir` for `settings`, or undefined when there are none that match. */
export function loadCompiledPolicies(dir: string, settings: Settings): Policy[] | undefined {
  if (!existsSync(COMPILED_POLICIES_FILE)) return undefined;
  let compiled: CompiledModule;
  try {
    compiled = loadCommonJs(COMPILED_POLICIES_FILE) as CompiledModule;
  } catch {
    // A bundle without node_modules cannot load ajv's runtime helpers: compile instead.
    return undefined;
  }
  if (compiled.fingerprint !== policiesFingerprint(dir, settings)) return undefined;
  return compiled.policies.map((stored): Policy => ({
    ...stored,
    rules: stored.rules.map((rule) => {
      if (rule.type !== 'schema') return { ...rule };
      const { validator, select, ...rest } = rule;
      return { ...rest, select: select.map((segments) => segments.map((segment) => segment ?? ANY)), validate: compiled[validator] as ValidateFunction };
    }),
    // Examples and the written form serve `platform policy test` and the docs, which read the files.
    examples: { pass: [], fail: [] },
    written: {},
  }));
}
