import type { Octokit } from '@octokit/rest';
import { listAll, UnexpectedAnswer } from './github.js';

/**
 * The lines a pull request added or changed, per file (repository-relative, '/'-separated). `'all'` stands
 * for a file whose patch GitHub did not send (binary, or too large to diff): every line of it counts.
 */
export type ChangedLines = Map<string, Set<number> | 'all'>;

/** The new-side line numbers of the added lines of a unified diff (GitHub's `patch` of one file). */
export function addedLines(patch: string): Set<number> {
  const added = new Set<number>();
  let line = 0;
  let inHunk = false;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (text.startsWith('+')) added.add(line++);
    else if (text.startsWith(' ')) line++;
    // '-' lines exist only on the old side; '\ No newline at end of file' on neither.
  }
  return added;
}

interface PullRequestFile {
  filename: string;
  status: string;
  patch?: string;
}

/** Every file of the pull request, through all pages of `GET /repos/{owner}/{repo}/pulls/{n}/files`. */
export async function fetchChangedLines(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<ChangedLines> {
  const files = await listAll("a list of the pull request's files", () => octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 }));
  const changed: ChangedLines = new Map();
  for (const file of files as PullRequestFile[]) {
    if (typeof file?.filename !== 'string') throw new UnexpectedAnswer("a list of the pull request's files");
    if (file.status === 'removed') continue;
    changed.set(file.filename, file.patch === undefined ? 'all' : addedLines(file.patch));
  }
  return changed;
}

/** Does the finding's range touch a line the pull request added? */
export function touchesChangedLine(changed: ChangedLines, file: string, line: number, endLine: number): boolean {
  const lines = changed.get(file);
  if (!lines) return false;
  if (lines === 'all') return true;
  for (let current = line; current <= Math.max(line, endLine); current++) {
    if (lines.has(current)) return true;
  }
  return false;
}
