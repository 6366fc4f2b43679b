/**
 * `markdown`: the fleet report for an issue, a pull request or a job summary. Tables, plus Mermaid charts
 * (a pie of the versions, a bar chart of the repositories failing each policy) that GitHub renders.
 */
import { markdownCell } from '../../../report/escape.js';
import type { FleetReport } from '../types.js';
import { behindText, pullRequestText } from './cells.js';

export function formatMarkdown(report: FleetReport): string {
  const { fleet } = report;
  const reported = report.repositories.filter((repository) => !repository.error);
  const out: string[] = ['## Fleet report', ''];
  out.push(`**${fleet.repositories}** repositories in ${markdownCell(report.scope)}${fleet.failed ? `, ${fleet.failed} not reported` : ''} — ${report.generatedAt.slice(0, 10)}.`, '');
  if (fleet.versions.length) {
    out.push('### Template versions', '', '```mermaid', 'pie showData title Template versions');
    for (const entry of fleet.versions) out.push(`    "${entry.version}" : ${entry.repositories}`);
    out.push('```', '', '| Version | Repositories |', '| :-- | --: |', ...fleet.versions.map((entry) => `| ${entry.version} | ${entry.repositories} |`), '');
  }
  if (fleet.compliance.length) {
    out.push('### Compliance by policy', '', '```mermaid', 'xychart-beta', '    title "Repositories with open findings, per policy"');
    out.push(`    x-axis [${fleet.compliance.map((entry) => `"${mermaidLabel(entry.policy)}"`).join(', ')}]`);
    out.push(`    y-axis "Repositories" 0 --> ${Math.max(1, ...fleet.compliance.map((entry) => entry.failing + entry.waived + entry.passing))}`);
    out.push(`    bar [${fleet.compliance.map((entry) => entry.failing).join(', ')}]`, '```', '');
    out.push('| Policy | Severity | Failing | Waived | Passing |', '| :-- | :-- | --: | --: | --: |');
    out.push(...fleet.compliance.map((entry) => `| \`${mermaidLabel(entry.policy)}\` | ${entry.severity} | ${entry.failing} | ${entry.waived} | ${entry.passing} |`), '');
  }
  if (reported.length) {
    const withPulls = reported.some((repository) => repository.pullRequest !== undefined);
    out.push('### Repositories', '');
    out.push(`| Repository | Owner | Version | Behind |${withPulls ? ' Upgrade PR |' : ''} Errors | Warnings | Info | Waived | Drifted files | Waivers |`);
    out.push(`| :-- | :-- | :-- | :-- |${withPulls ? ' :-- |' : ''} --: | --: | --: | --: | --: | :-- |`);
    for (const repository of reported) {
      const findings = repository.findings;
      const numbers = findings ? [findings.bySeverity.error, findings.bySeverity.warning, findings.bySeverity.info, findings.waived] : ['?', '?', '?', '?'];
      const pull = repository.pullRequest ? `[${markdownCell(pullRequestText(repository))}](${encodeURI(repository.pullRequest.url)})` : pullRequestText(repository);
      const waivers = (repository.waivers ?? []).map((waiver) => `${markdownCell(waiver.policy)} until ${waiver.expires}`).join(', ');
      out.push(`| ${markdownCell(repository.name)} | ${markdownCell(repository.owner ?? '')} | ${repository.version ?? ''} | ${behindText(repository)} |${withPulls ? ` ${pull} |` : ''} ${numbers.join(' | ')} | ${repository.drift?.length ?? '?'} | ${waivers} |`);
    }
    out.push('');
  }
  const failed = report.repositories.filter((repository) => repository.error || repository.problems);
  if (failed.length) {
    out.push('### Not reported, or in part', '', '| Repository | Why |', '| :-- | :-- |');
    out.push(...failed.map((repository) => `| ${markdownCell(repository.name)} | ${markdownCell([repository.error, ...(repository.problems ?? [])].filter(Boolean).join('; '))} |`), '');
  }
  if (fleet.mostBehind.length) {
    out.push('### Most behind', '', '| Repository | Version | Latest | Versions behind | Days |', '| :-- | :-- | :-- | --: | --: |');
    out.push(...fleet.mostBehind.map((entry) => `| ${markdownCell(entry.name)} | ${entry.version} | ${entry.latest} | ${entry.versions} | ${entry.days ?? '?'} |`), '');
  }
  if (fleet.expiringWaivers.length) {
    out.push('### Waivers expiring within 30 days', '', '| Repository | Policy | Expires | Days left | Approved by | Reason |', '| :-- | :-- | :-- | --: | :-- | :-- |');
    out.push(...fleet.expiringWaivers.map((waiver) => `| ${markdownCell(waiver.repository)} | ${markdownCell(waiver.policy)} | ${waiver.expires} | ${waiver.daysLeft} | ${markdownCell(waiver.approvedBy)} | ${markdownCell(waiver.reason, 200)} |`), '');
  }
  if (fleet.owners.length) {
    out.push('### Owners with the most findings', '', '| Owner | Repositories | Findings | Errors |', '| :-- | --: | --: | --: |');
    out.push(...fleet.owners.map((entry) => `| ${markdownCell(entry.owner)} | ${entry.repositories} | ${entry.findings} | ${entry.errors} |`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** A label inside a Mermaid string: policy ids are plain, but nothing may close the quote or the chart. */
function mermaidLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}
