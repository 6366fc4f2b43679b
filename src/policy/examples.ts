/**
 * Running policies' examples: each passing example must produce no finding of its policy, each failing
 * one exactly the findings it lists (`file:line:col policy`), no more and no fewer. The examples are
 * the policy's tests and its documentation at once, so the docs cannot drift from the behaviour.
 */
import type { Finding } from '../validate/types.js';
import type { Policy, PolicyExample } from './types.js';

/** "Today" for examples, so that expiry dates in them mean the same on every day the tests run. */
export const EXAMPLES_NOW = new Date('2026-06-01T12:00:00Z');

/** Validates an example's files and returns every finding (the caller filters by policy). */
export type ExampleEvaluator = (files: Record<string, string>, policy: Policy) => Finding[] | Promise<Finding[]>;

export interface ExampleResult {
  policy: string;
  example: string;
  expect: 'pass' | 'fail';
  expected: string[];
  actual: string[];
  /** Messages of the findings, for a person reading a failure. */
  messages: string[];
  ok: boolean;
  /** When the evaluation itself failed (bad YAML in an example...). */
  error?: string;
}

export function formatFinding(finding: Pick<Finding, 'file' | 'line' | 'column' | 'policy'>): string {
  return `${finding.file}:${finding.line}:${finding.column} ${finding.policy}`;
}

export async function runExamples(policies: readonly Policy[], evaluate: ExampleEvaluator): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  for (const policy of policies) {
    const cases: Array<[PolicyExample, 'pass' | 'fail']> = [
      ...policy.examples.pass.map((example): [PolicyExample, 'pass'] => [example, 'pass']),
      ...policy.examples.fail.map((example): [PolicyExample, 'fail'] => [example, 'fail']),
    ];
    for (const [example, expect] of cases) results.push(await runExample(policy, example, expect, evaluate));
  }
  return results;
}

async function runExample(policy: Policy, example: PolicyExample, expect: 'pass' | 'fail', evaluate: ExampleEvaluator): Promise<ExampleResult> {
  const expected = [...example.findings].sort();
  const base = { policy: policy.id, example: example.name, expect, expected };
  try {
    const findings = (await evaluate(example.files, policy)).filter((finding) => finding.policy === policy.id);
    const actual = findings.map(formatFinding).sort();
    const ok = actual.length === expected.length && actual.every((line, index) => line === expected[index]);
    return { ...base, actual, messages: findings.map((finding) => `${formatFinding(finding)}: ${finding.message}`), ok };
  } catch (error) {
    const message = error instanceof Error ? error.toString() : String(error);
    return { ...base, actual: [], messages: [], ok: false, error: message.split('\n')[0] };
  }
}
