/** `text`: the fleet report for people at a terminal, as aligned columns. */
import { plain } from '../../../report/escape.js';
import type { FleetReport, RepositoryReport } from '../types.js';
import { behindText, pullRequestText, waiverText } from './cells.js';

export function formatText(report: FleetReport): string {
  const { fleet } = report;
  const reported = report.repositories.filter((repository) => !repository.error);
  const out: string[] = [];
  out.push(`platform report: ${fleet.repositories} repositor${fleet.repositories === 1 ? 'y' : 'ies'} (${plain(report.scope)}), ${report.generatedAt.slice(0, 10)}`);
  out.push(`versions: ${fleet.versions.map((entry) => `${entry.version} (${entry.repositories})`).join(', ') || 'none'}`, '');
  if (reported.length) {
    const withPulls = reported.some((repository) => repository.pullRequest !== undefined);
    const header = ['REPOSITORY', 'OWNER', 'VERSION', 'BEHIND', ...(withPulls ? ['UPGRADE PR'] : []), 'ERRORS', 'WARNINGS', 'INFO', 'WAIVED', 'DRIFT', 'WAIVERS'];
    const rows = reported.map((repository) => [
      repository.name,
      repository.owner ?? '',
      repository.version ?? '',
      behindText(repository),
      ...(withPulls ? [pullRequestText(repository)] : []),
      ...counts(repository),
      String(repository.drift?.length ?? '?'),
      waiverText(repository),
    ]);
    out.push(...table(header, rows), '');
  }
  for (const repository of reported) {
    for (const problem of repository.problems ?? []) out.push(`${plain(repository.name)}: ${plain(problem)}`);
  }
  const failed = report.repositories.filter((repository) => repository.error);
  if (failed.length) out.push(`not reported (${failed.length}):`, ...failed.map((repository) => `  ${plain(repository.name)}: ${plain(repository.error!)}`), '');
  if (fleet.compliance.length) {
    out.push('compliance by policy (repositories):');
    out.push(...table(['POLICY', 'SEVERITY', 'FAILING', 'WAIVED', 'PASSING'], fleet.compliance.map((entry) => [entry.policy, entry.severity, String(entry.failing), String(entry.waived), String(entry.passing)])).map(indent), '');
  }
  if (fleet.mostBehind.length) {
    out.push('most behind:');
    out.push(...fleet.mostBehind.map((entry) => `  ${plain(entry.name)}: ${entry.version} -> ${entry.latest}, ${entry.versions} version${entry.versions === 1 ? '' : 's'}${entry.days === null ? '' : `, ${entry.days} days`}`), '');
  }
  if (fleet.expiringWaivers.length) {
    out.push('waivers expiring within 30 days:');
    out.push(...fleet.expiringWaivers.map((waiver) => `  ${plain(waiver.repository)}: ${waiver.policy} expires ${waiver.expires} (${waiver.daysLeft === 0 ? 'today' : `in ${waiver.daysLeft} days`}), approved by ${plain(waiver.approvedBy)}: ${plain(waiver.reason)}`), '');
  }
  if (fleet.owners.length) {
    out.push('owners with the most findings:');
    out.push(...table(['OWNER', 'REPOSITORIES', 'FINDINGS', 'ERRORS'], fleet.owners.map((entry) => [entry.owner, String(entry.repositories), String(entry.findings), String(entry.errors)])).map(indent), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function counts(repository: RepositoryReport): string[] {
  const findings = repository.findings;
  if (!findings) return ['?', '?', '?', '?'];
  return [findings.bySeverity.error, findings.bySeverity.warning, findings.bySeverity.info, findings.waived].map(String);
}

function table(header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows].map((row) => row.map(plain));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

const indent = (line: string): string => `  ${line}`;
