/**
 * `json`: one object. `findings` entries carry exactly policy, severity, message, file, line, column,
 * endLine, endColumn and waived: scripts rely on these names. The rest (summary, policies, waivers) sits
 * in top-level keys beside them.
 */
import type { ValidationResult } from '../validate/types.js';
import { countFindings } from './counts.js';
import type { ReportOptions } from './index.js';

export function formatJson(result: ValidationResult, _options: ReportOptions = {}): string {
  const report = {
    summary: { ...countFindings(result.findings), filesChecked: result.filesChecked },
    findings: result.findings.map(({ policy, severity, message, file, line, column, endLine, endColumn, waived }) => ({
      policy, severity, message, file, line, column, endLine, endColumn, waived,
    })),
    waivers: result.findings
      .filter((finding) => finding.waived && finding.waiver)
      .map(({ policy, file, line, column, waiver }) => ({ policy, file, line, column, ...waiver })),
    policies: result.policies.map(({ id, title, severity, helpUri }) => ({ id, title, severity, helpUri })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
