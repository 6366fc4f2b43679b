import type { RunContext } from './context.js';
import type { Counts } from './outputs.js';

/** "3 errors, 1 warning, 0 infos". */
export function countsLine(counts: Counts): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return [plural(counts.error, 'error'), plural(counts.warning, 'warning'), plural(counts.info, 'info')].join(', ');
}

/**
 * Text made safe for one table cell of GitHub markdown: a message may quote a value from the repository,
 * which must not break the table, inject HTML or mention people.
 */
export function markdownCell(text: string, max = Infinity): string {
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return short
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n/g, ' ');
}

/** A link to the lines of a finding at the commit under check, when the run knows which commit that is. */
export function fileLink(context: RunContext, file: string, line: number, endLine: number): string | undefined {
  if (!context.sha || !context.owner || file.startsWith('../')) return undefined;
  const path = file.split('/').map(encodeURIComponent).join('/');
  const lines = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${context.serverUrl}/${context.owner}/${context.repo}/blob/${context.sha}/${path}${lines}`;
}
