import { UserError } from '../core/errors.js';
import type { Shard } from './discover.js';
import type { RepositoryResult, RepositoryStatus } from './rollout-repository.js';

/** What says a JSON file is a rollout report (and which shape): `platform report --merge` checks it. */
export const REPORT_KIND = 'platform-rollout-report/v1';

export interface RolloutReport {
  kind: typeof REPORT_KIND;
  org: string;
  /** --to, or null when each repository went to its source's newest version. */
  to: string | null;
  dryRun: boolean;
  /** The shards this report covers: none for a whole organization, several once merged. */
  shards: Shard[];
  elapsedMs: number;
  repositories: RepositoryResult[];
}

export const REPORT_FORMATS = ['text', 'json', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const STATUS_ORDER: RepositoryStatus[] = ['failed', 'kept', 'opened', 'updated', 'unchanged', 'would-open', 'would-update', 'behind', 'current', 'skipped'];

export function totals(report: RolloutReport): Partial<Record<RepositoryStatus, number>> {
  const counts: Partial<Record<RepositoryStatus, number>> = {};
  for (const result of report.repositories) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return Object.fromEntries(STATUS_ORDER.filter((status) => counts[status]).map((status) => [status, counts[status]]));
}

/** Exit 1 when a repository failed (its pull request is missing or stale); conflicts are the teams' to resolve. */
export function reportExitCode(report: RolloutReport): number {
  return report.repositories.some((result) => result.status === 'failed') ? 1 : 0;
}

export function formatRolloutReport(report: RolloutReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify({ ...report, totals: totals(report) }, null, 2)}\n`;
  return format === 'markdown' ? markdown(report) : text(report);
}

function headline(report: RolloutReport): string {
  const counts = Object.entries(totals(report)).map(([status, count]) => `${count} ${status}`).join(', ');
  const shards = report.shards.length ? ` (shard ${report.shards.map((shard) => `${shard.index}/${shard.count}`).join(', ')})` : '';
  return `rollout of ${report.org}${report.to ? ` to ${report.to}` : ''}${report.dryRun ? ' (dry run: nothing written)' : ''}${shards}: ${report.repositories.length} repositories${counts ? `: ${counts}` : ''}`;
}

function versions(result: RepositoryResult): string {
  if (!result.from) return '-';
  return result.to && result.to !== result.from ? `${result.from} -> ${result.to}` : result.from;
}

function text(report: RolloutReport): string {
  const width = Math.max(10, ...report.repositories.map((result) => result.repository.length));
  const lines = report.repositories.map((result) => {
    const parts = [result.repository.padEnd(width), versions(result).padEnd(16), result.status.padEnd(12)];
    if (result.pullRequest) parts.push(result.pullRequest.url + (result.pullRequest.draft ? ' (draft)' : ''));
    if (result.conflicts.length) parts.push(`conflicts: ${result.conflicts.join(', ')}`);
    if (result.closed.length) parts.push(`closed ${result.closed.map((number) => `#${number}`).join(', ')}`);
    if (result.reason) parts.push(result.reason);
    return parts.join('  ').trimEnd();
  });
  return `${headline(report)}\n${lines.map((line) => `${line}\n`).join('')}`;
}

/** Tables for a job summary (GitHub renders them): the repositories that need a look first. */
function markdown(report: RolloutReport): string {
  const cell = (value: string): string => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const counts = totals(report);
  const lines = [
    `## Template rollout: ${cell(report.org)}${report.to ? ` to ${report.to}` : ''}${report.dryRun ? ' (dry run)' : ''}`,
    '',
    '| status | repositories |',
    '| --- | ---: |',
    ...Object.entries(counts).map(([status, count]) => `| ${status} | ${count} |`),
    '',
  ];
  const rows = [...report.repositories]
    .filter((result) => result.status !== 'skipped' && result.status !== 'current')
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  if (rows.length) {
    lines.push('| repository | from | to | status | pull request | conflicts | reason |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const result of rows) {
      const pull = result.pullRequest ? `[#${result.pullRequest.number}](${result.pullRequest.url})${result.pullRequest.draft ? ' (draft)' : ''}` : '';
      lines.push(`| ${cell(result.repository)} | ${result.from ?? ''} | ${result.to ?? ''} | ${result.status} | ${pull} | ${cell(result.conflicts.map((path) => `\`${path}\``).join(', '))} | ${cell(result.reason ?? '')} |`);
    }
    lines.push('');
  }
  const quiet = (counts.current ?? 0) + (counts.skipped ?? 0);
  if (quiet) lines.push(`${counts.current ?? 0} repositories already current and ${counts.skipped ?? 0} skipped (no platform.yaml, archived, disabled or forks) are not listed.`, '');
  return `${lines.join('\n')}`;
}

/**
 * The shards' JSON reports as one: `platform report --merge` after a matrix of `platform rollout --shard I/N`.
 * They must be of one organization and one target, and no repository may be in two of them.
 */
export function mergeReports(inputs: Array<{ file: string; text: string }>): RolloutReport {
  if (!inputs.length) throw new UserError('--merge: expected the JSON reports of the shards');
  let merged: RolloutReport | undefined;
  const seen = new Map<string, string>();
  for (const { file, text } of inputs) {
    const report = parseReport(text, file);
    if (merged && (report.org !== merged.org || report.to !== merged.to || report.dryRun !== merged.dryRun)) {
      throw new UserError(`is a rollout of ${report.org} to ${report.to ?? 'the newest'}${report.dryRun ? ' (dry run)' : ''}, not of ${merged.org} to ${merged.to ?? 'the newest'}${merged.dryRun ? ' (dry run)' : ''} like ${inputs[0]!.file}`, file);
    }
    for (const result of report.repositories) {
      const other = seen.get(result.repository);
      if (other) throw new UserError(`${result.repository} is also in ${other}: the shards overlap (run every shard with the same N)`, file);
      seen.set(result.repository, file);
    }
    merged = merged
      ? { ...merged, shards: [...merged.shards, ...report.shards], elapsedMs: Math.max(merged.elapsedMs, report.elapsedMs), repositories: [...merged.repositories, ...report.repositories] }
      : report;
  }
  merged!.shards.sort((a, b) => a.index - b.index);
  merged!.repositories.sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  return merged!;
}

function parseReport(text: string, file: string): RolloutReport {
  let parsed: Partial<RolloutReport>;
  try {
    parsed = JSON.parse(text) as Partial<RolloutReport>;
  } catch (error) {
    throw new UserError(`is not valid JSON: ${(error as Error).message}`, file);
  }
  if (parsed?.kind !== REPORT_KIND || typeof parsed.org !== 'string' || !Array.isArray(parsed.repositories) || !Array.isArray(parsed.shards)) {
    throw new UserError('is not a JSON report of platform rollout (--format json)', file);
  }
  return { kind: REPORT_KIND, org: parsed.org, to: parsed.to ?? null, dryRun: parsed.dryRun === true, shards: parsed.shards, elapsedMs: Number(parsed.elapsedMs) || 0, repositories: parsed.repositories };
}
