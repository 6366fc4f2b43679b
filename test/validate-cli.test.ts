/**
 * `platform validate` as CI runs it: the real CLI (bin/platform.cjs over the build in dist/) on real
 * generated repositories. Exit 0, 1 and 2; formats on stdout and --output; --fail-on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemp, repoRoot, tempDir } from './helpers/repo.js';

function platform(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'platform.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

let clean: string;
let broken: string;

beforeAll(() => {
  clean = generateTemp({ name: 'clean-api' });
  broken = generateTemp({ name: 'broken-api' });
  edit(broken, 'platform.yaml', (text) => text.replace('runtime: node', 'runtime: cobol'));
});

describe('exit codes', () => {
  it('0 for a clean repository, with a summary line', () => {
    const run = platform('validate', clean);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\u2714 No problems in \d+ files\.\n$/);
  });

  it('1 when an error is found, which the report shows at its line', () => {
    const run = platform('validate', broken);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('platform.yaml\n');
    expect(run.stdout).toMatch(/\n {2}\d+:12 +error +spec\.runtime: must be one of "node", "python" +manifest-schema\n/);
  });

  it('2 for a folder that does not exist: one line on stderr, no stack trace', () => {
    const run = platform('validate', join(tempDir(), 'nope'));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^platform: .*nope: cannot read the repository: no such file or folder\n$/);
  });

  it('2 for a usage error: an unknown format, an unknown option', () => {
    for (const args of [['--format', 'xml'], ['--bogus'], ['--fail-on', 'fatal']]) {
      const run = platform('validate', clean, ...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });

  it('--fail-on: a warning fails only when asked to', () => {
    const root = generateTemp({ name: 'warning-api' });
    edit(root, 'catalog-info.yaml', (text) => text.replace(/\n/g, '\r\n'));
    expect(platform('validate', root).status).toBe(0);
    const strict = platform('validate', root, '--fail-on', 'warning');
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('yaml-style');
  });

  it('a waived error does not fail the run, and is still reported', () => {
    const root = generateTemp({ name: 'waived-api' });
    edit(root, 'catalog-info.yaml', (text) => text.replace('lifecycle: "experimental"', 'lifecycle: 42'));
    expect(platform('validate', root).status).toBe(1);
    edit(root, 'platform.yaml', (text) => `${text}  exceptions:\n    - { policy: resource-schema, reason: "catalog migration", approvedBy: team-platform, expires: "2999-12-31" }\n`);
    const run = platform('validate', root, '--format', 'json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>> };
    expect(report.findings.map((finding) => `${String(finding.policy)} ${String(finding.waived)}`)).toEqual(['resource-schema true']);
  });
});

describe('formats and --output', () => {
  it('json: findings carry exactly the names scripts rely on', () => {
    const run = platform('validate', broken, '--format', 'json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>> };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual(['policy', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'waived']);
    }
    expect(report.findings).toContainEqual({ policy: 'manifest-schema', severity: 'error', message: 'spec.runtime: must be one of "node", "python"', file: 'platform.yaml', line: expect.any(Number), column: 12, endLine: expect.any(Number), endColumn: 17, waived: false });
  });

  it('--output writes the report to the file and keeps stdout for the text report', () => {
    const out = join(tempDir(), 'reports', 'validate.sarif');
    const run = platform('validate', broken, '--format', 'sarif', '--output', out);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('manifest-schema');
    expect(run.stdout).toMatch(/\u2716 \d+ problems? \(/);
    const log = JSON.parse(readFileSync(out, 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((result) => result.ruleId)).toContain('manifest-schema');
    expect(readdirSync(join(out, '..'))).toEqual(['validate.sarif']);
  });

  it('--output into a place that cannot be written: exit 2, nothing left behind', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const run = platform('validate', clean, '--output', join(dir, 'file', 'report.json'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^platform: .*report\.json: cannot write the report: /);
    expect(existsSync(join(dir, 'file', 'report.json'))).toBe(false);
  });

  it('github: workflow commands for the annotations', () => {
    const run = platform('validate', broken, '--format', 'github');
    expect(run.stdout).toMatch(/^::error file=platform\.yaml,line=\d+,col=12,endLine=\d+,endColumn=17,title=manifest-schema::spec\.runtime: must be one of "node", "python"$/m);
  });
});
