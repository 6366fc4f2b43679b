/**
 * Running policies over a repository model. Each policy runs alone, within its time budget, and
 * whatever goes wrong inside it (a bug in a check, a budget overrun) becomes a finding of that policy
 * naming what happened: the run goes on, and the report says which policy could not finish.
 */
import type { Finding, Range, RepositoryModel } from '../validate/types.js';
import { runCheck } from './run-check.js';
import { BudgetExceeded, createContext, monotonicMs, type RawFinding } from './context.js';
import { organizationValues } from './organization.js';
import { runSchemaRule } from './schema-rule.js';
import type { Policy } from './types.js';
import { append } from '../core/arrays.js';

/** Findings one policy may report in one repository; past this the rest are summed up in one finding. */
export const MAX_FINDINGS_PER_POLICY = 200;

const START: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export interface EvaluateOptions {
  now: Date;
  /** Every policy id the run knows, for exception-valid. */
  knownPolicies: readonly string[];
}

export function evaluatePolicies(model: RepositoryModel, policies: readonly Policy[], options: EvaluateOptions): Finding[] {
  const org = organizationValues(model.settings);
  const findings: Finding[] = [];
  for (const policy of policies) {
    if (policy.implementation !== 'policies') continue;
    const raw: RawFinding[] = [];
    const deadline = monotonicMs() + policy.budgetMs;
    let current: string | undefined;
    try {
      for (const rule of policy.rules) {
        const context = createContext({ model, org, params: rule.type === 'check' ? rule.params : {}, scope: rule.scope, now: options.now, knownPolicies: options.knownPolicies, deadline, sink: raw });
        try {
          if (rule.type === 'schema') runSchemaRule(rule, context);
          else runCheck(rule.check, context);
        } finally {
          current = context.current;
        }
      }
    } catch (error) {
      const file = current ?? 'platform.yaml';
      const message = error instanceof BudgetExceeded
        ? `policy ${policy.id} stopped after its ${policy.budgetMs} ms budget while checking this file: its results are incomplete`
        : `policy ${policy.id} failed while checking this file: ${firstLine(error)}`;
      raw.push({ file, ...START, message });
    }
    append(findings, toFindings(policy, dedupe(raw)));
  }
  return sortFindings(findings);
}

function toFindings(policy: Policy, raw: RawFinding[]): Finding[] {
  const kept = raw.length > MAX_FINDINGS_PER_POLICY ? raw.slice(0, MAX_FINDINGS_PER_POLICY) : raw;
  const findings = kept.map((item): Finding => ({
    policy: policy.id,
    severity: policy.severity,
    message: item.message,
    file: item.file,
    line: item.line,
    column: item.column,
    endLine: item.endLine,
    endColumn: item.endColumn,
    helpUri: policy.helpUri,
    waived: false,
  }));
  if (raw.length > kept.length) {
    const last = kept[kept.length - 1]!;
    findings.push({ ...findings[findings.length - 1]!, ...last, message: `${raw.length - kept.length} more findings of ${policy.id} not shown` });
  }
  return findings;
}

function dedupe(raw: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return raw.filter((item) => {
    const key = `${item.file}\0${item.line}\0${item.column}\0${item.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return findings.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.policy, b.policy) || compare(a.message, b.message));
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
