/**
 * Waivers aimed at a file or a resource, approvers the organization lists, and a mistyped policy id
 * answered with the nearest one: all through `platform validate`, as a team and its platform team meet them.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesDir } from '../src/core/paths.js';
import { platform } from './helpers/cli.js';
import { overlaidRepository } from './helpers/overlays.js';
import { repoRoot, tempDir } from './helpers/repo.js';

/** The container-probes overlay (one finding, on Deployment/payments-api) with these waivers. */
function repoWith(exceptions: object[]): string {
  const repo = overlaidRepository('container-probes');
  appendFileSync(join(repo, 'platform.yaml'), `  exceptions:\n${exceptions.map((entry) => `    - ${JSON.stringify(entry)}\n`).join('')}`);
  return repo;
}

const base = { policy: 'container-probes', reason: 'probes land next sprint', approvedBy: 'team-platform', expires: '2099-01-31' };

interface JsonFinding { policy: string; file: string; line: number; column: number; message: string; waived: boolean }

function findings(repo: string, args: string[] = []): JsonFinding[] {
  const run = platform(['validate', repo, '--format', 'json', ...args]);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

const probes = (all: JsonFinding[]) => all.filter((finding) => finding.policy === 'container-probes').map((finding) => `${finding.file}:${finding.line}:${finding.column}${finding.waived ? ' waived' : ''}`);

function settingsWith(extra: string): string {
  const file = join(tempDir(), 'settings.yaml');
  writeFileSync(file, `${readFileSync(join(templatesDir, 'settings.yaml'), 'utf8')}${extra}`);
  return file;
}

describe('waivers aimed at a file or a resource', () => {
  it('a file glob waives only findings in the files it matches', () => {
    expect(probes(findings(repoWith([{ ...base, file: 'deploy/base/*.yaml' }])))).toEqual(['deploy/base/deployment.yaml:31:9 waived']);
    expect(probes(findings(repoWith([{ ...base, file: 'deploy/overlays/**' }])))).toEqual(['deploy/base/deployment.yaml:31:9']);
  });

  it('a resource (Kind/name) waives only findings on that resource', () => {
    expect(probes(findings(repoWith([{ ...base, resource: 'Deployment/payments-api' }])))).toEqual(['deploy/base/deployment.yaml:31:9 waived']);
    expect(probes(findings(repoWith([{ ...base, resource: 'Deployment/other-api' }])))).toEqual(['deploy/base/deployment.yaml:31:9']);
    expect(probes(findings(repoWith([{ ...base, resource: 'StatefulSet/payments-api' }])))).toEqual(['deploy/base/deployment.yaml:31:9']);
  });

  it('a resource that is not Kind/name is a schema finding of platform.yaml', () => {
    const all = findings(repoWith([{ ...base, resource: 'payments-api' }]));
    expect(all.filter((finding) => finding.policy === 'manifest-schema').map((finding) => finding.message)).toEqual([expect.stringMatching(/^spec\.exceptions\.0\.resource: /)]);
  });
});

describe('approvers', () => {
  it('with approvers in the settings, a waiver approved by anyone else waives nothing and says so', () => {
    const settings = settingsWith('exceptions:\n  approvers: [team-security, team-platform-leads]\n');
    const all = findings(repoWith([base]), ['--settings', settings]);
    expect(probes(all)).toEqual(['deploy/base/deployment.yaml:31:9']);
    expect(all.filter((finding) => finding.policy === 'exception-valid').map((finding) => finding.message)).toEqual([
      'waiver approved by "team-platform", who is not an approver of the organization (team-security, team-platform-leads): it waives nothing',
    ]);
    const approved = findings(repoWith([{ ...base, approvedBy: 'team-security' }]), ['--settings', settings]);
    expect(probes(approved)).toEqual(['deploy/base/deployment.yaml:31:9 waived']);
    expect(approved.filter((finding) => finding.policy === 'exception-valid')).toEqual([]);
  });

  it('without approvers in the settings, any approver is accepted', () => {
    expect(probes(findings(repoWith([{ ...base, approvedBy: 'someone' }])))).toEqual(['deploy/base/deployment.yaml:31:9 waived']);
  });
});

describe('an unknown policy id', () => {
  it('suggests the nearest policy', () => {
    const all = findings(repoWith([{ ...base, policy: 'container-probe' }]));
    expect(all.filter((finding) => finding.policy === 'exception-valid').map((finding) => finding.message)).toEqual(['waiver for unknown policy "container-probe": did you mean "container-probes"?']);
  });

  it('suggests nothing when no policy is near', () => {
    const all = findings(repoWith([{ ...base, policy: 'zzz-nothing-like-it' }]));
    expect(all.filter((finding) => finding.policy === 'exception-valid').map((finding) => finding.message)).toEqual(['waiver for unknown policy "zzz-nothing-like-it"']);
  });
});

describe("help links point at the organization's own docs", () => {
  const TEAM_RULE = readFileSync(join(repoRoot, 'policies', 'container-probes.yaml'), 'utf8')
    .replace('id: container-probes', 'id: team-probes')
    .replace(/^remediation: [\s\S]*?\n(?=\S)/m, 'remediation: Ask team-sre for the probe template.\n');

  function organization(): { settings: string; folder: string } {
    const settings = settingsWith('policies:\n  docsUrl: https://docs.globex.dev/platform/policies\n  directories: [globex-policies]\n');
    const folder = join(settings, '..', 'globex-policies');
    mkdirSync(folder);
    writeFileSync(join(folder, 'team-probes.yaml'), TEAM_RULE);
    return { settings, folder };
  }

  it('text output shows each policy’s remediation and its link in the organization’s docs, its own policies included', () => {
    const { settings } = organization();
    const run = platform(['validate', repoWith([]), '--settings', settings]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('\nHow to fix\n');
    expect(run.stdout).toMatch(/\n {2}container-probes {2}Give every container[^\n]*\n {4}https:\/\/docs\.globex\.dev\/platform\/policies#container-probes\n/);
    expect(run.stdout).toContain('\n  team-probes  Ask team-sre for the probe template.\n    https://docs.globex.dev/platform/policies#team-probes\n');
  });

  it('`policy docs --settings` documents the organization’s folders beside the central policies', () => {
    const { settings } = organization();
    const output = join(tempDir(), 'policies.md');
    const run = platform(['policy', 'docs', '--settings', settings, '--output', output]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const page = readFileSync(output, 'utf8');
    expect(page).toContain('team-probes');
    expect(page).toContain('Ask team-sre for the probe template.');
    expect(page).toContain('container-probes');
  });
});
