/**
 * `sarif`: SARIF 2.1.0 for code scanning. One run; every policy that ran is a rule (id, descriptions,
 * help link, default level); every finding a result with its region. Waived findings stay, marked with
 * an external suppression that carries the waiver's reason, approver and expiry.
 */
import { packageVersion } from '../core/paths.js';
import type { Finding, PolicyMetadata, Severity, ValidationResult } from '../validate/types.js';
import type { ReportOptions } from './index.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(result: ValidationResult, options: ReportOptions = {}): string {
  return `${JSON.stringify(sarifLog(result, options), null, 2)}\n`;
}

export function sarifLog(result: ValidationResult, options: ReportOptions = {}): Record<string, unknown> {
  const policies = [...result.policies];
  for (const finding of result.findings) {
    if (!policies.some((policy) => policy.id === finding.policy)) policies.push(stubPolicy(finding));
  }
  const index = new Map(policies.map((policy, position) => [policy.id, position]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'platform validate',
            ...(result.toolUri ? { informationUri: result.toolUri } : {}),
            version: options.toolVersion ?? packageVersion(),
            rules: policies.map(rule),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((finding) => sarifResult(finding, index.get(finding.policy)!)),
      },
    ],
  };
}

function rule(policy: PolicyMetadata): Record<string, unknown> {
  return {
    id: policy.id,
    name: policy.id,
    shortDescription: { text: policy.title },
    fullDescription: { text: policy.rationale },
    help: { text: policy.remediation },
    helpUri: policy.helpUri,
    defaultConfiguration: { level: LEVEL[policy.severity] },
  };
}

function sarifResult(finding: Finding, ruleIndex: number): Record<string, unknown> {
  const result: Record<string, unknown> = {
    ruleId: finding.policy,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(finding.file) },
          region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
        },
      },
    ],
  };
  if (finding.waived) {
    const waiver = finding.waiver;
    const justification = waiver ? `${waiver.reason} (approved by ${waiver.approvedBy}, until ${waiver.expires})` : 'waived in platform.yaml';
    result.suppressions = [{ kind: 'external', justification }];
  }
  return result;
}

function stubPolicy(finding: Finding): PolicyMetadata {
  return { id: finding.policy, title: finding.policy, severity: finding.severity, rationale: finding.policy, remediation: finding.policy, helpUri: finding.helpUri };
}
