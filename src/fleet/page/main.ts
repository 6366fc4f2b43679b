/**
 * The fleet report page's script, run in the browser: bundled with Chart.js into dist/cli/report-page.js
 * at build time (scripts/bundle-cli.js) and inlined in the page, which loads nothing else. The tables are
 * already in the page (src/fleet/report/format/html.ts); this draws the charts from the page's data
 * block and makes the tables sortable and filterable.
 */
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, Tooltip);

interface PageData {
  versions: Array<{ version: string; repositories: number }>;
  compliance: Array<{ policy: string; failing: number; waived: number; passing: number }>;
}

const data = JSON.parse(document.getElementById('report-data')?.textContent ?? '{}') as PageData;
const charts: Chart[] = [];

function color(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function palette(): { background: string; text: string; grid: string; series: string[]; failing: string; waived: string; passing: string } {
  return {
    background: color('--bg'),
    text: color('--fg'),
    grid: color('--line'),
    series: [1, 2, 3, 4, 5, 6].map((index) => color(`--series-${index}`)),
    failing: color('--bad'),
    waived: color('--warn'),
    passing: color('--good'),
  };
}

function drawCharts(): void {
  for (const chart of charts.splice(0)) chart.destroy();
  const colors = palette();
  Chart.defaults.color = colors.text;
  Chart.defaults.borderColor = colors.grid;
  const versions = document.getElementById('chart-versions') as HTMLCanvasElement | null;
  if (versions && data.versions?.length) {
    charts.push(
      new Chart(versions, {
        type: 'doughnut',
        data: {
          labels: data.versions.map((entry) => entry.version),
          datasets: [{ label: 'Repositories', data: data.versions.map((entry) => entry.repositories), backgroundColor: data.versions.map((_, index) => colors.series[index % colors.series.length]!), borderColor: colors.background }],
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } },
      }),
    );
  }
  const compliance = document.getElementById('chart-compliance') as HTMLCanvasElement | null;
  if (compliance && data.compliance?.length) {
    const series = (label: string, key: 'failing' | 'waived' | 'passing', backgroundColor: string) => ({ label, data: data.compliance.map((entry) => entry[key]), backgroundColor });
    charts.push(
      new Chart(compliance, {
        type: 'bar',
        data: {
          labels: data.compliance.map((entry) => entry.policy),
          datasets: [series('failing', 'failing', colors.failing), series('waived', 'waived', colors.waived), series('passing', 'passing', colors.passing)],
        },
        options: {
          indexAxis: 'y',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
          plugins: { legend: { position: 'bottom' } },
        },
      }),
    );
  }
}

/** A click on a column's button sorts by it (numbers by their data-sort value), a second click reverses. */
function makeSortable(table: HTMLTableElement): void {
  const headers = [...table.tHead!.rows[0]!.cells];
  headers.forEach((header, column) => {
    const button = header.querySelector('button');
    button?.addEventListener('click', () => {
      const ascending = header.getAttribute('aria-sort') !== 'ascending';
      for (const other of headers) other.removeAttribute('aria-sort');
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const numeric = header.dataset.type === 'number';
      const body = table.tBodies[0]!;
      const key = (row: HTMLTableRowElement): string => {
        const cell = row.cells[column]!;
        return cell.dataset.sort ?? cell.textContent ?? '';
      };
      const rows = [...body.rows].sort((a, b) => {
        const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b), undefined, { numeric: true });
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  });
}

/** A search box filters the rows of its table by their text, and says how many are shown. */
function makeFilterable(input: HTMLInputElement): void {
  const table = document.getElementById(input.dataset.filter!) as HTMLTableElement | null;
  const shown = document.getElementById(`${input.dataset.filter}-shown`);
  if (!table) return;
  const apply = (): void => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    for (const row of table.tBodies[0]!.rows) {
      const text = (row.textContent ?? '').toLowerCase();
      const match = words.every((word) => text.includes(word));
      row.hidden = !match;
      if (match) count += 1;
    }
    if (shown) shown.textContent = `${count} of ${table.tBodies[0]!.rows.length} shown`;
  };
  input.addEventListener('input', apply);
  apply();
}

drawCharts();
for (const table of document.querySelectorAll<HTMLTableElement>('table.sortable')) makeSortable(table);
for (const input of document.querySelectorAll<HTMLInputElement>('input[data-filter]')) makeFilterable(input);
// The colours follow the reader's light or dark mode, also when it changes while the page is open.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', drawCharts);
