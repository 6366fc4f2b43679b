/**
 * The policy stage of the validator. The pipeline calls runPolicies with the repository model; it
 * loads the central policies (this package's policies/), the organization's folders
 * (settings.policies.directories) and any extra folders, and returns findings, unwaived, with the
 * metadata of every policy for the reporters. Nothing in the repository can remove a policy: a team
 * waives one through spec.exceptions, which the waiver stage applies.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { policiesDir, templatesDir } from '../core/paths.js';
import type { Settings } from '../settings/settings.js';
import type { Problem } from '../validate/problem.js';
import type { PolicyMetadata, RepositoryModel } from '../validate/types.js';
import { loadCompiledPolicies } from './compiled.js';
import { evaluatePolicies } from './engine.js';
import { loadPolicies } from './load.js';
import type { Policy } from './types.js';

export { loadPolicies } from './load.js';
export { evaluatePolicies } from './engine.js';
export { sortFindings } from '../validate/findings.js';
export type { Policy, PolicyExample } from './types.js';

export interface RunPoliciesOptions {
  /** Extra policy folders (the CLI's --policies). */
  policies?: string[];
  /** "Today", for waiver expiry; tests fix it. */
  now?: Date;
  /** The organization settings file, against which settings.policies.directories are resolved. */
  settingsFile?: string;
}

/** Central, organization, then extra folders. */
export function policyDirectories(settings: Settings, options: RunPoliciesOptions = {}): string[] {
  const base = options.settingsFile ? dirname(resolve(options.settingsFile)) : templatesDir;
  const fromSettings = (settings.policies?.directories ?? []).map((dir) => (isAbsolute(dir) ? dir : resolve(base, dir)));
  // A folder named twice (in the settings and on the command line) is read once.
  return [...new Set([policiesDir, ...fromSettings, ...(options.policies ?? []).map((dir) => resolve(dir))])];
}

// Loading and compiling policies costs more than running them: keep them per settings and folders.
const loaded = new WeakMap<Settings, Map<string, Policy[]>>();

export function policiesFor(settings: Settings, options: RunPoliciesOptions = {}): Policy[] {
  const dirs = policyDirectories(settings, options);
  const key = dirs.join('\0');
  let bySettings = loaded.get(settings);
  if (!bySettings) {
    bySettings = new Map();
    loaded.set(settings, bySettings);
  }
  let policies = bySettings.get(key);
  if (!policies) {
    const central = loadCompiledPolicies(policiesDir, settings);
    policies = loadPolicies(dirs, settings, central ? new Map([[policiesDir, central]]) : undefined);
    bySettings.set(key, policies);
  }
  return policies;
}

export function metadataOf(policy: Policy): PolicyMetadata {
  const { id, title, severity, rationale, remediation, helpUri } = policy;
  return { id, title, severity, rationale, remediation, helpUri };
}

export function runPolicies(model: RepositoryModel, options: RunPoliciesOptions = {}): { findings: Problem[]; policies: PolicyMetadata[] } {
  const policies = policiesFor(model.settings, options);
  const findings = evaluatePolicies(model, policies, { now: options.now ?? new Date(), knownPolicies: policies.map((policy) => policy.id) });
  return { findings, policies: policies.map(metadataOf) };
}
