import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './repo.js';

/**
 * A small tmpfs of its own, for a full or read-only file system (as root, chmod stops nothing: only a
 * mount does). Unmounted after the test file. Returns the reason instead when mounting is refused.
 */
export function mountTmpfs(size: string): { dir: string } | { reason: string } {
  const dir = join(tempDir('platform-mount-'), 'mnt');
  mkdirSync(dir);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.error || mount.status !== 0) return { reason: `cannot mount a tmpfs here: ${mount.stderr?.trim() || mount.error?.message}` };
  mounted.push(dir);
  return { dir };
}

// Registered when the file is collected (a hook added inside a running test is not run), and after
// tempDir's, so it runs before it: the mounts go before their folders are removed.
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted.splice(0)) spawnSync('umount', ['-l', dir]);
});

export function remountReadOnly(dir: string): string | undefined {
  const remount = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
  return remount.status === 0 ? undefined : `cannot remount read-only: ${remount.stderr.trim()}`;
}

/** Whether mounting works at all here (root in a container that allows it), with the reason if not. */
export function mountRefused(): string | undefined {
  const probe = mountTmpfs('64k');
  if ('reason' in probe) return probe.reason;
  spawnSync('umount', [probe.dir]);
  return undefined;
}

/** Fill a file system up, then free `spare` bytes: room for the lock and a staged file or two, no more. */
export function fill(dir: string, spare: number): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  ftruncateSync(fd, Math.max(0, fstatSync(fd).size - spare));
  closeSync(fd);
}
