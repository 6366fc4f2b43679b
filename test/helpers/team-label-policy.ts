/**
 * An organization's own policy for the tests of its policy folders (`platform policy test`, the settings'
 * policies.directories): Services carry the team label, with one passing and one failing example, whose
 * expected finding is `expected`.
 */
export function teamLabelPolicy(expected = 'deploy/base/service.yaml:3:1 team-label'): string {
  return TEAM_LABEL.replace('EXPECTED', expected);
}

const TEAM_LABEL = `id: team-label
title: Services carry the team label
severity: warning
rationale: Alerts are routed by the team label.
remediation: Add metadata.labels.team.
appliesTo:
  resources: [Service]
assert:
  - schema:
      required: [metadata]
      properties:
        metadata:
          required: [labels]
    message: '{resource}: {detail}'
examples:
  pass:
    - name: labelled
      files:
        deploy/base/service.yaml: |
          apiVersion: v1
          kind: Service
          metadata:
            name: svc
            labels: { team: payments }
  fail:
    - name: no labels
      files:
        deploy/base/service.yaml: |
          apiVersion: v1
          kind: Service
          metadata:
            name: svc
      findings:
        - EXPECTED
`;
