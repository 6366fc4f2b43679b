import type { RunContext } from './context.js';

/** A link to the lines of a finding at the commit under check, when the run knows which commit that is. */
export function fileLink(context: RunContext, file: string, line: number, endLine: number): string | undefined {
  if (!context.sha || !context.owner || file.startsWith('../')) return undefined;
  const path = file.split('/').map(encodeURIComponent).join('/');
  const lines = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${context.serverUrl}/${context.owner}/${context.repo}/blob/${context.sha}/${path}${lines}`;
}
