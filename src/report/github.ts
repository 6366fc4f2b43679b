/**
 * `github`: workflow commands that GitHub Actions turns into annotations on the pull request's lines:
 * `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=<policy>::message`. Waived findings
 * are not annotated (they are in the other reports). Escaping follows the runner's rules: `%`, CR and LF
 * in the message, and also `:` and `,` in properties.
 */
import type { Finding, Severity, ValidationResult } from '../validate/types.js';
import { printable } from './escape.js';
import type { ReportOptions } from './index.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(result: ValidationResult, _options: ReportOptions = {}): string {
  return result.findings
    .filter((finding) => !finding.waived)
    .map((finding) => `${githubCommand(finding)}\n`)
    .join('');
}

export function githubCommand(finding: Finding): string {
  const properties = [
    ['file', finding.file],
    ['line', finding.line],
    ['col', finding.column],
    ['endLine', finding.endLine],
    ['endColumn', finding.endColumn],
    ['title', finding.policy],
  ]
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${COMMAND[finding.severity]} ${properties}::${escapeData(finding.message)}`;
}

/** The runner's escapes for `%`, CR and LF; any other control character shown as an escape (it would reach the log raw). */
export function escapeData(text: string): string {
  return printable(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
