/** The golden overlays (test/fixtures/overlays/README.md): their names, expected findings and the repositories they make. */
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { repoRoot } from './repo.js';
import { copyRepository } from './tree.js';

export const overlaysDir = join(repoRoot, 'test', 'fixtures', 'overlays');
/** The clean repository every overlay is laid on. */
export const overlayBase = join(repoRoot, 'test', 'fixtures', 'ok', 'service-dev-prod');

/** The findings the case must give. */
export const EXPECTED_FILE = 'expected.txt';
/** The base's files (or folders) the case removes, one path per line. */
export const DELETED_FILE = 'deleted.txt';
/** Files at the top of a case folder that describe the case rather than belong to the repository. */
const CASE_FILES = new Set([EXPECTED_FILE, DELETED_FILE]);

export function overlayCases(): string[] {
  return readdirSync(overlaysDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** `file:line:column: message [policy]` lines; none for a case that must validate clean. */
export function expectedOf(name: string): string[] {
  return readFileSync(join(overlaysDir, name, EXPECTED_FILE), 'utf8').split('\n').filter(Boolean);
}

/**
 * The paths of the base the case deletes: its deleted.txt, one `/`-separated path relative to the repository
 * per line (blank lines and `#` comments skipped). Each must exist in the base, and none may also be a file
 * of the overlay: a typo or a contradiction would otherwise leave the case silently testing something else.
 */
export function deletedOf(name: string): string[] {
  const file = join(overlaysDir, name, DELETED_FILE);
  if (!existsSync(file)) return [];
  const paths = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const path of paths) {
    if (isAbsolute(path) || normalize(path).split(sep).join('/') !== path || path.startsWith('../')) {
      throw new Error(`${name}/${DELETED_FILE}: "${path}" is not a plain path inside the repository`);
    }
    if (!existsSync(join(overlayBase, path))) throw new Error(`${name}/${DELETED_FILE}: the clean repository has no "${path}" to delete`);
    if (existsSync(join(overlaysDir, name, path))) throw new Error(`${name}/${DELETED_FILE}: "${path}" is deleted and also a file of the overlay`);
  }
  return paths;
}

/** The overlay's own files (not expected.txt, deleted.txt), as `/`-separated paths relative to the repository. */
export function overlayFiles(name: string): string[] {
  const dir = join(overlaysDir, name);
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      const path = relative(dir, full).split(sep).join('/');
      if (CASE_FILES.has(path)) continue;
      if (entry.isDirectory()) walk(full);
      else files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

/**
 * A temporary copy of the clean repository with the case applied: the paths of its deleted.txt removed, then
 * its files copied over, byte for byte (CRLF and binary content kept), modes and symbolic links as they are.
 */
export function overlaidRepository(name: string): string {
  const overlay = join(overlaysDir, name);
  const repo = copyRepository(overlayBase);
  for (const path of deletedOf(name)) rmSync(join(repo, path), { recursive: true });
  for (const path of overlayFiles(name)) {
    const target = join(repo, path);
    if (existsSync(target) && lstatSync(target).isDirectory()) throw new Error(`${name}: "${path}" replaces a folder of the clean repository`);
    cpSync(join(overlay, path), target, { force: true, verbatimSymlinks: true });
  }
  return repo;
}
