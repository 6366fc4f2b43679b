/**
 * A cheap look at how deeply a YAML text nests, before the YAML parser sees it: the parser recurses per
 * level, and a megabyte of `[` takes it seconds to fail. This is an estimate, not a parser: flow brackets
 * outside quotes and comments, plus indentation levels and `- ` markers in block context. Real
 * configuration nests a dozen levels; the limit is far above that, so the estimate's slack does not matter.
 */
export const MAX_NESTING = 100;

const DOUBLE = 0x22;
const SINGLE = 0x27;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;

function isBlank(char: number): boolean {
  return char === 0x20 || char === 0x09 || char === 0x0d || char === 0x0a;
}

/** After a blank or an indicator, a quote or bracket starts a token (in `a[0]` or `it's` it does not). */
function isTokenStart(text: string, at: number, lineStart: number): boolean {
  if (at === lineStart) return true;
  const before = text.charCodeAt(at - 1);
  return isBlank(before) || before === OPEN_SQUARE || before === OPEN_CURLY || before === 0x2c || before === 0x3a || before === 0x3f || before === 0x2d;
}

/** The offset where the estimated nesting first exceeds `limit`, or undefined. */
export function excessiveNesting(text: string, limit = MAX_NESTING): number | undefined {
  let flow = 0;
  let quote: number | undefined;
  const indents: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let at = lineStart;
    if (flow === 0 && quote === undefined) {
      while (text[at] === ' ') at += 1;
      const blank = at >= lineEnd || text[at] === '#' || text[at] === '\r';
      if (!blank) {
        const indent = at - lineStart;
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        let dashes = 0;
        for (let probe = at; text[probe] === '-' && (text[probe + 1] === ' ' || text[probe + 1] === '\t'); probe += 2) {
          dashes += 1;
          while (text[probe + 2] === ' ') probe += 1;
        }
        if (indents.length + dashes > limit) return lineStart;
      }
    }
    for (; at < lineEnd; at += 1) {
      const char = text.charCodeAt(at);
      if (quote === DOUBLE) {
        if (char === BACKSLASH) at += 1;
        else if (char === DOUBLE) quote = undefined;
        continue;
      }
      if (quote === SINGLE) {
        if (char === SINGLE && text.charCodeAt(at + 1) === SINGLE) at += 1;
        else if (char === SINGLE) quote = undefined;
        continue;
      }
      // Most characters are none of these: test the token start only for the few that are.
      if (char === HASH) {
        if (at === lineStart || isBlank(text.charCodeAt(at - 1))) break;
      } else if (char === DOUBLE || char === SINGLE) {
        if (isTokenStart(text, at, lineStart)) quote = char;
      } else if (char === OPEN_SQUARE || char === OPEN_CURLY) {
        if (flow > 0 || isTokenStart(text, at, lineStart)) {
          flow += 1;
          if (flow + indents.length > limit) return at;
        }
      } else if ((char === CLOSE_SQUARE || char === CLOSE_CURLY) && flow > 0) {
        flow -= 1;
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
