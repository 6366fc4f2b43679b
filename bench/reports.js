// The reporters must be linear in the findings: each format renders 6,000 and then 60,000 findings (in one
// file and spread over many), and the time per finding at both sizes is printed with their ratio
// (linear: about 1; target <= 2), beside json, the floor, which is JSON.stringify.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, report } from './lib.js';

const root = join(import.meta.dirname, '..');

function findings(count, files) {
  return Array.from({ length: count }, (_, index) => ({
    policy: `policy-${index % 40}`,
    severity: index % 3 === 0 ? 'error' : index % 3 === 1 ? 'warning' : 'info',
    message: `finding ${index}: a value that breaks the rule`,
    file: `deploy/file-${index % files}.yaml`,
    helpUri: 'https://example.test/policies',
    waived: index % 17 === 0,
    ...(index % 17 === 0 ? { waiver: { reason: 'migration', approvedBy: 'platform', expires: '2027-01-01' } } : {}),
    line: (index % 500) + 1, column: 3, endLine: (index % 500) + 1, endColumn: 9,
  }));
}

function result(count, files) {
  const policies = Array.from({ length: 40 }, (_, index) => ({ id: `policy-${index}`, title: `Policy ${index}`, severity: 'error', helpUri: 'https://example.test/policies', description: '' }));
  return { root: '/repo', findings: findings(count, files), policies, filesChecked: files };
}

export async function benchReports({ runs = 5 } = {}) {
  const { formatReport, FORMATS } = await import(pathToFileURL(join(root, 'dist', 'src', 'report', 'index.js')).href);
  const sizes = [6000, 60000];
  for (const files of [1, 2000]) {
    const inputs = sizes.map((size) => result(size, files));
    const rows = [];
    for (const format of FORMATS) {
      const perFinding = inputs.map((input) => {
        const times = [];
        for (let run = 0; run < runs; run += 1) {
          const start = process.hrtime.bigint();
          formatReport(input, format, { toolVersion: 'bench' });
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        return (median(times) * 1000) / input.findings.length;
      });
      const ratio = perFinding[1] / perFinding[0];
      rows.push([`${format} (µs per finding at 6k, 60k)`, `${perFinding.map((value) => value.toFixed(2)).join(', ')}  ratio ${ratio.toFixed(2)} ${ratio <= 2 ? 'ok' : 'OVER TARGET (<= 2)'}`]);
    }
    report(`reporters, findings in ${files === 1 ? 'one file' : `${files} files`} (linear: ratio about 1)`, rows);
  }
}
