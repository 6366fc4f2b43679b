/**
 * `platform report DIR...` on a fleet of real local repositories (test/helpers/fleet.ts): what each
 * format says about each repository and about the fleet, a bad folder reported in its row, and the
 * report written whole or not at all.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { behindLatest, dayFromToday, escaped, LATEST, makeFleet, HOSTILE_NAME, HOSTILE_REASON, type Fleet } from './helpers/local-fleet.js';
import { tempDir } from './helpers/repo.js';
import type { FleetReport } from '../src/fleet/report/types.js';

let fleet: Fleet;
let json: FleetReport;

beforeAll(() => {
  fleet = makeFleet();
  const run = platform(['report', ...fleet.dirs, '--format', 'json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  json = JSON.parse(run.stdout) as FleetReport;
}, 120_000);

const repository = (name: string) => json.repositories.find((entry) => entry.name === name)!;

describe('platform report DIR... --format json', () => {
  it('gives each repository its version, how far behind, findings by severity and policy, drift and waivers', () => {
    expect(json.repositories.map((entry) => entry.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo', HOSTILE_NAME, 'not-a-repo']);
    expect(repository('alpha')).toMatchObject({ owner: 'team-payments', template: 'service', version: '1.0.0', latest: LATEST, drift: [], waivers: [] });
    // The versions released since, and the days since the first of them was published (the changelog's dates).
    expect(repository('alpha').behind).toEqual({ versions: behindLatest().versions, days: behindLatest().days });
    expect(repository('bravo')).toMatchObject({ version: LATEST, behind: { versions: 0, days: 0 }, findings: { from: 'validate', bySeverity: { error: 0, warning: 0, info: 0 }, waived: 0, byPolicy: {} } });
    expect(repository('charlie').drift).toEqual(['deploy/base/deployment.yaml']);
    expect(repository('charlie').findings!.byPolicy).toEqual({ 'managed-file-drift': { severity: 'error', open: 1, waived: 0 } });
    expect(repository('delta').findings).toEqual({
      from: 'validate',
      bySeverity: { error: 2, warning: 1, info: 0 },
      waived: 2,
      byPolicy: {
        'actions-pinned': { severity: 'error', open: 0, waived: 1 },
        'workflow-injection': { severity: 'error', open: 2, waived: 0 },
        'workflow-permissions': { severity: 'error', open: 0, waived: 1 },
        // The checkout keeps the token and the `run:` steps after it run in a pull_request workflow.
        'workflow-persist-credentials': { severity: 'warning', open: 1, waived: 0 },
      },
    });
    expect(repository('delta').waivers).toEqual([
      { policy: 'actions-pinned', reason: HOSTILE_REASON, approvedBy: 'team-security', expires: dayFromToday(10), daysLeft: 10 },
      { policy: 'workflow-permissions', reason: 'moving to reusable workflows', approvedBy: 'team-security', expires: dayFromToday(200), daysLeft: 200 },
    ]);
    // The waiver that ended yesterday is no longer in force: not listed, and the validator says it expired.
    expect(repository('echo').waivers!.map((waiver) => waiver.policy)).toEqual(['replicas-prod-min']);
    expect(repository('echo').findings!.byPolicy['exception-valid']).toEqual({ severity: 'error', open: 1, waived: 0 });
  });

  it('reports a folder that is no platform repository in its own row, and the others all the same', () => {
    expect(repository('not-a-repo')).toEqual({ name: 'not-a-repo', location: join(fleet.root, 'not-a-repo'), error: expect.stringMatching(/^not a platform repository: .*no \.yo-rc\.json/) });
    expect(json.fleet).toMatchObject({ repositories: 7, failed: 1 });
    const missing = join(fleet.root, 'gone');
    const file = join(fleet.root, 'not-a-repo', 'README.md');
    const run = platform(['report', fleet.dirs[0]!, missing, file, '--format', 'json']);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as FleetReport).repositories.map((entry) => [entry.name, entry.error])).toEqual([
      ['README.md', `not a folder: ${file} is a regular file`],
      ['alpha', undefined],
      ['gone', `cannot read ${missing}: no such file or folder`],
    ]);
  });

  it('sums up the fleet: versions, compliance by policy, most behind, waivers expiring within 30 days, owners by findings', () => {
    expect(json.fleet.versions).toEqual([
      { version: LATEST, repositories: 4 },
      { version: '1.0.0', repositories: 2 },
    ]);
    expect(json.fleet.compliance).toEqual([
      { policy: 'exception-valid', severity: 'error', failing: 1, waived: 0, passing: 5 },
      { policy: 'managed-file-drift', severity: 'error', failing: 1, waived: 0, passing: 5 },
      { policy: 'workflow-injection', severity: 'error', failing: 1, waived: 0, passing: 5 },
      { policy: 'workflow-persist-credentials', severity: 'warning', failing: 1, waived: 0, passing: 5 },
      { policy: 'actions-pinned', severity: 'error', failing: 0, waived: 1, passing: 5 },
      { policy: 'workflow-permissions', severity: 'error', failing: 0, waived: 1, passing: 5 },
    ]);
    expect(json.fleet.mostBehind.map((entry) => [entry.name, entry.version, entry.latest, entry.versions])).toEqual([
      ['alpha', '1.0.0', LATEST, behindLatest().versions],
      ['delta', '1.0.0', LATEST, behindLatest().versions],
    ]);
    expect(json.fleet.expiringWaivers.map((waiver) => [waiver.repository, waiver.policy, waiver.daysLeft])).toEqual([
      ['delta', 'actions-pinned', 10],
      ['echo', 'replicas-prod-min', 30],
    ]);
    expect(json.fleet.owners).toEqual([
      { owner: 'team-ledger', repositories: 2, findings: 4, errors: 3 },
      { owner: 'team-search', repositories: 2, findings: 1, errors: 1 },
    ]);
  });
});

describe('platform report DIR... --format text and markdown', () => {
  it('text: one aligned row per repository, then the fleet view', () => {
    const run = platform(['report', ...fleet.dirs]);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe(`versions: ${LATEST} (4), 1.0.0 (2)`);
    expect(lines.find((line) => line.startsWith('REPOSITORY'))).toMatch(/^REPOSITORY +OWNER +VERSION +BEHIND +ERRORS +WARNINGS +INFO +WAIVED +DRIFT +WAIVERS$/);
    expect(lines.find((line) => line.startsWith('delta '))).toMatch(new RegExp(`^delta +team-ledger +1\\.0\\.0 +${behindLatest().words} +2 +1 +0 +2 +0 +actions-pinned until ${dayFromToday(10)}, workflow-permissions until ${dayFromToday(200)}$`));
    expect(lines.find((line) => line.startsWith('charlie '))).toMatch(new RegExp(`^charlie +team-ledger +${escaped(LATEST)} +current +1 +0 +0 +0 +1$`));
    expect(run.stdout).toContain(`not reported (1):\n  not-a-repo: not a platform repository: `);
    expect(run.stdout).toContain(`waivers expiring within 30 days:\n  delta: actions-pinned expires ${dayFromToday(10)} (in 10 days), approved by team-security: ${HOSTILE_REASON}\n  echo: replicas-prod-min expires ${dayFromToday(30)} (in 30 days)`);
    expect(run.stdout).toMatch(/owners with the most findings:\n +OWNER +REPOSITORIES +FINDINGS +ERRORS\n +team-ledger +2 +4 +3\n +team-search +2 +1 +1\n$/);
  });

  it('markdown: Mermaid charts GitHub renders and tables, with every untrusted value escaped', () => {
    const run = platform(['report', ...fleet.dirs, '--format', 'markdown']);
    expect(run.status).toBe(0);
    const markdown = run.stdout;
    expect(markdown).toContain(`\`\`\`mermaid\npie showData title Template versions\n    "${LATEST}" : 4\n    "1.0.0" : 2\n\`\`\``);
    expect(markdown).toContain('```mermaid\nxychart-beta\n    title "Repositories with open findings, per policy"\n    x-axis ["exception-valid", "managed-file-drift", "workflow-injection", "workflow-persist-credentials", "actions-pinned", "workflow-permissions"]\n    y-axis "Repositories" 0 --> 6\n    bar [1, 1, 1, 1, 0, 0]\n```');
    expect(markdown).toContain('| `workflow-injection` | error | 1 | 0 | 5 |');
    expect(markdown).toContain(`| delta | team-ledger | 1.0.0 | ${behindLatest().words} | 2 | 1 | 0 | 2 | 0 | actions-pinned until ${dayFromToday(10)}, workflow-permissions until ${dayFromToday(200)} |`);
    // No HTML of a repository's reaches the page, and no "|" breaks a table.
    expect(markdown).toContain('| golf&lt;img src=x onerror="window.__pwned=1"&gt; | team-search |');
    expect(markdown).toContain(`| delta | actions-pinned | ${dayFromToday(10)} | 10 | team-security | &lt;script&gt;window.__pwned=1&lt;/script&gt; &#124; vendor pin pending |`);
    expect(markdown).not.toMatch(/<script|<img/);
    // Every table row has as many cells as its header.
    for (const table of markdown.split('\n\n').filter((block) => block.startsWith('| '))) {
      const widths = table.trim().split('\n').map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, table).toBe(1);
    }
  });
});

describe('platform report: output and usage', () => {
  it('--output writes the report whole into the file, and the text report to stdout', () => {
    const file = join(tempDir(), 'reports', 'fleet.md');
    const run = platform(['report', ...fleet.dirs.slice(0, 2), '--format', 'markdown', '--output', file]);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    // stdout keeps the text report, as `platform validate --output` does.
    expect(run.stdout).toMatch(/^platform report: 2 repositories /);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^## Fleet report\\n[\\s\\S]*\\| bravo \\| team-payments \\| ${escaped(LATEST)} \\| current \\|`));
  });

  it('a place it cannot write to: one line naming the file, exit 2, nothing left behind', () => {
    const dir = tempDir();
    // A file where the report's folder should be: no one can write there, root included.
    writeFileSync(join(dir, 'reports'), 'not a folder\n');
    const file = join(dir, 'reports', 'fleet.json');
    const run = platform(['report', fleet.dirs[0]!, '--format', 'json', '--output', file]);
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toBe(`platform: ${file}: cannot write the report: EEXIST\n`);
    expect(readdirSync(dir)).toEqual(['reports']);
  });

  it('usage errors are one line and exit 2', () => {
    expect(platform(['report'])).toMatchObject({ status: 2, stdout: '', stderr: 'platform: nothing to report on: give --org ORG or the folders of local clones (or --merge FILES for rollout reports)\n' });
    expect(platform(['report', fleet.dirs[0]!, '--org', 'acme'])).toMatchObject({ status: 2, stdout: '', stderr: 'platform: give one of --org ORG, folders, or --merge FILES (not --org and folders)\n' });
    expect(platform(['report', '--merge', 'a.json', '--format', 'html'])).toMatchObject({ status: 2, stdout: '', stderr: 'platform: --format html: a merged rollout report is one of text, json, markdown\n' });
    const format = platform(['report', fleet.dirs[0]!, '--format', 'pdf']);
    expect(format.status).toBe(2);
    expect(format.stderr).toMatch(/^error: option '--format <format>' argument 'pdf' is invalid\. Allowed choices are text, json, markdown, html\.\n$/);
  });
});
