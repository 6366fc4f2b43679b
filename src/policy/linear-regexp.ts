/**
 * Policy patterns run on RE2 (re2js), whose matching time is linear in the input: a platform team's
 * pattern cannot hang the validator, whatever its shape (`^a*a*a*a*b$` is as fast as `^a*b$`), and the
 * loader no longer has to guess which backtracking patterns are slow. RE2 has no back-references or
 * look-around; the loader refuses those with a message.
 */
import { RE2JS } from 're2js';
import { mayMatch, requiredLiterals } from './required-literals.js';

export interface LinearMatch {
  index: number;
  length: number;
}

export interface LinearRegExp {
  test: (text: string) => boolean;
  /** Every non-overlapping match, left to right. */
  matches(text: string): Generator<LinearMatch>;
}

/**
 * A pattern compiled on first use, and not at all for texts that lack every literal a match requires
 * (see required-literals.ts): most texts are ruled out by a native `includes` in a fraction of the time
 * RE2 takes to compile the pattern, let alone to scan them.
 */
export function linearRegExp(pattern: string): LinearRegExp {
  // PLATFORM_PREFILTER=off sends every text to RE2 (docs/architecture.md).
  const literals = process.env.PLATFORM_PREFILTER === 'off' ? undefined : requiredLiterals(pattern);
  let compiled: RE2JS | undefined;
  const engine = () => (compiled ??= RE2JS.compile(pattern));
  return {
    test: (text) => mayMatch(literals, text) && engine().matcher(text).find(),
    *matches(text) {
      if (!mayMatch(literals, text)) return;
      const matcher = engine().matcher(text);
      let from = 0;
      while (from <= text.length && matcher.find(from)) {
        const index = matcher.start();
        const length = matcher.end() - index;
        yield { index, length };
        from = matcher.end() + (length === 0 ? 1 : 0);
      }
    },
  };
}

/** Why RE2 cannot run a pattern, or undefined when it can. */
export function linearSyntaxProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return `is not supported by the linear-time pattern engine (RE2): ${(error as Error).message}`;
  }
}

/** Where precompiled validators find this module's engine, so that re2js is loaded once per process. */
const ENGINE_KEY = 'generator-platform.linearRegExp';

/**
 * The pattern engine for ajv's `pattern` keyword. `code` is what ajv writes into precompiled
 * (standalone, CommonJS) validators in place of the function: the engine this module registered, or,
 * when that module is not loaded, the same engine built on re2js's CommonJS entry.
 */
export const ajvLinearRegExp = Object.assign(
  (pattern: string) => {
    const { test } = linearRegExp(pattern);
    // ajv tells patterns apart by toString(), as it would RegExp objects.
    return { test, toString: () => `/${pattern}/` };
  },
  {
    code:
      `(globalThis[Symbol.for(${JSON.stringify(ENGINE_KEY)})] ?? ((pattern) => { const compiled = require("re2js").RE2JS.compile(pattern); ` +
      'return { test: (text) => compiled.matcher(text).find(), toString: () => "/" + pattern + "/" }; }))',
  },
);
(globalThis as Record<symbol, unknown>)[Symbol.for(ENGINE_KEY)] = ajvLinearRegExp;
