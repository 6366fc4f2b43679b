import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPendingTransaction, recoverPending } from '../src/core/transaction.js';
import { platform } from './helpers/cli.js';
import { everyKill, platformKilledAt, straceMissing } from './helpers/faults.js';
import { generateTemp, tempDir } from './helpers/repo.js';
import { copyRepository, snapshot } from './helpers/tree.js';

const missing = straceMissing();
if (missing) console.warn(`writes-faults: skipped: ${missing}`);
const OURS = ['.platform-txn', '.platform.lock'];
const NEW_ARGS = ['--name', 'svc', '--owner', 'team-a', '--description', 'Fault test', '--runtime', 'node', '--environments', 'dev,prod'];

/**
 * Kill at the 1st, 2nd, ... rename until a run finishes by itself: each kill must leave the repository as
 * it was, or with a committed transaction that the next run finishes into exactly what an unkilled run writes.
 */
describe.skipIf(missing !== undefined)(`a kill at any rename (strace${missing ? `: ${missing}` : ''})`, () => {
  it('platform add: as it was, or finished by the next command; check reports what waits', () => {
    const base = generateTemp({ name: 'svc', environments: ['dev', 'prod'] });
    // A team edit of a merged file: the add has a real three-way merge to do.
    const overlay = join(base, 'deploy/overlays/dev/kustomization.yaml');
    writeFileSync(overlay, `${snapshot(base)['deploy/overlays/dev/kustomization.yaml']}# ours\n`);
    const before = snapshot(base);
    const args = (dir: string) => ['add', 'database', 'main:postgres:16', '--dir', dir];
    const reference = copyRepository(base);
    expect(platform(args(reference)).status).toBe(0);
    const after = snapshot(reference);

    const { kills, committed } = everyKill(() => copyRepository(base), args, (dir, pending) => {
      if (!pending) expect(snapshot(dir, { ignore: OURS })).toEqual(before);
      const check = platform(['check', dir]);
      expect(check.stdout.includes('an interrupted change waits in .platform-txn')).toBe(pending);
      // The same add again: a committed change is finished first, so the database is then already declared.
      const again = platform(args(dir));
      if (pending) expect(again).toMatchObject({ status: 2, stderr: 'platform: platform.yaml: database "main" is already declared\n' });
      else expect(again).toMatchObject({ status: 0, stderr: '' });
      expect(snapshot(dir)).toEqual(after);
    });
    // The journal, then one rename per file: the first kill is before the commit, the others after it.
    expect(kills).toBeGreaterThan(3);
    expect(committed).toBe(kills - 1);
  });

  it('platform new --force into an existing folder: as it was, or rolled forward exactly', () => {
    const base = join(tempDir(), 'svc');
    mkdirSync(base);
    writeFileSync(join(base, 'notes.txt'), 'ours\n');
    writeFileSync(join(base, 'README.md'), 'replaced by the template\n');
    const before = snapshot(base);
    const args = (dir: string) => ['new', dir, ...NEW_ARGS, '--force'];
    const reference = copyRepository(base, 'svc');
    expect(platform(args(reference)).status).toBe(0);
    const after = snapshot(reference);

    const { kills, committed } = everyKill(() => copyRepository(base, 'svc'), args, (dir, pending) => {
      if (!pending) expect(snapshot(dir, { ignore: OURS })).toEqual(before);
      else {
        // Rolled forward exactly: the files are what an unkilled run writes (its dead lock aside).
        expect(recoverPending(dir)).toBe('completed');
        expect(snapshot(dir, { ignore: ['.platform.lock'] })).toEqual(after);
      }
      // The next command takes over the dead lock, and leaves nothing of either run behind.
      expect(platform(args(dir))).toMatchObject({ status: 0, stderr: '' });
      expect(snapshot(dir)).toEqual(after);
    });
    expect(kills).toBeGreaterThan(20);
    expect(committed).toBe(kills - 1);
  });

  it('platform new into a missing folder: nothing, or everything; a killed staging is swept by the next new', () => {
    const parent = tempDir();
    const target = join(parent, 'svc');
    const reference = join(tempDir(), 'svc');
    expect(platform(['new', reference, ...NEW_ARGS]).status).toBe(0);
    const { kills } = everyKill(() => target, (dir) => ['new', dir, ...NEW_ARGS], (dir) => {
      // Killed at the one rename: no repository, only the staging of a process that is gone.
      expect(readdirSync(dirname(dir))).toEqual([expect.stringMatching(/^\.svc\.platform-\d+-[0-9a-f]{8}$/)]);
    });
    expect(kills).toBe(1);
    expect(readdirSync(parent)).toEqual(['svc']);
    expect(snapshot(target)).toEqual(snapshot(reference));
  });
});

describe.skipIf(missing !== undefined)('a team edit between a kill and its recovery', () => {
  it('is never replaced by finishing the killed write: the command stops, naming the file', () => {
    const dir = generateTemp({ name: 'svc', environments: ['dev'] });
    // Kill add at its second rename: the journal is committed (the first), the Deployment not moved yet.
    const run = platformKilledAt(2, ['add', 'secret', 'key:KEY:svc/key', '--dir', dir]);
    expect(run.killed).toBe(true);
    expect(hasPendingTransaction(dir)).toBe(true);
    const pendingFile = join(dir, 'deploy/base/deployment.yaml');
    const ours = `${readFileSync(pendingFile, 'utf8')}# the team's edit after the kill\n`;
    writeFileSync(pendingFile, ours);
    const next = platform(['add', 'secret', 'other:OTHER:svc/other', '--dir', dir]);
    expect(next.status).toBe(2);
    expect(next.stderr).toMatch(/^platform: .*deploy\/base\/deployment\.yaml: changed since an interrupted write that would replace it/);
    expect(readFileSync(pendingFile, 'utf8')).toBe(ours);
  });
});
