import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

/**
 * A report given by --output appears whole or not at all: written beside its destination, then renamed
 * over it (its folder is created if needed).
 */
export function writeAtomically(file: string, content: string): void {
  const target = resolve(file);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, target);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
    throw new UserError(`cannot write the report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, file);
  }
}
