/**
 * `html`: the fleet report as one self-contained static page. The tables are written here, every value
 * from a repository escaped; the charts (Chart.js) and the sorting and filtering come from one script
 * bundled at build time (src/fleet/page/main.ts -> dist/cli/report-page.js) and inlined. A strict
 * Content-Security-Policy lets the page run exactly that script and that style sheet (by their hashes)
 * and load nothing, so no request leaves the page when it is opened. Phones get one column and tables
 * that scroll sideways; dark mode follows prefers-color-scheme.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../core/errors.js';
import { packageRoot } from '../../../core/paths.js';
import type { FleetReport, RepositoryReport } from '../types.js';
import { behindText, pullRequestText } from './cells.js';
import { PAGE_STYLE } from './html-style.js';

const PAGE_SCRIPT = join(packageRoot, 'dist', 'cli', 'report-page.js');

function pageScript(): string {
  try {
    return readFileSync(PAGE_SCRIPT, 'utf8');
  } catch {
    throw new UserError('the report page\'s script is not built: run `npm run build`', PAGE_SCRIPT);
  }
}

export function formatHtml(report: FleetReport): string {
  const script = pageScript();
  const data = JSON.stringify({ versions: report.fleet.versions, compliance: report.fleet.compliance })
    // Inside <script type="application/json">: nothing may close the element or open a comment.
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e');
  const csp = [`default-src 'none'`, `script-src ${hash(script)}`, `style-src ${hash(PAGE_STYLE)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  const title = `Fleet report: ${report.scope}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escape(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p>${summaryLine(report)}</p>
</header>
<main>
${charts(report)}
${repositoriesTable(report.repositories.filter((repository) => !repository.error))}
${notReported(report)}
${complianceTable(report)}
${mostBehind(report)}
${expiringWaivers(report)}
${owners(report)}
</main>
<script type="application/json" id="report-data">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}

function hash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Text and attribute values alike. */
export function escape(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function summaryLine(report: FleetReport): string {
  const { fleet } = report;
  const failed = fleet.failed ? `, ${fleet.failed} not reported` : '';
  return `${fleet.repositories} repositories${failed}; generated <time datetime="${escape(report.generatedAt)}">${escape(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC</time>.`;
}

function charts(report: FleetReport): string {
  const { versions, compliance } = report.fleet;
  const versionsFigure = versions.length
    ? `<figure class="chart"><figcaption>Template versions</figcaption><div class="canvas"><canvas id="chart-versions" role="img" aria-label="${escape(`Template versions: ${versions.map((entry) => `${entry.version} ${entry.repositories}`).join(', ')}`)}"></canvas></div></figure>`
    : '';
  const complianceFigure = compliance.length
    ? `<figure class="chart"><figcaption>Compliance by policy (repositories)</figcaption><div class="canvas tall"><canvas id="chart-compliance" role="img" aria-label="${escape(`Repositories failing each policy: ${compliance.map((entry) => `${entry.policy} ${entry.failing}`).join(', ')}`)}"></canvas></div></figure>`
    : '';
  return versionsFigure || complianceFigure ? `<section class="charts">${versionsFigure}${complianceFigure}</section>` : '';
}

interface Column {
  label: string;
  type?: 'number';
}

function table(id: string, caption: string, columns: Column[], rows: string[], filter = false): string {
  const head = columns.map((column) => `<th scope="col"${column.type ? ' data-type="number"' : ''}><button type="button">${escape(column.label)}</button></th>`).join('');
  const search = filter
    ? `<div class="filter"><label>Filter <input type="search" data-filter="${id}" placeholder="name, owner, version, policy…" autocomplete="off"></label> <output id="${id}-shown"></output></div>`
    : '';
  return `<section><h2>${escape(caption)}</h2>${search}<div class="scroll"><table id="${id}" class="sortable"><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div></section>`;
}

const cell = (text: string | number, sort?: number | string): string => `<td${sort === undefined ? '' : ` data-sort="${escape(sort)}"`}>${escape(text)}</td>`;
const numberCell = (value: number | undefined): string => (value === undefined ? cell('?', -1) : cell(value, value));

function repositoriesTable(repositories: RepositoryReport[]): string {
  if (!repositories.length) return '';
  const withPulls = repositories.some((repository) => repository.pullRequest !== undefined);
  const columns: Column[] = [
    { label: 'Repository' },
    { label: 'Owner' },
    { label: 'Version' },
    { label: 'Behind', type: 'number' },
    ...(withPulls ? [{ label: 'Upgrade PR', type: 'number' as const }] : []),
    { label: 'Errors', type: 'number' },
    { label: 'Warnings', type: 'number' },
    { label: 'Info', type: 'number' },
    { label: 'Waived', type: 'number' },
    { label: 'Drifted files', type: 'number' },
    { label: 'Waivers' },
  ];
  const rows = repositories.map((repository) => {
    const findings = repository.findings;
    const behind = repository.behind;
    const pull = repository.pullRequest
      ? `<td data-sort="${repository.pullRequest.ageDays}"><a href="${escape(safeUrl(repository.pullRequest.url))}">${escape(pullRequestText(repository))}</a></td>`
      : cell(pullRequestText(repository), -1);
    const waivers = (repository.waivers ?? []).map((waiver) => `<span class="waiver${waiver.daysLeft <= 30 ? ' soon' : ''}">${escape(waiver.policy)} until ${escape(waiver.expires)}</span>`).join(' ');
    return [
      `<tr>`,
      `<th scope="row" title="${escape(repository.location)}">${escape(repository.name)}</th>`,
      cell(repository.owner ?? ''),
      cell(repository.version ?? '', repository.version ?? ''),
      cell(behindText(repository), behind ? behind.versions * 100_000 + (behind.days ?? 0) : -1),
      withPulls ? pull : '',
      numberCell(findings?.bySeverity.error),
      numberCell(findings?.bySeverity.warning),
      numberCell(findings?.bySeverity.info),
      numberCell(findings?.waived),
      repository.drift ? `<td data-sort="${repository.drift.length}" title="${escape(repository.drift.join('\n'))}">${repository.drift.length}</td>` : cell('?', -1),
      `<td>${waivers}</td>`,
      `</tr>`,
    ].join('');
  });
  return table('repositories', 'Repositories', columns, rows, true);
}

/** Only web addresses become links: a javascript: URL from an untrusted answer is shown, not followed. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

function notReported(report: FleetReport): string {
  const failed = report.repositories.filter((repository) => repository.error || repository.problems);
  if (!failed.length) return '';
  const rows = failed.map((repository) => `<tr><th scope="row">${escape(repository.name)}</th>${cell([repository.error, ...(repository.problems ?? [])].filter(Boolean).join('; '))}</tr>`);
  return table('not-reported', 'Not reported, or in part', [{ label: 'Repository' }, { label: 'Why' }], rows);
}

function complianceTable(report: FleetReport): string {
  const { compliance } = report.fleet;
  if (!compliance.length) return '';
  const rows = compliance.map((entry) => `<tr><th scope="row">${escape(entry.policy)}</th>${cell(entry.severity)}${numberCell(entry.failing)}${numberCell(entry.waived)}${numberCell(entry.passing)}</tr>`);
  return table('compliance', 'Compliance by policy', [{ label: 'Policy' }, { label: 'Severity' }, { label: 'Failing', type: 'number' }, { label: 'Waived', type: 'number' }, { label: 'Passing', type: 'number' }], rows);
}

function mostBehind(report: FleetReport): string {
  const entries = report.fleet.mostBehind;
  if (!entries.length) return '';
  const rows = entries.map((entry) => `<tr><th scope="row">${escape(entry.name)}</th>${cell(entry.version)}${cell(entry.latest)}${numberCell(entry.versions)}${entry.days === null ? cell('?', -1) : numberCell(entry.days)}</tr>`);
  return table('most-behind', 'Most behind', [{ label: 'Repository' }, { label: 'Version' }, { label: 'Latest' }, { label: 'Versions behind', type: 'number' }, { label: 'Days', type: 'number' }], rows);
}

function expiringWaivers(report: FleetReport): string {
  const waivers = report.fleet.expiringWaivers;
  if (!waivers.length) return '';
  const rows = waivers.map((waiver) => `<tr><th scope="row">${escape(waiver.repository)}</th>${cell(waiver.policy)}${cell(waiver.expires)}${numberCell(waiver.daysLeft)}${cell(waiver.approvedBy)}${cell(waiver.reason)}</tr>`);
  return table('expiring-waivers', 'Waivers expiring within 30 days', [{ label: 'Repository' }, { label: 'Policy' }, { label: 'Expires' }, { label: 'Days left', type: 'number' }, { label: 'Approved by' }, { label: 'Reason' }], rows, true);
}

function owners(report: FleetReport): string {
  const entries = report.fleet.owners;
  if (!entries.length) return '';
  const rows = entries.map((entry) => `<tr><th scope="row">${escape(entry.owner)}</th>${numberCell(entry.repositories)}${numberCell(entry.findings)}${numberCell(entry.errors)}</tr>`);
  return table('owners', 'Owners with the most findings', [{ label: 'Owner' }, { label: 'Repositories', type: 'number' }, { label: 'Findings', type: 'number' }, { label: 'Errors', type: 'number' }], rows);
}
