/**
 * `junit`: for CI test dashboards. One test suite per policy that ran; in it one test case per file the
 * policy reported on, failed with its findings (skipped when every one is waived). A policy with no
 * finding has one passing case, `repository`, so a clean run still lists what was checked.
 */
import type { Finding, ValidationResult } from '../validate/types.js';
import type { ReportOptions } from './index.js';

export function formatJunit(result: ValidationResult, _options: ReportOptions = {}): string {
  const suites = result.policies.map((policy) => {
    const byFile = new Map<string, Finding[]>();
    for (const finding of result.findings) {
      if (finding.policy === policy.id) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    }
    const cases = byFile.size === 0 ? [`    <testcase name="repository" classname="${xml(policy.id)}"/>`] : [...byFile].map(([file, findings]) => testCase(policy.id, file, findings));
    const failures = [...byFile.values()].filter((findings) => findings.some((finding) => !finding.waived)).length;
    const skipped = byFile.size - failures;
    const tests = Math.max(byFile.size, 1);
    return [
      `  <testsuite name="${xml(policy.id)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
      `    <properties><property name="title" value="${xml(policy.title)}"/><property name="helpUri" value="${xml(policy.helpUri)}"/></properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const tests = result.policies.reduce((sum, policy) => sum + Math.max(new Set(result.findings.filter((f) => f.policy === policy.id).map((f) => f.file)).size, 1), 0);
  const failures = new Set(result.findings.filter((finding) => !finding.waived).map((finding) => `${finding.policy}\u0000${finding.file}`)).size;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="platform validate" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(policy: string, file: string, findings: Finding[]): string {
  const open = findings.filter((finding) => !finding.waived);
  const head = `    <testcase name="${xml(file)}" classname="${xml(policy)}">`;
  if (open.length === 0) {
    const reasons = findings.map((finding) => finding.waiver?.reason ?? 'waived').join('; ');
    return `${head}\n      <skipped message="${xml(`waived: ${reasons}`)}"/>\n    </testcase>`;
  }
  const body = open.map((finding) => `${file}:${finding.line}:${finding.column} ${finding.severity} ${finding.message}`).join('\n');
  const message = open.length === 1 ? open[0]!.message : `${open.length} findings`;
  const type = open.some((finding) => finding.severity === 'error') ? 'error' : open.some((finding) => finding.severity === 'warning') ? 'warning' : 'info';
  return `${head}\n      <failure message="${xml(message)}" type="${type}">${xmlText(body)}</failure>\n    </testcase>`;
}

/** XML element text; characters XML 1.0 cannot hold at all are dropped. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** An XML attribute value: line breaks kept as character references (parsers would fold them to spaces). */
export function xml(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
