import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeErrno, UserError } from '../core/errors.js';

/** The opening and closing lines of a conflict git merge-file writes (`<<<<<<< label`, `>>>>>>> label`). */
export const CONFLICT_MARKER = /^(<{7}|>{7}) /;

export interface MergeResult {
  content: string;
  /** How many conflicts were marked in `content` (0 when the merge is clean). */
  conflicts: number;
}

/**
 * Merge the platform's change (base -> theirs) into the team's file (ours) with `git merge-file`.
 * Conflicts are marked in the result with the labels given; git signals them by its exit code.
 */
export function threeWayMerge(
  ours: string,
  base: string,
  theirs: string,
  labels: { ours: string; base: string; theirs: string; /** The file merged, for messages. */ file?: string },
): MergeResult {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'platform-merge-'));
  } catch (error) {
    throw new UserError(`cannot make a folder for git merge-file: ${describeErrno(error)}`, tmpdir());
  }
  try {
    const files = { ours: join(dir, 'ours'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    try {
      writeFileSync(files.ours, ours);
      writeFileSync(files.base, base);
      writeFileSync(files.theirs, theirs);
    } catch (error) {
      throw new UserError(`cannot write the versions to merge: ${describeErrno(error)}`, dir);
    }
    // diff3 markers show the template's old version too, so the team sees what each side changed.
    const args = ['merge-file', '-p', '--diff3', '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, files.ours, files.base, files.theirs];
    try {
      return { content: execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }), conflicts: 0 };
    } catch (error) {
      const failed = error as { status?: number; stdout?: string; code?: string };
      // The one tool we run: without it a merge is impossible, which is the user's set-up, not our bug.
      if (failed.code === 'ENOENT') throw new UserError(`git is needed to merge the template's change into ${labels.file ? 'this file' : 'a file'} and is not on PATH: install git`, labels.file);
      // A positive status is the number of conflicts (capped at 127); a negative one or none is a real failure.
      if (typeof failed.status === 'number' && failed.status > 0 && failed.status < 128 && typeof failed.stdout === 'string') {
        return { content: failed.stdout, conflicts: failed.status };
      }
      throw error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
