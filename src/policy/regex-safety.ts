/**
 * JavaScript regular expressions backtrack, and neither ajv nor RegExp has a time limit: a pattern
 * such as `(a+)+$` takes exponential time on a 30-character string. Policy files are data that a
 * platform team edits, so their patterns are checked when they are loaded, and the dangerous shapes are
 * refused with a message that says why:
 *   - a group repeated without bound that itself repeats or alternates (`(a+)+`, `(a|ab)*`): star height 2;
 *   - back-references (`\1`, `\k<name>`), which make matching NP-hard in general;
 *   - very long patterns.
 * What stays (single-level quantifiers over classes and literals) runs in polynomial time on inputs
 * that the loader already caps in size.
 */
import { linearSyntaxProblem } from './linear-regexp.js';

export const MAX_PATTERN_LENGTH = 500;

interface Group {
  repeatsInside: boolean;
  alternates: boolean;
}

/** `undefined` when the pattern is safe to run; otherwise why it is refused. */
export function unsafePatternReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  const stack: Group[] = [{ repeatsInside: false, alternates: false }];
  let index = 0;
  // What the last atom was: a closed group (with what it contained) or something simple.
  let lastGroup: Group | undefined;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'uses a back-reference';
      index += 2;
      lastGroup = undefined;
      continue;
    }
    if (char === '[') {
      index = skipClass(pattern, index);
      lastGroup = undefined;
      continue;
    }
    if (char === '(') {
      stack.push({ repeatsInside: false, alternates: false });
      index = afterGroupOpening(pattern, index);
      lastGroup = undefined;
      continue;
    }
    if (char === ')') {
      const closed = stack.pop();
      if (!closed || stack.length === 0) return 'has an unbalanced ")"';
      index += 1;
      lastGroup = closed;
      continue;
    }
    if (char === '|') {
      stack[stack.length - 1]!.alternates = true;
      index += 1;
      lastGroup = undefined;
      continue;
    }
    const quantifier = readQuantifier(pattern, index);
    if (quantifier) {
      if (quantifier.unbounded) {
        if (lastGroup && (lastGroup.repeatsInside || lastGroup.alternates)) {
          return `repeats a group that itself repeats or alternates ("${pattern.slice(0, index + quantifier.length)}"): exponential backtracking`;
        }
        stack[stack.length - 1]!.repeatsInside = true;
      }
      // A repeated group passes its own repetition up: ((a)+)+ is as bad as (a+)+.
      if (lastGroup?.repeatsInside || lastGroup?.alternates) stack[stack.length - 1]!.repeatsInside = true;
      index += quantifier.length;
      lastGroup = undefined;
      continue;
    }
    index += 1;
    lastGroup = undefined;
  }
  if (stack.length !== 1) return 'has an unbalanced "("';
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  return linearSyntaxProblem(pattern);
}

/** Past `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`. */
function afterGroupOpening(pattern: string, start: number): number {
  const head = /^\((\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(pattern.slice(start))!;
  return start + head[0].length;
}

function skipClass(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') index += 1;
  if (pattern[index] === ']') index += 1;
  while (index < pattern.length && pattern[index] !== ']') index += pattern[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** A quantifier at `index`, and whether it allows many repetitions (`*`, `+`, `{n,}`, `{n,m}` with m > 20). */
function readQuantifier(pattern: string, index: number): { length: number; unbounded: boolean } | undefined {
  const char = pattern[index];
  const lazy = (at: number): number => (pattern[at] === '?' || pattern[at] === '+' ? 1 : 0);
  if (char === '*' || char === '+') return { length: 1 + lazy(index + 1), unbounded: true };
  if (char === '?') return { length: 1 + lazy(index + 1), unbounded: false };
  if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
    if (!match) return undefined;
    const max = match[2] === undefined ? Number(match[1]) : match[3] === '' ? Infinity : Number(match[3]);
    return { length: match[0].length + lazy(index + match[0].length), unbounded: max > 20 };
  }
  return undefined;
}
