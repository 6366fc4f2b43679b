/**
 * A cheap look at how deeply a YAML text nests, before the YAML parser sees it: the parser recurses per
 * level, and a megabyte of `[` takes it seconds to fail. This is an estimate, not a parser: flow brackets
 * outside quotes and comments, plus indentation levels and `- ` markers in block context. Real
 * configuration nests a dozen levels; the limit is far above that, so the estimate's slack does not matter.
 */
export const MAX_NESTING = 100;

/** The offset where the estimated nesting first exceeds `limit`, or undefined. */
export function excessiveNesting(text: string, limit = MAX_NESTING): number | undefined {
  let flow = 0;
  let quote: '"' | "'" | undefined;
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
      const char = text[at]!;
      if (quote === '"') {
        if (char === '\\') at += 1;
        else if (char === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (char === "'" && text[at + 1] === "'") at += 1;
        else if (char === "'") quote = undefined;
        continue;
      }
      const before = at === lineStart ? ' ' : text[at - 1]!;
      const tokenStart = /[\s[{,:?-]/.test(before);
      if (char === '#' && /\s/.test(before)) break;
      if ((char === '"' || char === "'") && tokenStart) quote = char;
      else if ((char === '[' || char === '{') && (tokenStart || flow > 0)) {
        flow += 1;
        if (flow + indents.length > limit) return at;
      } else if ((char === ']' || char === '}') && flow > 0) flow -= 1;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
