import { markdownCell } from '../report/escape.js';
import { formatMarkdown } from '../report/markdown.js';
import type { Finding, ValidationResult } from '../validate/types.js';
import { ANNOTATIONS_PER_LEVEL } from './annotations.js';
import type { RunContext } from './context.js';
import { fileLink } from './markdown.js';

/** GitHub refuses a step summary over 1 MiB (and then shows none). */
const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** The list of findings not annotated stops well before that. */
const MAX_LISTED = 1000;

export interface SummaryInput {
  result: ValidationResult;
  notAnnotated: readonly Finding[];
  context: RunContext;
  sarifFile: string;
}

/**
 * The job summary: the validator's markdown report (counts by severity, a table by policy with links to
 * their docs, the findings, the waived ones apart), then what GitHub's caps kept off the annotations.
 */
export function summaryMarkdown({ result, notAnnotated, context, sarifFile }: SummaryInput, limitBytes = SUMMARY_LIMIT_BYTES): string {
  const sarif = `The SARIF report is \`${markdownCell(sarifFile)}\`.\n`;
  const markdown = [formatMarkdown(result), ...notAnnotatedSection(notAnnotated, context), sarif].join('\n');
  if (Buffer.byteLength(markdown) <= limitBytes) return markdown;
  // Cut at a line, closing the findings' <details> in case the cut falls inside it.
  const note = `\n</details>\n\n… cut to fit GitHub's size limit for a job summary. ${sarif}`;
  const head = Buffer.from(markdown).subarray(0, limitBytes - Buffer.byteLength(note)).toString('utf8');
  return `${head.slice(0, head.lastIndexOf('\n'))}\n${note}`;
}

function notAnnotatedSection(findings: readonly Finding[], context: RunContext): string[] {
  if (findings.length === 0) return [];
  const rows = findings.slice(0, MAX_LISTED).map((finding) => {
    const where = markdownCell(`${finding.file}:${finding.line}:${finding.column}`);
    const link = fileLink(context, finding.file, finding.line, finding.endLine);
    return `| ${link ? `[${where}](${link})` : where} | ${finding.severity} | ${markdownCell(finding.policy)} | ${markdownCell(finding.message, 500)} |`;
  });
  if (findings.length > MAX_LISTED) rows.push('', `… and ${findings.length - MAX_LISTED} more: the SARIF report has them all.`);
  return [
    `### Not annotated (${findings.length})`,
    '',
    `GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations of each severity per step, so ${findings.length} ` +
      `${findings.length === 1 ? 'finding was' : 'findings were'} not annotated:`,
    '',
    '| Location | Severity | Policy | Message |',
    '| :-- | :-- | :-- | :-- |',
    ...rows,
    '',
  ];
}
