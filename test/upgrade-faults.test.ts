import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { everyKill, straceMissing } from './helpers/faults.js';
import { fill, mountRefused, mountTmpfs, remountReadOnly } from './helpers/mounts.js';
import { tempDir } from './helpers/repo.js';
import { copyRepository, snapshot } from './helpers/tree.js';
import { upgradeBase } from './helpers/upgrade-source.js';

/**
 * `platform upgrade` 1.0.0 -> 1.1.0 of a git source under faults: killed at every rename, on a full disk,
 * on a read-only one. Each time the repository is as it was, or a committed change waits that the next
 * upgrade finishes into exactly what an unkilled run writes.
 */
const missing = straceMissing();
if (missing) console.warn(`upgrade-faults: kill tests skipped: ${missing}`);
const refused = mountRefused();
if (refused) console.warn(`upgrade-faults: mount tests skipped: ${refused}`);
/** The tool's own bookkeeping, left by a killed run for the next one. */
const OURS = ['.platform-txn', '.platform.lock'];
const ONE_LINE = /^platform: [^\n]+\n$/;

let base: string;

beforeAll(() => {
  // The git source cache of every child: primed by `platform new` and the reference upgrade below.
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  base = upgradeBase('platform-upgrade-faults-');
}, 120_000);

describe.skipIf(missing !== undefined)(`platform upgrade killed at any rename (strace${missing ? `: ${missing}` : ''})`, () => {
  let after: Record<string, string>;
  let before: Record<string, string>;

  beforeAll(() => {
    before = snapshot(base, { ignore: ['.git'] });
    const reference = copyRepository(base);
    expect(platform(['upgrade', reference])).toMatchObject({ status: 0, stderr: '' });
    after = snapshot(reference, { ignore: ['.git'] });
    expect(after['Dockerfile']).toMatch(/^# ours: at the top\n[^]*--enable-source-maps/);
  });

  /** As it was, or committed and waiting; either way the next upgrade ends exactly where an unkilled one does. */
  const judge = (dir: string, pending: boolean, env: NodeJS.ProcessEnv): void => {
    if (!pending) expect(snapshot(dir, { ignore: ['.git', ...OURS] })).toEqual(before);
    const check = platform(['check', dir], { env });
    expect(check.stdout.includes('an interrupted change waits in .platform-txn')).toBe(pending);
    // The change it finishes is the platform's: not "uncommitted changes" that refuse the upgrade.
    expect(platform(['upgrade', dir], { env })).toMatchObject({ status: 0, stderr: '' });
    expect(snapshot(dir, { ignore: ['.git'] })).toEqual(after);
  };

  /** Kill `platform upgrade` of a fresh copy of the base at every rename (at most 100 times). */
  const upgradeKills = (onKilled: typeof judge, env?: () => NodeJS.ProcessEnv) => everyKill(() => copyRepository(base), (dir) => ['upgrade', dir], onKilled, { env, most: 100 });

  it('with the source cache primed: every kill is in the repository\'s writes, and none loses the team\'s edit', () => {
    const { kills, committed } = upgradeKills(judge);
    // The journal, then one rename per file: the first kill is before the commit point, every other after it.
    expect(kills).toBeGreaterThan(3);
    expect(committed).toBe(kills - 1);
  });

  it('with an empty source cache: a kill while it is being filled leaves the repository untouched too', () => {
    const primed = upgradeKills(() => {});
    // Each run starts from an empty cache, and its recovery run goes on with what the killed one left there.
    const cold = upgradeKills(judge, () => ({ XDG_CACHE_HOME: tempDir('platform-cold-cache-') }));
    // The mirror and two checkouts are renamed into the cache before the repository is touched.
    expect(cold.kills).toBe(primed.kills + 3);
    expect(cold.committed).toBe(primed.committed);
  });
});

describe.skipIf(refused !== undefined)(`platform upgrade on a full or read-only file system (tmpfs${refused ? `: ${refused}` : ''})`, () => {
  /** The base repository copied onto a tmpfs of its own (the source cache stays outside it). */
  function onTmpfs(): { disk: string; repo: string } {
    const mount = mountTmpfs('4m');
    if ('reason' in mount) throw new Error(mount.reason);
    const repo = join(mount.dir, 'svc');
    cpSync(base, repo, { recursive: true, verbatimSymlinks: true });
    return { disk: mount.dir, repo };
  }

  it('out of space half way: exit 2, one line, the repository as it was', () => {
    const { disk, repo } = onTmpfs();
    fill(disk, 8192);
    // git status refreshes git's own index of the copied files: git's bookkeeping, not the repository's files.
    const was = snapshot(disk, { ignore: ['svc/.git'] });
    const run = platform(['upgrade', repo]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(ONE_LINE);
    expect(run.stderr).toContain('no space left on the device');
    expect(snapshot(disk, { ignore: ['svc/.git'] })).toEqual(was);
  });

  it('read-only: exit 2, one line naming the lock, nothing written', () => {
    const { disk, repo } = onTmpfs();
    const reason = remountReadOnly(disk);
    if (reason) return console.warn(`upgrade-faults: read-only case skipped: ${reason}`);
    const was = snapshot(disk);
    expect(platform(['upgrade', repo])).toMatchObject({ status: 2, stdout: '', stderr: `platform: ${repo}/.platform.lock: cannot lock the repository: read-only file system\n` });
    expect(snapshot(disk)).toEqual(was);
  });
});
