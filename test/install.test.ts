/**
 * The package as an organization installs it: `npm pack` of this checkout (the tarball a registry would
 * serve), installed with yo into an empty global prefix far from this project's node_modules, then the
 * commands a developer runs first, from there. Dependencies come from npm's cache where it has them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './helpers/repo.js';

const ESCAPE = /\x1b\[/;

/** yo's version, pinned like every dependency. */
const YO = 'yo@7.0.1';
/** yo run as root drops to this user (the default-uid package's on Linux) before it reads or writes anything. */
const YO_UID_AS_ROOT = 1000;

describe('the packed package, installed into an empty prefix', () => {
  const work = tempDir();
  const prefix = join(work, 'prefix');
  const projects = join(work, 'projects');
  const home = join(work, 'home');
  // Only the prefix's commands and the system's: nothing of this project's node_modules/.bin.
  const path = [join(prefix, 'bin'), ...(process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules'))].join(':');
  // As a person runs it: no colour forced by the test runner, no NODE_PATH into this project.
  const env = { PATH: path, HOME: home, NO_UPDATE_NOTIFIER: '1', LANG: 'C.UTF-8' };
  const run = (command: string, args: string[], cwd: string) => spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });

  beforeAll(() => {
    mkdirSync(projects, { recursive: true });
    mkdirSync(home, { recursive: true });
    // dist/ is built by the global setup; packing must not build again (prepare).
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball), YO], {
      cwd: work,
      env: { ...process.env, NODE_PATH: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (process.getuid?.() === 0) {
      // yo refuses root by becoming another user: give that user the folders it reads and writes.
      chmodSync(work, 0o755);
      for (const dir of [projects, home]) chownSync(dir, YO_UID_AS_ROOT, YO_UID_AS_ROOT);
    }
  }, 900_000);

  it('installs the commands, with their own dependencies and none of this checkout', () => {
    expect(readdirSync(join(prefix, 'bin')).sort()).toEqual(['platform', 'yo']);
    const installed = join(prefix, 'lib', 'node_modules', 'generator-platform');
    expect(readdirSync(installed)).toContain('node_modules');
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).name).toBe('generator-platform');
  });

  it('runs platform new and platform validate', () => {
    const created = run('platform', ['new', 'payments-api', '--defaults', '--database', 'main:postgres:16'], projects);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Generated \d+ files in payments-api from template service@\d+\.\d+\.\d+\.\n$/);
    expect(created.status).toBe(0);
    const validated = run('platform', ['validate', 'payments-api'], projects);
    expect(validated.stdout).toMatch(/No problems in \d+ files/);
    expect(validated.status).toBe(0);
  });

  it('runs yo platform, printing plain text when not on a terminal', () => {
    const target = join(projects, 'billing-api');
    for (const dir of [target, join(projects, 'refused')]) {
      mkdirSync(dir);
      if (process.getuid?.() === 0) chownSync(dir, YO_UID_AS_ROOT, YO_UID_AS_ROOT);
    }
    // Yeoman writes its log to stderr.
    const generated = run('yo', ['platform', '--defaults', '--skip-install'], target);
    const output = `${generated.stdout}${generated.stderr}`;
    expect(output).not.toMatch(/Error/);
    expect(generated.status).toBe(0);
    expect(output).toMatch(/^ +create platform\.yaml$/m);
    // Every file is new: none is reported as forced or changed.
    expect(output).toMatch(/^ +create \.yo-rc\.json$/m);
    expect(output).not.toMatch(/^ +(force|conflict|identical) /m);
    expect(output).toContain('Your repository for billing-api is ready');
    expect(output).not.toMatch(ESCAPE);
    // An error is plain too: one line naming the option, no stack trace.
    const refused = run('yo', ['platform', '--defaults', '--runtime', 'cobol', '--skip-install'], join(projects, 'refused'));
    expect(`${refused.stdout}${refused.stderr}`).toContain('--runtime "cobol": must be one of "node", "python"');
    expect(`${refused.stdout}${refused.stderr}`).not.toMatch(ESCAPE);
    expect(`${refused.stdout}${refused.stderr}`).not.toMatch(/^\s+at /m);
    expect(refused.status).not.toBe(0);
    const validated = run('platform', ['validate', '.'], target);
    expect(validated.stdout).toMatch(/No problems in \d+ files/);
    expect(validated.status).toBe(0);
  });
});
