import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policiesDir } from '../src/core/paths.js';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { teamLabelPolicy } from './helpers/team-label-policy.js';

describe('platform policy test', () => {
  it('runs every example of the central policies and reports each policy as passing', () => {
    const run = platform(['policy', 'test']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const ids = readdirSync(policiesDir).filter((name) => name.endsWith('.yaml')).map((name) => name.slice(0, -'.yaml'.length));
    expect(ids.length).toBeGreaterThanOrEqual(23);
    for (const id of ids) expect(run.stdout).toMatch(new RegExp(`^✓ ${id} \\(\\d+ examples\\)$`, 'm'));
    expect(run.stdout).not.toContain('✗');
  });

  it("runs an organization's own folder, and fails with the missing and unexpected findings of a wrong example", () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'team-label.yaml'), teamLabelPolicy());
    expect(platform(['policy', 'test', dir]).status).toBe(0);
    writeFileSync(join(dir, 'team-label.yaml'), teamLabelPolicy('deploy/base/service.yaml:4:3 team-label'));
    const run = platform(['policy', 'test', dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('✗ team-label (2 examples)');
    expect(run.stdout).toContain('      missing:    deploy/base/service.yaml:4:3 team-label\n');
    expect(run.stdout).toContain('      unexpected: deploy/base/service.yaml:3:1 team-label: Service "svc": metadata: missing required field "labels"\n');
  });

  it('refuses a folder that redefines a central policy: a policy cannot be replaced', () => {
    const dir = join(tempDir(), 'policies');
    cpSync(policiesDir, dir, { recursive: true });
    const run = platform(['policy', 'test', dir]);
    expect(run.status).toBe(2);
    // The first file in name order is the one refused.
    expect(run.stderr).toMatch(/^platform: .*action-schema\.yaml: policy "action-schema" is already defined in .*policies\/action-schema\.yaml: a policy cannot be replaced, only its severity changed in the settings\n$/);
  });

  it('exits 2 with one line naming the folder when it does not exist', () => {
    const run = platform(['policy', 'test', 'no-such-folder']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('platform: no-such-folder: is not a policy folder\n');
  });

  it('exits 2 with the file and line of a malformed policy, and no stack trace', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'team-rule.yaml'), 'id: team-rule\ntitle: A rule\nseverity: fatal\nrationale: r\nremediation: r\nassert:\n  - check: exception-valid\nexamples: { pass: [], fail: [] }\n');
    const run = platform(['policy', 'test', dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^platform: .*team-rule\.yaml:3:11: severity: must be one of "error", "warning", "info"\n$/);
  });
});

describe('platform policy docs', () => {
  it('docs/policies.md is what the policy files generate', () => {
    const run = platform(['policy', 'docs', '--check']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('--check exits 1 when the page is stale', () => {
    const stale = join(tempDir(), 'policies.md');
    writeFileSync(stale, '# Policies\n');
    const run = platform(['policy', 'docs', '--check', '--output', stale]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is out of date');
  });
});
