/**
 * A fleet of local repositories for the report tests, made with the real `platform new` at both
 * versions the package has released, then changed as teams change them: a drifted managed file, a
 * workflow with findings, waivers about to expire, a folder that is no platform repository, and a
 * folder name that tries to inject HTML.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { expect } from 'vitest';
import { templatesDir } from '../../src/core/paths.js';
import { loadTemplateSource } from '../../src/render/source.js';
import { platform } from './cli.js';
import { tempDir } from './repo.js';

/** YYYY-MM-DD, `days` from today (UTC). */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The template version the package ships: the fleet's up-to-date repositories are on it. */
export const LATEST = loadTemplateSource().template.version;
/** A version as a regular expression matches it literally. */
export const escaped = (version: string): string => version.replaceAll('.', '\\.');
export const HOSTILE_NAME = 'golf<img src=x onerror="window.__pwned=1">';
export const HOSTILE_REASON = '<script>window.__pwned=1</script> | vendor pin pending';

export interface Fleet {
  root: string;
  /** Every folder of the fleet, platform repository or not. */
  dirs: string[];
}

function generate(root: string, folder: string, name: string, owner: string, version: string): string {
  const dir = join(root, folder);
  const run = platform(['new', dir, '--defaults', '--name', name, '--owner', owner, '--description', `The ${name} service`, '--version', version]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return dir;
}

const WORKFLOW = `name: extra
on: pull_request
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: echo "\${{ github.event.pull_request.body }}"
`;

export function makeFleet(): Fleet {
  const root = tempDir('platform-fleet-');
  const alpha = generate(root, 'alpha', 'alpha', 'team-payments', '1.0.0');
  const bravo = generate(root, 'bravo', 'bravo', 'team-payments', LATEST);
  // A hand edit of a managed file: drift.
  const charlie = generate(root, 'charlie', 'charlie', 'team-ledger', LATEST);
  appendFileSync(join(charlie, 'deploy', 'base', 'deployment.yaml'), '# tuned by hand\n');
  // Two untrusted expansions (errors), a checkout that keeps the token before them (a warning), an unpinned
  // action waived for 10 more days, no permissions waived for long.
  const delta = generate(root, 'delta', 'delta', 'team-ledger', '1.0.0');
  mkdirSync(join(delta, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(delta, '.github', 'workflows', 'extra.yml'), WORKFLOW);
  appendFileSync(
    join(delta, 'platform.yaml'),
    `  exceptions:\n` +
      `    - { policy: actions-pinned, reason: ${JSON.stringify(HOSTILE_REASON)}, approvedBy: team-security, expires: ${dayFromToday(10)} }\n` +
      `    - { policy: workflow-permissions, reason: "moving to reusable workflows", approvedBy: team-security, expires: ${dayFromToday(200)} }\n`,
  );
  // A waiver that ends in exactly 30 days (listed) and one that ended yesterday (no longer in force).
  const echo = generate(root, 'echo', 'echo', 'team-search', LATEST);
  appendFileSync(
    join(echo, 'platform.yaml'),
    `  exceptions:\n` +
      `    - { policy: replicas-prod-min, reason: "load test", approvedBy: team-platform, expires: ${dayFromToday(30)} }\n` +
      `    - { policy: container-probes, reason: "old", approvedBy: team-platform, expires: ${dayFromToday(-1)} }\n`,
  );
  const golf = generate(root, HOSTILE_NAME, 'golf', 'team-search', LATEST);
  const stray = join(root, 'not-a-repo');
  mkdirSync(stray);
  writeFileSync(join(stray, 'README.md'), '# Just some folder\n');
  return { root, dirs: [alpha, bravo, charlie, delta, echo, golf, stray] };
}

/**
 * How far behind the shipped version a 1.0.0 repository is on the report's day: the released versions above
 * 1.0.0, and the days since the first of them was published, by the dates `platform publish` wrote into
 * templates/CHANGELOG.json; as the report words it.
 */
export function behindLatest(): { versions: number; days: number; words: string } {
  const changelog = JSON.parse(readFileSync(join(templatesDir, 'CHANGELOG.json'), 'utf8')) as { entries: Array<{ template: string; version: string; date: string }> };
  const newer = changelog.entries.filter((entry) => entry.template === 'service' && semver.gt(entry.version, '1.0.0')).sort((a, b) => semver.compare(a.version, b.version));
  const days = Math.round((Date.parse(`${dayFromToday(0)}T00:00:00Z`) - Date.parse(`${newer[0]!.date}T00:00:00Z`)) / 86_400_000);
  return { versions: newer.length, days, words: `${newer.length} version${newer.length === 1 ? '' : 's'}, ${days} day${days === 1 ? '' : 's'}` };
}
