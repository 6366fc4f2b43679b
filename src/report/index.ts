/**
 * Reporters: one file per output format behind one small interface, chosen by one switch. Each turns a
 * ValidationResult into the whole report as a string; the CLI writes it to stdout or a file, and the
 * GitHub Action reuses the same functions (formatGithub for annotations, formatMarkdown for the summary,
 * formatSarif for code scanning).
 */
import type { ValidationResult } from '../validate/types.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  /** ANSI colours (text only); the CLI turns them on for a terminal. */
  color?: boolean;
  /** The tool version written into SARIF; this package's version unless set (tests fix it). */
  toolVersion?: string;
}

export type Reporter = (result: ValidationResult, options: ReportOptions) => string;

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export function reporterFor(format: Format): Reporter {
  switch (format) {
    case 'text':
      return formatText;
    case 'json':
      return formatJson;
    case 'sarif':
      return formatSarif;
    case 'github':
      return formatGithub;
    case 'junit':
      return formatJunit;
    case 'markdown':
      return formatMarkdown;
  }
}

export function formatReport(result: ValidationResult, format: Format, options: ReportOptions = {}): string {
  return reporterFor(format)(result, options);
}

export { formatGithub, formatJson, formatJunit, formatMarkdown, formatSarif, formatText };
export { countFindings, type Counts } from './counts.js';
