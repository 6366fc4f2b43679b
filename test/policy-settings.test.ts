/**
 * `platform policy test --settings`: a platform team's own settings ("globex") must not break the
 * central policies' examples, its own policy folders are tested too, and a severity override of a
 * central policy is a setting, not a reason to refuse to start.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesDir } from '../src/core/paths.js';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { teamLabelPolicy } from './helpers/team-label-policy.js';
import { asGlobex } from './helpers/template-repo.js';

/** Globex settings in a folder of their own, with `extra` appended (YAML). */
function globexSettings(extra = ''): string {
  const dir = tempDir();
  const file = join(dir, 'settings.yaml');
  writeFileSync(file, `${asGlobex(readFileSync(join(templatesDir, 'settings.yaml'), 'utf8'))}${extra}`);
  return file;
}

describe('platform policy test --settings (another organization)', () => {
  it('every central example holds with globex values', () => {
    const run = platform(['policy', 'test', '--settings', globexSettings()]);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('✗');
    expect(run.stdout).toMatch(/^(\d+) of \1 examples as expected in \d+ policies\.$/m);
    expect(run.status).toBe(0);
  });

  it("tests the organization's own policy folders that the settings name", () => {
    const file = globexSettings('policies:\n  directories: [globex-policies]\n');
    const folder = join(file, '..', 'globex-policies');
    mkdirSync(folder);
    writeFileSync(join(folder, 'team-label.yaml'), teamLabelPolicy());
    const run = platform(['policy', 'test', '--settings', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('✓ team-label (2 examples)\n');
    expect(run.stdout).toMatch(/^✓ actions-pinned \(\d+ examples\)$/m);
    expect(run.status).toBe(0);
    // A wrong example of the organization's policy fails the run.
    writeFileSync(join(folder, 'team-label.yaml'), teamLabelPolicy('deploy/base/service.yaml:4:3 team-label'));
    const failed = platform(['policy', 'test', '--settings', file]);
    expect(failed.stdout).toContain('✗ team-label (2 examples)\n');
    expect(failed.stdout).toContain('      missing:    deploy/base/service.yaml:4:3 team-label\n');
    expect(failed.status).toBe(1);
  });

  it('a severity override of a central policy does not stop `policy test DIR`', () => {
    const file = globexSettings('policies:\n  severities:\n    container-probes: warning\n');
    const folder = tempDir();
    writeFileSync(join(folder, 'team-label.yaml'), teamLabelPolicy());
    const run = platform(['policy', 'test', folder, '--settings', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('✓ team-label (2 examples)\n\n2 of 2 examples as expected in 1 policy.\n');
    expect(run.status).toBe(0);
  });

  it('an example that names a value the settings do not have is a one-line error with file and line', () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'team-label.yaml'), teamLabelPolicy().replace('name: svc\n            labels', 'name: "{org:nowhere}"\n            labels'));
    const run = platform(['policy', 'test', folder, '--settings', globexSettings()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^platform: .*team-label\.yaml:\d+:\d+: \{org:nowhere\} is not a value of the organization settings .*\n$/);
  });
});
