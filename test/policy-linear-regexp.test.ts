import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linearRegExp } from '../src/policy/linear-regexp.js';
import { unsafePatternReason } from '../src/policy/regex-safety.js';
import { platform } from './helpers/cli.js';
import { generateTemp, tempDir } from './helpers/repo.js';

// A pattern that backtracking engines take polynomial time on (degree 8): 200 characters would run for
// hours on JavaScript's RegExp. On RE2 it is one linear pass.
const SLOW_FOR_BACKTRACKING = '^a*a*a*a*a*a*a*a*b$';

const POLICY = `id: names-end-in-b
title: Names end in b
severity: error
rationale: An organization rule, written by a platform team, with a pattern that backtracks badly.
remediation: Rename it.
appliesTo: { resources: [ConfigMap] }
assert:
  - select: [metadata]
    schema: { type: object, properties: { name: { type: string, pattern: '${SLOW_FOR_BACKTRACKING}' } } }
examples:
  pass:
    - name: ends in b
      files:
        deploy/cm.yaml: |
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: aab }
  fail:
    - name: does not
      files:
        deploy/cm.yaml: |
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: aaa }
      findings: ["deploy/cm.yaml:3:23 names-end-in-b"]
`;

describe('policy patterns run in linear time', () => {
  it('an organization policy with a catastrophic pattern cannot hang platform validate', () => {
    const repo = generateTemp({ name: 'svc' });
    const policies = join(tempDir(), 'org-policies');
    mkdirSync(policies);
    writeFileSync(join(policies, 'names-end-in-b.yaml'), POLICY);
    writeFileSync(join(repo, 'deploy', 'base', 'config.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'a'.repeat(250)}\ndata: {}\n`);
    const run = platform(['validate', repo, '--policies', policies, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: Array<{ policy: string; file: string; line: number; column: number }> }).findings;
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.policy}`)).toEqual(['deploy/base/config.yaml:4:9 names-end-in-b']);
  });

  it('finds every match, and what RE2 cannot run is refused at load with the reason', () => {
    expect([...linearRegExp('ghp_[a-z]{3}').matches('x ghp_abc y ghp_def')].map((m) => m.index)).toEqual([2, 12]);
    expect(linearRegExp(SLOW_FOR_BACKTRACKING).test('a'.repeat(100_000))).toBe(false);
    expect(unsafePatternReason('(?=a)b')).toMatch(/linear-time pattern engine \(RE2\)/);
  });
});
