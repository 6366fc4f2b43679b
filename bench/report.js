// `platform report` over 100 local repositories, in one process, beside its floor measured in the same
// run: `platform validate` (the library call) on the same 100, which every report must do anyway. What the
// report adds (the drift check, the source's versions, the fleet view, rendering every format) should stay
// small beside it (target <= 1.5x).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet } from './validate.js';
import { median, report } from './lib.js';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', 'src', path);

export async function benchReport({ repositories = 100, runs = 5, target = 1.5 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'platform-bench-report-'));
  try {
    const repos = await generateFleet(join(work, 'fleet'), repositories);
    const { validateRepository } = await import(dist('validate/index.js'));
    const { reportDirectories, formatFleetReport, FLEET_FORMATS } = await import(dist('fleet/report/index.js'));
    const floor = async () => {
      for (const repo of repos) await validateRepository(repo);
    };
    const full = async () => {
      const fleet = await reportDirectories(repos, { concurrency: 1 });
      for (const format of FLEET_FORMATS) formatFleetReport(fleet, format);
    };
    // Warm both up, then take turns so that both meet the same load on a shared machine.
    await floor();
    await full();
    const times = [[], []];
    for (let round = 0; round < runs; round += 1) {
      for (const [index, work] of [floor, full].entries()) {
        const start = process.hrtime.bigint();
        await work();
        times[index].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    const [validate, fleet] = times.map(median);
    const ratio = fleet / validate;
    report(`platform report over ${repositories} local repositories (one process, median of ${runs})`, [
      [`validate the ${repositories} (floor)`, `${validate.toFixed(0)} ms`],
      [`report on them, every format`, `${fleet.toFixed(0)} ms (${(fleet / repositories).toFixed(1)} ms a repository)`],
      [`ratio (target <= ${target}x)`, `${ratio.toFixed(2)}x ${ratio <= target ? 'ok' : 'OVER TARGET'}`],
    ]);
    return { validate, fleet, ratio };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await benchReport();
