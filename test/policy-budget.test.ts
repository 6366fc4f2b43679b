/**
 * The policy time budget holds: a policy that would run far past its budget is stopped soon after it,
 * and its finding names the file whose checking spent the time (not the last file in scope).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { writeTree } from './helpers/trees.js';

/** A schema rule over every value of a ConfigMap's data: one unit of work per value. */
const SLOW_VALUES = `id: slow-values
title: Values are spelled in a's, b's and c's
severity: warning
rationale: A policy slow by construction, for the budget.
remediation: None.
budgetMs: 10
appliesTo:
  resources: [ConfigMap]
assert:
  - select: ['data.*']
    schema: { type: string, pattern: '^[abc]*d$' }
examples:
  pass:
    - name: spelled so
      files:
        deploy/base/config.yaml: |
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: config }
          data: { key: abcd }
  fail:
    - name: spelled otherwise
      files:
        deploy/base/config.yaml: |
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: config }
          data: { key: xyz }
      findings:
        - deploy/base/config.yaml:4:14 slow-values
`;

function configMap(name: string, entries: number): string {
  const value = `${'abc'.repeat(300)}d`;
  const data = Array.from({ length: entries }, (_, index) => `  key${index}: ${value}\n`).join('');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;
}

describe('policy time budget', () => {
  it('stops a slow policy with a finding on the file being checked', () => {
    const repo = tempDir();
    // Large files (each under the 1 MiB cap) first, a small one last: the last file in scope is not to blame.
    const large = Object.fromEntries(Array.from({ length: 6 }, (_, index) => [`deploy/base/large-${index}.yaml`, configMap(`large-${index}`, 1000)]));
    writeTree(repo, { ...large, 'deploy/base/z-small.yaml': configMap('small', 2) });
    const policies = tempDir();
    writeFileSync(join(policies, 'slow-values.yaml'), SLOW_VALUES);
    const started = Date.now();
    const run = platform(['validate', repo, '--policies', policies, '--format', 'json'], { timeoutMs: 120_000 });
    const elapsed = Date.now() - started;
    expect(run.stderr).toBe('');
    const findings = (JSON.parse(run.stdout) as { findings: Array<{ policy: string; file: string; line: number; message: string }> }).findings.filter((finding) => finding.policy === 'slow-values');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 1, message: 'policy slow-values stopped after its 10 ms budget while checking this file: its results are incomplete' });
    expect(Object.keys(large)).toContain(findings[0]!.file);
    // A guard only, not a measurement.
    expect(elapsed).toBeLessThan(60_000);
  });
});
