import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { generateTemp, repoRoot, tempDir } from './helpers/repo.js';
import { snapshot } from './helpers/tree.js';

const NEW_ARGS = ['--name', 'svc', '--owner', 'team-a', '--description', 'Safety', '--runtime', 'node', '--environments', 'dev,prod'];

/** A folder outside every repository, with a file and a folder a link can point at. */
function outside(): string {
  const dir = tempDir('platform-outside-');
  writeFileSync(join(dir, 'precious'), 'not yours\n');
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'folder', 'index.js'), 'not yours either\n');
  return dir;
}

describe('nothing is read or written through a link out of the repository', () => {
  for (const [name, target] of [['Dockerfile', 'precious'], ['src', 'folder']] as const) {
    it(`new --force into a folder whose ${name} links outside: refused, nothing written`, () => {
      const elsewhere = outside();
      const dir = join(tempDir(), 'svc');
      mkdirSync(dir);
      writeFileSync(join(dir, 'notes.txt'), 'ours\n');
      symlinkSync(join(elsewhere, target), join(dir, name));
      const before = { repo: snapshot(dir), elsewhere: snapshot(elsewhere) };
      const run = platform(['new', dir, ...NEW_ARGS, '--force']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^platform: ${dir}/${name}: is a symbolic link; refusing to write( [^ ]+)? through it\n$`));
      expect({ repo: snapshot(dir), elsewhere: snapshot(elsewhere) }).toEqual(before);
    });
  }

  it('add with a template path that links outside: refused before reading it, nothing written', () => {
    const elsewhere = outside();
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    rmSync(join(repo, 'deploy/base/deployment.yaml'));
    symlinkSync(join(elsewhere, 'precious'), join(repo, 'deploy/base/deployment.yaml'));
    const before = { repo: snapshot(repo), elsewhere: snapshot(elsewhere) };
    const run = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo]);
    expect(run).toMatchObject({ status: 2, stderr: `platform: ${repo}/deploy/base/deployment.yaml: is a symbolic link that leads outside the repository; not read\n` });
    expect({ repo: snapshot(repo), elsewhere: snapshot(elsewhere) }).toEqual(before);
  });

  it('a FIFO at a template path or at the record does not hang add: a clear error at once', () => {
    for (const path of ['deploy/base/deployment.yaml', '.yo-rc.json']) {
      const repo = generateTemp({ name: 'svc', environments: ['dev'] });
      rmSync(join(repo, path));
      expect(spawnSync('mkfifo', [join(repo, path)]).status).toBe(0);
      const started = Date.now();
      const run = platform(['add', 'secret', 'key:KEY:svc/key', '--dir', repo], { timeoutMs: 20_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(run).toMatchObject({ status: 2, stderr: `platform: ${repo}/${path}: is a FIFO (named pipe), not a file; not read\n` });
      expect(readdirSync(repo)).not.toContain('.platform-txn');
    }
  });
});

describe('permissions and leftovers', () => {
  /** Every folder's and file's permission bits under a tree, by kind. */
  function modes(root: string): { folders: Set<string>; files: Set<string> } {
    const folders = new Set<string>();
    const files = new Set<string>();
    const walk = (dir: string): void => {
      folders.add((statSync(dir).mode & 0o777).toString(8));
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else files.add((statSync(join(dir, entry.name)).mode & 0o777).toString(8));
      }
    };
    walk(root);
    return { folders, files };
  }

  const shell = (umask: string, args: string[]) =>
    spawnSync('sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, join(repoRoot, 'bin', 'platform.cjs'), ...args], { encoding: 'utf8' });

  for (const [umask, folder, file] of [['022', '755', '644'], ['027', '750', '640']]) {
    it(`umask ${umask}: the repository's folders are ${folder} and its files ${file}, new and added alike`, () => {
      const parent = tempDir();
      const dir = join(parent, 'svc');
      expect(shell(umask, ['new', dir, ...NEW_ARGS])).toMatchObject({ status: 0, stderr: '' });
      // A new environment makes new folders (its overlay) through a transaction.
      expect(shell(umask, ['add', 'environment', 'staging', '--dir', dir])).toMatchObject({ status: 0, stderr: '' });
      expect(statSync(join(dir, 'deploy/overlays/staging')).isDirectory()).toBe(true);
      expect(modes(dir)).toEqual({ folders: new Set([folder]), files: new Set([file]) });
      // No staging sibling, no transaction folder, no lock, no temporary file.
      expect(readdirSync(parent)).toEqual(['svc']);
      expect(Object.keys(snapshot(dir)).filter((path) => /platform-t(mp|xn)|\.platform\.lock/.test(path))).toEqual([]);
    });
  }
});
