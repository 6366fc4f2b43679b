import { cpSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './repo.js';

/**
 * A whole tree as data: every file with its content, every folder and link, so that "byte-identical" is
 * one toEqual and a leftover (an empty folder, a lock, a staging) shows up by name.
 */
export function snapshot(root: string, options: { ignore?: string[] } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (options.ignore?.includes(path)) continue;
      const absolute = join(dir, name);
      const stat = lstatSync(absolute);
      if (stat.isSymbolicLink()) out[path] = `-> ${readlinkSync(absolute)}`;
      else if (stat.isDirectory()) {
        out[`${path}/`] = '';
        walk(absolute, path);
      } else if (stat.isFile()) out[path] = readFileSync(absolute, 'utf8');
      else out[path] = '<special file>';
    }
  };
  walk(root, '');
  return out;
}

/** A copy of a repository in a fresh temporary folder (a fault test spoils one copy per run). */
export function copyRepository(source: string, name = 'repo'): string {
  const target = join(tempDir('platform-copy-'), name);
  cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  return target;
}
