import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform, platformAsync } from './helpers/cli.js';
import { generateTemp } from './helpers/repo.js';
import { copyRepository, snapshot } from './helpers/tree.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const holder = (pid: number, command = 'platform add') => `${JSON.stringify({ pid, host: hostname(), command, started: '2030-01-01T00:00:00.000Z' })}\n`;

describe('one command at a time per repository', () => {
  it('two platform add at once: both succeed and both additions are there (10 pairs)', async () => {
    const base = generateTemp({ name: 'svc', environments: ['dev'] });
    for (let pair = 0; pair < 10; pair++) {
      const repo = copyRepository(base);
      const runs = await Promise.all([
        platformAsync(['add', 'secret', 'first-key:FIRST_KEY:svc/first', '--dir', repo]),
        platformAsync(['add', 'secret', 'second-key:SECOND_KEY:svc/second', '--dir', repo]),
      ]);
      for (const run of runs) expect(run).toMatchObject({ status: 0, stderr: '' });
      const manifest = read(repo, 'platform.yaml');
      expect(manifest).toContain('name: first-key');
      expect(manifest).toContain('name: second-key');
      const deployment = read(repo, 'deploy/base/deployment.yaml');
      expect(deployment).toContain('FIRST_KEY');
      expect(deployment).toContain('SECOND_KEY');
      const record = JSON.parse(read(repo, '.yo-rc.json'))['generator-platform'];
      expect(record.answers.spec.secrets.map((secret: { name: string }) => secret.name).sort()).toEqual(['first-key', 'second-key']);
      expect(existsSync(join(repo, '.platform.lock'))).toBe(false);
      expect(existsSync(join(repo, '.platform-txn'))).toBe(false);
    }
  });

  it('a holder that does not let go: the second command waits, then fails naming it, and changes nothing', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    // This test's own process: alive for as long as the command waits.
    writeFileSync(join(repo, '.platform.lock'), holder(process.pid));
    const before = snapshot(repo);
    const started = Date.now();
    const run = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`platform: ${repo}: locked by platform add (pid ${process.pid}) since 2030-01-01T00:00:00.000Z; try again when it has finished\n`);
    expect(snapshot(repo)).toEqual(before);
  });

  it('a lock whose process is gone is taken over, and released', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    const gone = spawnSync('true').pid!;
    writeFileSync(join(repo, '.platform.lock'), holder(gone));
    const run = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo]);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(read(repo, 'platform.yaml')).toContain('name: key');
    expect(existsSync(join(repo, '.platform.lock'))).toBe(false);
  });

  it('the validator does not see the lock nor a transaction folder', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    const clean = platform(['validate', repo]);
    writeFileSync(join(repo, '.platform.lock'), holder(process.pid));
    mkdirSync(join(repo, '.platform-txn', 'interrupted'), { recursive: true });
    writeFileSync(join(repo, '.platform-txn', 'interrupted', 'staged.yaml'), 'key: [unclosed\n');
    expect(platform(['validate', repo])).toEqual(clean);
  });
});
