/**
 * `text`: for people, like eslint's stylish output. Findings grouped by file, one line each
 * (`line:column  severity  message  policy`), then how to fix each policy that has unwaived findings (its
 * remediation and help link), then a summary line. Colour only when asked (the CLI asks when the output
 * is a terminal).
 */
import type { Finding, ValidationResult } from '../validate/types.js';
import { countFindings, describeCounts, plural } from './counts.js';
import { printable, printableLine } from './escape.js';
import type { ReportOptions } from './index.js';

type Paint = (code: string, text: string) => string;

export function formatText(result: ValidationResult, options: ReportOptions = {}): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const lines: string[] = [];
  for (const [file, findings] of groupByFile(result.findings)) {
    lines.push(paint('4', printable(file)));
    const rows = findings.map((finding) => ({
      where: `${finding.line}:${finding.column}`,
      label: finding.waived ? 'waived' : finding.severity,
      finding,
    }));
    // A loop, not Math.max(...rows): tens of thousands of arguments overflow the stack.
    let whereWidth = 0;
    let labelWidth = 0;
    for (const row of rows) {
      whereWidth = Math.max(whereWidth, row.where.length);
      labelWidth = Math.max(labelWidth, row.label.length);
    }
    for (const { where, label, finding } of rows) {
      const note = finding.waived && finding.waiver ? ` (waived until ${finding.waiver.expires} by ${finding.waiver.approvedBy}: ${finding.waiver.reason})` : '';
      const message = printableLine(finding.message + note);
      lines.push(`  ${paint('2', where.padEnd(whereWidth))}  ${paint(colorOf(finding), label.padEnd(labelWidth))}  ${message}  ${paint('2', printable(finding.policy))}`);
    }
    lines.push('');
  }
  const fixes = howToFix(result, paint);
  if (fixes.length > 0) lines.push(paint('1', 'How to fix'), ...fixes, '');
  lines.push(summary(result, paint));
  return `${lines.join('\n')}\n`;
}

/** Per policy with an unwaived finding, in id order: `policy  remediation`, then its help link. */
function howToFix(result: ValidationResult, paint: Paint): string[] {
  const open = new Map<string, string>();
  for (const finding of result.findings) if (!finding.waived && !open.has(finding.policy)) open.set(finding.policy, finding.helpUri);
  const metadata = new Map(result.policies.map((policy) => [policy.id, policy]));
  const lines: string[] = [];
  for (const id of [...open.keys()].sort()) {
    const remediation = metadata.get(id)?.remediation;
    lines.push(`  ${paint('2', printable(id))}${remediation ? `  ${printableLine(remediation)}` : ''}`, `    ${printable(open.get(id)!)}`);
  }
  return lines;
}

function summary(result: ValidationResult, paint: Paint): string {
  const counts = countFindings(result.findings);
  const waived = counts.waived > 0 ? `, ${counts.waived} waived` : '';
  const files = plural(result.filesChecked, 'file');
  if (counts.total === 0) return paint('32', `\u2714 No problems in ${files}${waived}.`);
  const color = counts.error > 0 ? '1;31' : counts.warning > 0 ? '1;33' : '1;34';
  return paint(color, `\u2716 ${plural(counts.total, 'problem')} (${describeCounts(counts)})${waived}, in ${files}.`);
}

function colorOf(finding: Finding): string {
  if (finding.waived) return '2';
  return { error: '31', warning: '33', info: '34' }[finding.severity];
}

export function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.file);
    if (group) group.push(finding);
    else groups.set(finding.file, [finding]);
  }
  return groups;
}
