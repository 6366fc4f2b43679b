import type { Finding, Range } from './types.js';

/**
 * A finding before the policy's metadata is applied: the stages that find problems know the policy id,
 * the place and the message; severity, help link and waivers are decided once, at the end.
 */
export type Problem = Omit<Finding, 'severity' | 'helpUri' | 'waived' | 'waiver'>;

/** Messages quote what a file holds (keys, values): a hostile file must not make every report huge. */
export const MAX_MESSAGE = 500;

export function problem(policy: string, file: string, range: Range, message: string): Problem {
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
  return { policy, file, line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn, message: text };
}

/** The first line of a file, for problems with the file as a whole. */
export const FILE_START: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
