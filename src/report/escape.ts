/**
 * What a report prints of text it did not write (file names, messages quoting a file): control
 * characters as visible escapes. A file named `a\n::error file=x::owned` must stay one line, or GitHub
 * Actions reads the rest as a workflow command from the job's log; an ESC must not repaint the terminal.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message on one line (line breaks folded to a space), then printable. */
export function printableLine(text: string): string {
  return printable(text.replace(/\s*[\r\n]+\s*/g, ' '));
}
