import type { RunContext } from './context.js';

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
