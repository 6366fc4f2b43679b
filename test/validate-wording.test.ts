/**
 * One wording of schema errors: a missing key reads the same whether platform.yaml's schema or an
 * organization's policy rule finds it (src/core/schema-wording.ts), through `platform validate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { overlaidRepository } from './helpers/overlays.js';
import { tempDir } from './helpers/repo.js';

const TEAM_LABEL = `id: team-label
title: Services carry the team label
severity: warning
rationale: Alerts are routed by the team label.
remediation: Add metadata.labels.team and metadata.labels.tier.
appliesTo:
  resources: [Service]
assert:
  - schema:
      properties:
        metadata:
          properties:
            labels: { required: [team, tier] }
examples:
  pass: []
  fail: []
`;

describe('schema errors are worded once', () => {
  it('a missing key in platform.yaml and in a policy rule read alike', () => {
    const repo = overlaidRepository('container-probes');
    const manifest = join(repo, 'platform.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('  owner: team-payments\n', ''));
    const policies = tempDir();
    writeFileSync(join(policies, 'team-label.yaml'), TEAM_LABEL.replace('  pass: []\n  fail: []\n', PASS_FAIL));
    const run = platform(['validate', repo, '--policies', policies, '--format', 'json']);
    expect(run.stderr).toBe('');
    const messages = (JSON.parse(run.stdout) as { findings: Array<{ policy: string; message: string }> }).findings
      .filter((finding) => finding.policy === 'manifest-schema' || finding.policy === 'team-label')
      .map((finding) => `${finding.policy}: ${finding.message}`);
    expect(messages).toEqual([
      'team-label: Service "payments-api": metadata.labels: missing required fields "team" and "tier"',
      'manifest-schema: metadata: missing required field "owner"',
    ]);
  });
});

const PASS_FAIL = `  pass:
    - name: labelled
      files:
        deploy/base/service.yaml: |
          apiVersion: v1
          kind: Service
          metadata: { name: svc, labels: { team: payments, tier: web } }
  fail:
    - name: no team
      files:
        deploy/base/service.yaml: |
          apiVersion: v1
          kind: Service
          metadata: { name: svc, labels: { tier: web } }
      findings:
        - deploy/base/service.yaml:3:24 team-label
`;
