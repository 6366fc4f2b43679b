import type { Finding, PolicyMetadata } from '../validate/types.js';
import { ANNOTATIONS_PER_LEVEL } from './annotations.js';
import type { RunContext } from './context.js';
import { countsLine, fileLink, markdownCell } from './markdown.js';
import type { Counts } from './outputs.js';

/** A job summary may hold 1 MiB per step; long lists stop well before that. */
const MAX_LISTED = 1000;

export interface SummaryInput {
  findings: readonly Finding[];
  policies: readonly PolicyMetadata[];
  counts: Counts;
  notAnnotated: readonly Finding[];
  context: RunContext;
  sarifFile: string;
}

/** The job summary: counts, a table by policy with links to their docs, what was not annotated, what was waived. */
export function summaryMarkdown(input: SummaryInput): string {
  const { counts } = input;
  const title = counts.total === 0 ? 'clean' : countsLine(counts);
  return [
    `## Platform validation: ${title}`,
    '',
    '| Errors | Warnings | Infos | Waived |',
    '| ---: | ---: | ---: | ---: |',
    `| ${counts.error} | ${counts.warning} | ${counts.info} | ${counts.waived} |`,
    '',
    ...byPolicy(input),
    ...notAnnotatedSection(input),
    ...waivedSection(input),
    `The SARIF report is \`${markdownCell(input.sarifFile)}\`.`,
    '',
  ].join('\n');
}

function byPolicy({ findings, policies }: SummaryInput): string[] {
  const open = findings.filter((finding) => !finding.waived);
  if (open.length === 0) return [];
  const perPolicy = new Map<string, Finding[]>();
  for (const finding of open) perPolicy.set(finding.policy, [...(perPolicy.get(finding.policy) ?? []), finding]);
  const known = new Map(policies.map((policy) => [policy.id, policy]));
  const rows = [...perPolicy.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, list]) => {
      const policy = known.get(id);
      const help = policy?.helpUri || list[0]!.helpUri;
      const name = help ? `[${markdownCell(id)}](${help})` : markdownCell(id);
      return `| ${name} | ${markdownCell(policy?.title ?? '')} | ${list[0]!.severity} | ${list.length} |`;
    });
  return ['### Findings by policy', '', '| Policy | Title | Severity | Findings |', '| --- | --- | --- | ---: |', ...rows, ''];
}

function notAnnotatedSection({ notAnnotated, context }: SummaryInput): string[] {
  if (notAnnotated.length === 0) return [];
  return [
    `### Not annotated (${notAnnotated.length})`,
    '',
    `GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations of each severity per step, so these ${notAnnotated.length} ` +
      `${notAnnotated.length === 1 ? 'finding was' : 'findings were'} not annotated:`,
    '',
    '| Severity | Policy | Where | Finding |',
    '| --- | --- | --- | --- |',
    ...listed(notAnnotated, (finding) => `| ${finding.severity} | ${markdownCell(finding.policy)} | ${where(finding, context)} | ${markdownCell(finding.message, 500)} |`),
    '',
  ];
}

function waivedSection({ findings, context }: SummaryInput): string[] {
  const waived = findings.filter((finding) => finding.waived);
  if (waived.length === 0) return [];
  return [
    `### Waived (${waived.length})`,
    '',
    'Waived by an exception in platform.yaml: they do not fail the check until the exception expires.',
    '',
    '| Policy | Where | Finding | Reason | Approved by | Expires |',
    '| --- | --- | --- | --- | --- | --- |',
    ...listed(waived, (finding) =>
      [
        '',
        markdownCell(finding.policy),
        where(finding, context),
        markdownCell(finding.message, 500),
        markdownCell(finding.waiver?.reason ?? ''),
        markdownCell(finding.waiver?.approvedBy ?? ''),
        markdownCell(finding.waiver?.expires ?? ''),
        '',
      ].join(' | ').trim(),
    ),
    '',
  ];
}

function listed(findings: readonly Finding[], format: (finding: Finding) => string): string[] {
  const rows = findings.slice(0, MAX_LISTED).map(format);
  if (findings.length > MAX_LISTED) rows.push('', `… and ${findings.length - MAX_LISTED} more: the SARIF report has them all.`);
  return rows;
}

function where(finding: Finding, context: RunContext): string {
  const text = markdownCell(`${finding.file}:${finding.line}:${finding.column}`);
  const link = fileLink(context, finding.file, finding.line, finding.endLine);
  return link ? `[${text}](${link})` : text;
}
