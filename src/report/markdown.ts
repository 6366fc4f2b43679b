/**
 * `markdown`: a job summary. The counts by severity, a table of the policies that found something (with
 * their help links), the findings themselves in a folded table, and the waived findings listed apart.
 */
import type { Finding, ValidationResult } from '../validate/types.js';
import { countFindings, describeCounts, plural } from './counts.js';
import { summaryCell, summaryCodeCell } from './escape.js';
import type { ReportOptions } from './index.js';

export function formatMarkdown(result: ValidationResult, _options: ReportOptions = {}): string {
  const counts = countFindings(result.findings);
  const open = result.findings.filter((finding) => !finding.waived);
  const waived = result.findings.filter((finding) => finding.waived);
  const out: string[] = ['## platform validate', ''];
  const verdict = counts.total === 0 ? 'No problems' : describeCounts(counts);
  out.push(`**${verdict}** in ${plural(result.filesChecked, 'file')}, ${result.policies.length} ${result.policies.length === 1 ? 'policy' : 'policies'} checked${counts.waived ? `, ${counts.waived} waived` : ''}.`, '');
  out.push('| Severity | Findings |', '| :-- | --: |');
  for (const severity of ['error', 'warning', 'info'] as const) out.push(`| ${severity} | ${counts[severity]} |`);
  out.push(`| waived | ${counts.waived} |`, '');
  if (open.length > 0) {
    out.push('| Policy | Severity | Findings | What it checks |', '| :-- | :-- | --: | :-- |');
    const perPolicy = new Map<string, number>();
    for (const finding of open) perPolicy.set(finding.policy, (perPolicy.get(finding.policy) ?? 0) + 1);
    for (const policy of result.policies) {
      const count = perPolicy.get(policy.id) ?? 0;
      if (count > 0) out.push(`| [\`${policy.id}\`](${policy.helpUri}) | ${policy.severity} | ${count} | ${summaryCell(policy.title)} |`);
    }
    out.push('', `<details><summary>${plural(open.length, 'finding')}</summary>`, '', '| Location | Severity | Policy | Message |', '| :-- | :-- | :-- | :-- |');
    for (const finding of open) out.push(`| \`${location(finding)}\` | ${finding.severity} | ${summaryCell(finding.policy)} | ${summaryCell(finding.message)} |`);
    out.push('', '</details>', '');
  }
  if (waived.length > 0) {
    out.push('### Waived', '', '| Location | Policy | Reason | Approved by | Until |', '| :-- | :-- | :-- | :-- | :-- |');
    for (const finding of waived) {
      const waiver = finding.waiver;
      out.push(`| \`${location(finding)}\` | ${finding.policy} | ${summaryCell(waiver?.reason ?? '')} | ${summaryCell(waiver?.approvedBy ?? '')} | ${waiver?.expires ?? ''} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}`;
}

function location(finding: Finding): string {
  return summaryCodeCell(`${finding.file}:${finding.line}:${finding.column}`);
}
