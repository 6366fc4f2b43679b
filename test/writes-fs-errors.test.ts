import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { fill, mountRefused, mountTmpfs, remountReadOnly } from './helpers/mounts.js';
import { generateTemp, tempDir } from './helpers/repo.js';
import { snapshot } from './helpers/tree.js';

const NEW_ARGS = ['--name', 'svc', '--owner', 'team-a', '--description', 'Full disk', '--runtime', 'node', '--environments', 'dev'];
/** One line, `platform: <file>: <words>`, never a stack. */
const ONE_LINE = /^platform: [^\n]+\n$/;

const refused = mountRefused();
if (refused) console.warn(`writes-fs-errors: mount tests skipped: ${refused}`);

function mounted(size: string): string {
  const mount = mountTmpfs(size);
  if ('reason' in mount) throw new Error(mount.reason);
  return mount.dir;
}

describe.skipIf(refused !== undefined)(`a full or read-only file system (tmpfs${refused ? `: ${refused}` : ''})`, () => {
  it('platform new into a full disk: exit 2, one line naming the file, nothing left behind', () => {
    const disk = mounted('32k');
    const run = platform(['new', join(disk, 'svc'), ...NEW_ARGS]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(ONE_LINE);
    expect(run.stderr).toMatch(new RegExp(`^platform: ${disk}/svc/[^:]+: cannot write: no space left on the device; nothing was written\n$`));
    expect(readdirSync(disk)).toEqual([]);
  });

  it('platform add that runs out of space leaves the repository as it was', () => {
    const disk = mounted('1m');
    const repo = join(disk, 'svc');
    expect(platform(['new', repo, ...NEW_ARGS]).status).toBe(0);
    // Room for the lock and a staged file or two, not for the whole change.
    fill(disk, 8192);
    const before = snapshot(disk);
    const run = platform(['add', 'database', 'main:postgres', '--dir', repo]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(ONE_LINE);
    expect(run.stderr).toContain('no space left on the device');
    expect(snapshot(disk)).toEqual(before);
  });

  it('platform add and platform new on a read-only file system: exit 2, one line, no stack', () => {
    const disk = mounted('1m');
    const repo = join(disk, 'svc');
    expect(platform(['new', repo, ...NEW_ARGS]).status).toBe(0);
    const reason = remountReadOnly(disk);
    if (reason) return console.warn(`writes-fs-errors: read-only case skipped: ${reason}`);
    const before = snapshot(disk);
    const add = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo]);
    expect(add.status).toBe(2);
    expect(add.stderr).toBe(`platform: ${repo}/.platform.lock: cannot lock the repository: read-only file system\n`);
    const again = platform(['new', join(disk, 'other'), ...NEW_ARGS]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(ONE_LINE);
    expect(again.stderr).toContain('read-only file system');
    expect(snapshot(disk)).toEqual(before);
  });
});

describe('file system errors in words, nothing half-written', () => {
  it('a folder where a generated file goes (EISDIR) and a file where a folder goes (ENOTDIR)', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    rmSync(join(repo, 'deploy/base/deployment.yaml'));
    mkdirSync(join(repo, 'deploy/base/deployment.yaml'));
    const before = snapshot(repo);
    const folder = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo]);
    expect(folder).toMatchObject({ status: 2, stderr: `platform: ${repo}/deploy/base/deployment.yaml: is a folder, not a file; not read\n` });
    expect(snapshot(repo)).toEqual(before);

    const other = generateTemp({ name: 'svc', environments: ['dev'] });
    rmSync(join(other, 'deploy/overlays/dev'), { recursive: true });
    writeFileSync(join(other, 'deploy/overlays/dev'), 'a file, not a folder\n');
    const was = snapshot(other);
    const file = platform(['add', 'database', 'main:postgres', '--dir', other]);
    expect(file).toMatchObject({ status: 2, stderr: expect.stringMatching(new RegExp(`^platform: ${other}/deploy/overlays/dev: is a regular file, not a folder; cannot write deploy/overlays/dev/[^ ]+\n$`)) });
    expect(snapshot(other)).toEqual(was);
  });

  it('no git on PATH: a merge that needs it fails in one line naming the file, and nothing is written', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    const overlay = 'deploy/overlays/dev/kustomization.yaml';
    writeFileSync(join(repo, overlay), `${snapshot(repo)[overlay]}# ours\n`);
    const before = snapshot(repo);
    const run = platform(['add', 'database', 'main:postgres', '--dir', repo], { env: { PATH: tempDir('platform-no-git-') } });
    expect(run).toMatchObject({ status: 2, stderr: `platform: ${overlay}: git is needed to merge the template's change into this file and is not on PATH: install git\n` });
    expect(snapshot(repo)).toEqual(before);
  });
});
