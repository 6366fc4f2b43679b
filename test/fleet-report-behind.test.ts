/**
 * How far behind, in days: the release days of a git template source come from the CHANGELOG.json of
 * its newest version (as `platform publish` writes it), else from its version tags.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportDirectories } from '../src/fleet/report/index.js';
import { openSource } from '../src/source/index.js';
import { generateService } from './helpers/fleet.js';
import { commitVersion, git } from './helpers/git-sources.js';
import { tempDir } from './helpers/repo.js';

const scratch = tempDir('platform-behind-');
process.env.XDG_CACHE_HOME = join(scratch, 'cache');
const templates = join(scratch, 'templates');
const url = pathToFileURL(templates).href;

function tag(version: string, day: string): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'tag', '-a', '-m', `v${version}`, `v${version}`], {
    cwd: templates,
    env: { ...process.env, GIT_COMMITTER_DATE: `${day}T12:00:00Z` },
  });
}

beforeAll(() => {
  git(scratch, 'init', '-q', templates);
  commitVersion(templates, '1.0.0');
  tag('1.0.0', '2026-09-01');
  commitVersion(templates, '1.1.0');
  tag('1.1.0', '2026-10-01');
  // The publisher's own day for 1.2.0 (and for 1.1.0, which wins over its tag's): what CHANGELOG.json says.
  writeFileSync(join(templates, 'CHANGELOG.json'), JSON.stringify({ entries: [{ template: 'service', version: '1.2.0', previous: '1.1.0', date: '2026-11-20', migrations: [], examples: [] }, { template: 'service', version: '1.1.0', previous: '1.0.0', date: '2026-09-28', migrations: [], examples: [] }] }));
  commitVersion(templates, '1.2.0');
  tag('1.2.0', '2026-11-25');
});

describe('release days of a git source', () => {
  it('are the changelog\'s, else the tags\'', async () => {
    expect(await (await openSource(url)).releaseDates()).toEqual({ '1.0.0': '2026-09-01', '1.1.0': '2026-09-28', '1.2.0': '2026-11-20' });
  });

  it('a repository at 1.0.0 is two versions behind, since the day 1.1.0 came out', async () => {
    const old = await generateService('old', '1.0.0', { source: url, parent: scratch });
    const recent = await generateService('recent', '1.1.0', { source: url, parent: scratch });
    const report = await reportDirectories([old, recent], { now: new Date('2026-12-01T08:00:00Z') });
    expect(report.repositories.map((repository) => [repository.name, repository.latest, repository.behind])).toEqual([
      ['old', '1.2.0', { versions: 2, days: 64 }],
      ['recent', '1.2.0', { versions: 1, days: 11 }],
    ]);
    expect(report.fleet.mostBehind.map((entry) => [entry.name, entry.versions, entry.days])).toEqual([['old', 2, 64], ['recent', 1, 11]]);
  });
});
