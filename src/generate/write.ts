import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import type { RenderedFile } from '../render/render.js';

/**
 * Write a whole new repository. Files are staged in a sibling folder and moved into place at the end,
 * so a failure leaves no partial tree; a non-empty target is refused unless `force` is set.
 */
export function writeRepository(target: string, files: RenderedFile[], options: { force?: boolean } = {}): void {
  const root = resolve(target);
  const exists = existsSync(root);
  if (exists && !lstatSync(root).isDirectory()) throw new UserError('exists and is not a directory', target);
  if (exists && readdirSync(root).length > 0 && !options.force) {
    throw new UserError('is not empty; pass --force to generate into it anyway', target);
  }
  mkdirSync(dirname(root), { recursive: true });
  const staging = mkdtempSync(join(dirname(root), `.${basename(root)}.platform-`));
  try {
    for (const file of files) writeInside(staging, file.path, file.content);
    if (!exists) {
      renameSync(staging, root);
      return;
    }
    for (const file of files) {
      const destination = insideOrFail(root, file.path);
      mkdirSync(dirname(destination), { recursive: true });
      renameSync(join(staging, file.path), destination);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Write some files into an existing repository (after `platform add`), each replaced atomically. */
export function writeFiles(root: string, files: Array<{ path: string; content: string }>): void {
  for (const file of files) {
    const destination = insideOrFail(root, file.path);
    mkdirSync(dirname(destination), { recursive: true });
    const temporary = `${destination}.platform-tmp`;
    writeFileSync(temporary, file.content);
    renameSync(temporary, destination);
  }
}

function writeInside(root: string, path: string, content: string): void {
  const destination = insideOrFail(root, path);
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, content);
}

/** The absolute path of `path` under `root`, refusing anything that would land outside it (also through symlinks). */
export function insideOrFail(root: string, path: string): string {
  const absoluteRoot = resolve(root);
  const destination = resolve(absoluteRoot, path);
  if (!destination.startsWith(absoluteRoot + sep)) throw new UserError(`refusing to write outside the repository: ${path}`);
  // A directory on the way that is a symlink could point anywhere: resolve what exists and check again.
  let existing = dirname(destination);
  while (!existsSync(existing)) existing = dirname(existing);
  const real = realpathSync(existing);
  const realRoot = realpathSync(existsSync(absoluteRoot) ? absoluteRoot : dirname(absoluteRoot));
  if (real !== realRoot && !real.startsWith(realRoot + sep) && existsSync(absoluteRoot)) {
    throw new UserError(`refusing to write through a link out of the repository: ${path}`);
  }
  if (existsSync(destination) && lstatSync(destination).isSymbolicLink()) {
    throw new UserError(`refusing to write through a symbolic link: ${path}`);
  }
  return destination;
}
