import { createTwoFilesPatch } from 'diff';

/** A file's change as a unified diff (`git diff` style headers), for `upgrade --dry-run`. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, after === undefined ? '/dev/null' : `b/${path}`, before ?? '', after ?? '', undefined, undefined, { context: 3 });
  // jsdiff starts with an "Index:"-less "===" separator line; git's format starts at the headers.
  return patch.replace(/^=+\n/, '');
}
