/**
 * Every escaper of text a report did not write (file names, messages quoting a file, repository names
 * and owners), each saying what its format needs.
 *
 * Control characters: a file named `a\n::error file=x::owned` must stay one line, or GitHub Actions reads
 * the rest as a workflow command from the job's log; an ESC must not repaint the terminal. Markdown on
 * top of that: a `|` would end a table cell, a backtick a code span, and `<` would start HTML.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROL_RUN = new RegExp(`${CONTROL.source}+`, 'g');
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters as visible escapes (`\n`, `\u001b`): the validate reports, as the text shows the file. */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message on one line (line breaks folded to a space), then printable. */
export function printableLine(text: string): string {
  return printable(text.replace(/\s*[\r\n]+\s*/g, ' '));
}

/** Each run of control characters as one space: the fleet report's text, where a name reads as words. */
export function plain(text: string): string {
  return text.replace(CONTROL_RUN, ' ');
}

/** `&`, `<` and `>` as entities, so that markdown shows them rather than reading HTML. */
function withoutHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A cell of the validate markdown summary's tables: printableLine (one line, control characters
 * visible), no HTML, and a `|` escaped with a backslash.
 */
export function summaryCell(text: string): string {
  return withoutHtml(printableLine(text)).replace(/\|/g, '\\|');
}

/**
 * A code span in a cell of the validate markdown summary (a finding's location): printable, a backtick
 * (it would end the span) as `'`, and a `|` escaped with a backslash.
 */
export function summaryCodeCell(text: string): string {
  return printable(text).replace(/`/g, "'").replace(/\|/g, '\\|');
}

/**
 * A cell of GitHub markdown in the Action's comment and job summary and the fleet report: a message may
 * quote a value from the repository, which must not break the table, inject HTML or mention people. No
 * HTML, `|` and `@` as entities, line breaks as spaces (other control characters are left as they are),
 * cut at `max` characters with an ellipsis.
 */
export function markdownCell(text: string, max = Infinity): string {
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return withoutHtml(short)
    .replace(/\|/g, '&#124;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n/g, ' ');
}
