/**
 * Running policies over a repository model. Each policy runs alone, within its time budget, and
 * whatever goes wrong inside it (a bug in a check, a budget overrun) becomes a finding of that policy
 * naming what happened: the run goes on, and the report says which policy could not finish. What it
 * returns are problems (policy, place, message): src/validate/findings.ts finishes them into findings.
 */
import type { Range, RepositoryModel } from '../validate/types.js';
import { dedupeFindings } from '../validate/findings.js';
import type { Problem } from '../validate/problem.js';
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

export function evaluatePolicies(model: RepositoryModel, policies: readonly Policy[], options: EvaluateOptions): Problem[] {
  const org = organizationValues(model.settings);
  const findings: Problem[] = [];
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
    append(findings, capped(policy, dedupeFindings(raw.map((item): Problem => ({ policy: policy.id, ...item })))));
  }
  return findings;
}

/** At most MAX_FINDINGS_PER_POLICY, then one finding that says how many more there were. */
function capped(policy: Policy, found: Problem[]): Problem[] {
  if (found.length <= MAX_FINDINGS_PER_POLICY) return found;
  const kept = found.slice(0, MAX_FINDINGS_PER_POLICY);
  return [...kept, { ...kept[kept.length - 1]!, message: `${found.length - kept.length} more findings of ${policy.id} not shown` }];
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
