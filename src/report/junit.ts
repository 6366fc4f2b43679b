/**
 * `junit`: for CI test dashboards. One test suite per policy that ran; in it one test case per file the
 * policy reported on, failed with its findings (skipped when every one is waived). A policy with no
 * finding has one passing case, `repository`, so a clean run still lists what was checked.
 */
import type { Finding, ValidationResult } from '../validate/types.js';
import { printable, printableLine } from './escape.js';
import type { ReportOptions } from './index.js';

export function formatJunit(result: ValidationResult, _options: ReportOptions = {}): string {
  // One pass over the findings: per policy, per file (linear in the findings, whatever their number).
  const byPolicy = new Map<string, Map<string, Finding[]>>();
  for (const finding of result.findings) {
    let byFile = byPolicy.get(finding.policy);
    if (!byFile) byPolicy.set(finding.policy, (byFile = new Map<string, Finding[]>()));
    const group = byFile.get(finding.file);
    if (group) group.push(finding);
    else byFile.set(finding.file, [finding]);
  }
  let tests = 0;
  let failed = 0;
  const suites = result.policies.map((policy) => {
    const byFile = byPolicy.get(policy.id) ?? new Map<string, Finding[]>();
    const testCases = byFile.size === 0 ? [`    <testcase name="repository" classname="${xml(policy.id)}"/>`] : [...byFile].map(([file, findings]) => testCase(policy.id, file, findings));
    const failures = [...byFile.values()].filter((findings) => findings.some((finding) => !finding.waived)).length;
    const skipped = byFile.size - failures;
    const cases = Math.max(byFile.size, 1);
    tests += cases;
    failed += failures;
    return [
      `  <testsuite name="${xml(policy.id)}" tests="${cases}" failures="${failures}" errors="0" skipped="${skipped}">`,
      `    <properties><property name="title" value="${xml(policy.title)}"/><property name="helpUri" value="${xml(policy.helpUri)}"/></properties>`,
      ...testCases,
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="platform validate" tests="${tests}" failures="${failed}" errors="0">`,
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
  const body = open.map((finding) => `${printable(file)}:${finding.line}:${finding.column} ${finding.severity} ${printableLine(finding.message)}`).join('\n');
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
