import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The root of this package, found by walking up to our package.json: the same code runs from `src/`
 * (tests), from `dist/src/` (the CLI) and from the Action's bundle, at different depths.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'generator-platform') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`generator-platform: cannot find the package root above ${start}`);
    dir = parent;
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const schemasDir = join(packageRoot, 'schemas');
export const templatesDir = join(packageRoot, 'templates');
/** Every released version of `templates/`, one JSON snapshot each (scripts/snapshot-templates.js). */
export const releasesDir = join(packageRoot, 'releases');
export const policiesDir = join(packageRoot, 'policies');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
