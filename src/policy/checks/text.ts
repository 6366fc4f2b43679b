/** Positions in raw text: YAML node ranges are line/column, searches inside a scalar need offsets. */
import type { Range } from '../../validate/types.js';

const lineStarts = new WeakMap<object, number[]>();

function startsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** Offsets of line starts, computed once per file object. */
export function lineStartsOf(file: { text: string }): number[] {
  let starts = lineStarts.get(file);
  if (!starts) {
    starts = startsOf(file.text);
    lineStarts.set(file, starts);
  }
  return starts;
}

export function offsetOf(file: { text: string }, line: number, column: number): number {
  const starts = lineStartsOf(file);
  return (starts[line - 1] ?? file.text.length) + column - 1;
}

export function positionOf(file: { text: string }, offset: number): { line: number; column: number } {
  const starts = lineStartsOf(file);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/** The range of `length` characters at `offset` (on one line, as matches in text are). */
export function rangeAt(file: { text: string }, offset: number, length: number): Range {
  const from = positionOf(file, offset);
  const to = positionOf(file, offset + length);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** The range of a whole line's content, for findings about a line or a file. */
export function lineRange(file: { text: string }, line: number): Range {
  const starts = lineStartsOf(file);
  const start = starts[line - 1] ?? 0;
  const end = (starts[line] ?? file.text.length + 1) - 1;
  const content = file.text.slice(start, end).replace(/\r$/, '');
  return { line, column: 1, endLine: line, endColumn: content.length + 1 };
}

/** The offset of `needle` inside the source of a node, or undefined when the source spells it otherwise. */
export function findInNode(file: { text: string }, range: Range, needle: string, from = 0): number | undefined {
  const start = offsetOf(file, range.line, range.column);
  const end = offsetOf(file, range.endLine, range.endColumn);
  const found = file.text.slice(start, Math.max(end, start)).indexOf(needle, from);
  return found === -1 ? undefined : start + found;
}

/** Where a finding about a whole file goes: the first line of its first document (comments skipped). */
export function fileHead(file: { text: string; documents: Array<{ locate(path: []): Range }> }): Range {
  const start = file.documents[0]?.locate([]);
  return lineRange(file, start?.line ?? 1);
}
