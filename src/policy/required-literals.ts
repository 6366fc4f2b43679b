/**
 * The literal strings a pattern cannot match without: a set such that every match contains at least one
 * of them. Searching a text for those with `indexOf` (native, linear) tells, most of the time, that the
 * pattern cannot match at all, without compiling or running the regular expression engine: a secret
 * pattern such as `\bghp_[A-Za-z0-9]{36}\b` needs `ghp_` somewhere in the file.
 *
 * The analysis is deliberately small. It reads RE2 syntax and gives up (undefined: always run the
 * engine) on whatever it does not fully understand: flags such as `(?i)`, `\Q…\E`, `\p{…}`, hex and octal
 * escapes. What it does understand:
 *  - a run of literal characters, each required exactly once, is a required substring;
 *  - a group required at least once requires one of its own literals; an alternation, one of each
 *    branch's (so a branch without any means none for the whole);
 *  - anything optional (`?`, `*`, `{0,n}`) requires nothing.
 */

/** Literals shorter than this are found in nearly every file: not worth checking. */
const MIN_USEFUL_LENGTH = 3;

/** Escapes that match no literal: assertions (`\b`, `\A`...) and classes (`\d`, `\w`...). */
const NON_LITERAL_ESCAPES = new Set(['b', 'B', 'A', 'z', 'd', 'D', 's', 'S', 'w', 'W']);

class Unsupported extends Error {}

/** Every match contains one of these strings; undefined when the pattern gives no useful guarantee. */
export function requiredLiterals(pattern: string): string[] | undefined {
  try {
    const parser = new Parser(pattern);
    const set = parser.alternation();
    if (parser.position !== pattern.length) return undefined;
    return set && Math.min(...set.map((literal) => literal.length)) >= MIN_USEFUL_LENGTH ? [...new Set(set)] : undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Whether `text` can contain a match, given the pattern's required literals. */
export function mayMatch(literals: readonly string[] | undefined, text: string): boolean {
  return literals === undefined || literals.some((literal) => text.includes(literal));
}

/** An item of a sequence: a literal character, or a sub-expression with what it requires. */
type Item = { char: string } | { requires: string[] | undefined };

/** How often an item must occur: exactly once, at least once (`+`, `{2,}`), or possibly never. */
type Occurrence = 'once' | 'repeated' | 'optional';

class Parser {
  position = 0;

  constructor(private readonly pattern: string) {}

  /** `a|b|c` up to the end or a closing parenthesis: one literal of each branch. */
  alternation(): string[] | undefined {
    const branches = [this.sequence()];
    while (this.pattern[this.position] === '|') {
      this.position += 1;
      branches.push(this.sequence());
    }
    if (branches.some((branch) => branch === undefined)) return undefined;
    return branches.flat() as string[];
  }

  /** A concatenation: the best of its literal runs and of its required groups. */
  private sequence(): string[] | undefined {
    const candidates: string[][] = [];
    let run = '';
    const endRun = () => {
      if (run) candidates.push([run]);
      run = '';
    };
    while (this.position < this.pattern.length && this.pattern[this.position] !== '|' && this.pattern[this.position] !== ')') {
      const item = this.atom();
      const occurrence = this.quantifier();
      if ('char' in item && occurrence === 'once') {
        run += item.char;
        continue;
      }
      // A repeated character still must occur, but no longer next to the run before it.
      endRun();
      if (occurrence === 'optional') continue;
      if ('char' in item) candidates.push([item.char]);
      else if (item.requires) candidates.push(item.requires);
    }
    endRun();
    return best(candidates);
  }

  /** One atom: zero-width assertions (`^`, `$`, `\b`) and classes require nothing, and end a literal run. */
  private atom(): Item {
    // A whole code point: a quantifier after an emoji repeats both of its UTF-16 halves.
    const char = String.fromCodePoint(this.pattern.codePointAt(this.position)!);
    this.position += char.length;
    switch (char) {
      case '(':
        return this.group();
      case '[':
        this.skipClass();
        return { requires: undefined };
      case '.':
      case '^':
      case '$':
        return { requires: undefined };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new Unsupported('a repetition of nothing');
      default:
        return { char };
    }
  }

  private group(): Item {
    if (this.pattern[this.position] === '?') {
      const named = /^\?(P?<[A-Za-z_][A-Za-z0-9_]*>|:)/.exec(this.pattern.slice(this.position));
      // Flag groups change what literals mean (case folding): leave the pattern to the engine.
      if (!named) throw new Unsupported('a flag group');
      this.position += named[0].length;
    }
    const requires = this.alternation();
    if (this.pattern[this.position] !== ')') throw new Unsupported('an unclosed group');
    this.position += 1;
    return { requires };
  }

  private escape(): Item {
    const next = this.pattern[this.position];
    if (next === undefined) throw new Unsupported('a trailing backslash');
    this.position += 1;
    if (NON_LITERAL_ESCAPES.has(next)) return { requires: undefined };
    // Escaped punctuation is that character; letters and digits are classes, codes and flags we do not read.
    if (/[!-/:-@[-`{-~]/.test(next)) return { char: next };
    throw new Unsupported(`the escape \\${next}`);
  }

  /** Past a character class: `]` first is a member, `\` escapes, `[:alpha:]` nests. */
  private skipClass(): void {
    if (this.pattern[this.position] === '^') this.position += 1;
    if (this.pattern[this.position] === ']') this.position += 1;
    while (this.position < this.pattern.length) {
      const char = this.pattern[this.position]!;
      if (char === ']') {
        this.position += 1;
        return;
      }
      if (char === '\\') this.position += 2;
      else if (this.pattern.startsWith('[:', this.position)) {
        const end = this.pattern.indexOf(':]', this.position + 2);
        if (end < 0) throw new Unsupported('an unclosed class name');
        this.position = end + 2;
      } else this.position += 1;
    }
    throw new Unsupported('an unclosed class');
  }

  /** How often the preceding atom must occur: `*`, `?` and `{0,…}` possibly never; `+` and `{n,…}` at least once. */
  private quantifier(): Occurrence {
    const rest = this.pattern.slice(this.position, this.position + 24);
    const repeat = /^\{(\d+)(,\d*)?\}/.exec(rest);
    let occurrence: Occurrence;
    if (rest[0] === '*' || rest[0] === '?') [occurrence, this.position] = ['optional', this.position + 1];
    else if (rest[0] === '+') [occurrence, this.position] = ['repeated', this.position + 1];
    // Braces that are not a repetition (`{,3}`, `{x}`) are literal characters, as in RE2.
    else if (repeat) [occurrence, this.position] = [repeat[1]!.match(/^0+$/) ? 'optional' : 'repeated', this.position + repeat[0].length];
    else return 'once';
    if (this.pattern[this.position] === '?') this.position += 1; // non-greedy: the same occurrences
    return occurrence;
  }
}

/**
 * The most selective of the candidate sets: the one whose shortest literal is longest (each candidate is
 * sufficient on its own, since every one of them is required).
 */
function best(candidates: string[][]): string[] | undefined {
  let chosen: string[] | undefined;
  let score = -1;
  for (const candidate of candidates) {
    const shortest = Math.min(...candidate.map((literal) => literal.length));
    if (shortest > score || (shortest === score && candidate.length < chosen!.length)) [chosen, score] = [candidate, shortest];
  }
  return chosen;
}
