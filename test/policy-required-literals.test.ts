/**
 * The literal prefilter in front of RE2 (src/policy/required-literals.ts) may only ever rule out texts
 * RE2 would not match: checked here against RE2 itself, on the central policies' patterns and on
 * patterns built to exercise each construct, over many generated texts.
 */
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { linearRegExp } from '../src/policy/linear-regexp.js';
import { mayMatch, requiredLiterals } from '../src/policy/required-literals.js';

const SECRET_PATTERNS = [
  '-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----',
  '\\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\\b',
  '\\bgithub_pat_[A-Za-z0-9_]{22,255}',
  '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b',
  '\\bxox[abposr]-[A-Za-z0-9-]{10,250}',
];

describe('requiredLiterals', () => {
  it.each([
    ['-----BEGIN ((RSA|EC) )?PRIVATE KEY( BLOCK)?-----', ['-----BEGIN ']],
    ['\\b(ghp|gho)_[A-Za-z0-9]{36}\\b', ['ghp', 'gho']],
    ['github\\.event\\.(issue|pull_request)\\.(title|body)', ['github.event.']],
    ['(PASSWORD|API_?KEY)$', ['PASSWORD', 'API']],
    ['git checkout [^\\n]{0,200}github\\.head_ref', ['github.head_ref']],
    ['(?:foo|bar)+baz', ['baz']],
    ['(?:foo|bar)+ba', ['foo', 'bar']],
    ['(?P<word>abc)d', ['abc']],
    ['[]abc]xyz', ['xyz']],
    ['[[:alpha:]]xyz', ['xyz']],
    ['ab{2}cde', ['cde']],
    ['abc{,2}', ['abc{,2}']],
  ])('%s needs one of %j', (pattern, literals) => {
    expect(requiredLiterals(pattern)).toEqual(literals);
  });

  it.each([
    ['(?i)secret', 'flags change what a literal matches'],
    ['\\Qa.b\\E', 'quoting is not read'],
    ['\\x41BCD', 'hex escapes are not read'],
    ['abc|d', 'one branch has no useful literal'],
    ['(abc)?def?', 'everything long enough is optional'],
    ['^v[0-9]+(\\.[0-9]+){0,2}$', 'no literal of three characters'],
    ['a{0}bcd|', 'an empty branch matches anything'],
  ])('%s gives no guarantee: %s', (pattern) => {
    expect(requiredLiterals(pattern)).toBeUndefined();
  });
});

/** A small deterministic generator: the same texts on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Texts made of pieces of the pattern and of some of its matches, so that many of them match. */
function textsFor(pattern: string, samples: string[], count: number): string[] {
  const next = random(pattern.length * 7919);
  const pieces = [...pattern.split(/\\.|[()|[\]{}?*+^$]/), ...pattern, ...samples, ...samples.map((sample) => sample.slice(1))];
  pieces.push(' ', '\n', '_', 'x', '0');
  const usable = [...new Set(pieces)].filter(Boolean);
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * 8);
    for (let i = 0; i < length; i += 1) text += usable[Math.floor(next() * usable.length)];
    return text;
  });
}

describe('the prefilter never hides a match', () => {
  const cases: Array<[string, string[]]> = [
    [SECRET_PATTERNS[0]!, ['-----BEGIN PRIVATE KEY-----', '-----BEGIN EC PRIVATE KEY BLOCK-----']],
    [SECRET_PATTERNS[1]!, [`ghs_${'Ab9'.repeat(12)}`]],
    [SECRET_PATTERNS[2]!, [`github_pat_${'x'.repeat(30)}`]],
    [SECRET_PATTERNS[3]!, ['AKIAABCDEFGHIJKLMNOP']],
    [SECRET_PATTERNS[4]!, ['xoxb-1234567890-abc']],
    ['a+bcd', ['aabcd']],
    ['(ab)+cde', ['ababcde']],
    ['xy(abc|bcd)z', ['xybcdz']],
    ['abc?de', ['abde', 'abcde']],
    ['(?:foo|bar)baz', ['barbaz']],
    ['foo\\.bar|qux', ['foo.bar', 'qux']],
    ['a*?bcd', ['bcd']],
    ['[]a]bcd', [']bcd']],
    ['abc{,2}', ['abc{,2}']],
    ['ab{1,3}cd', ['abbbcd']],
    ['\\bword\\b', ['a word.']],
    ['(a|b)(c|d)efg', ['bcefg']],
    ['abc😀?', ['abc', 'abc😀']],
    ['token=🔑*[A-Z]{4}', ['token=ABCD', 'token=🔑🔑WXYZ']],
  ];

  it.each(cases)('%s', (pattern, samples) => {
    const literals = requiredLiterals(pattern);
    const engine = RE2JS.compile(pattern);
    let matched = 0;
    for (const text of textsFor(pattern, samples, 4000)) {
      if (!engine.matcher(text).find()) continue;
      matched += 1;
      expect(mayMatch(literals, text), JSON.stringify(text)).toBe(true);
    }
    // The texts exercise the property: a good share of them match.
    expect(matched).toBeGreaterThan(50);
  });

  it('secrets are still found through the prefilter', () => {
    const token = `ghp_${'a1B2'.repeat(9)}`;
    const text = `first line\nexport TOKEN=${token}\n-----BEGIN RSA PRIVATE KEY-----\n`;
    expect([...linearRegExp(SECRET_PATTERNS[1]!).matches(text)]).toEqual([{ index: text.indexOf(token), length: token.length }]);
    expect(linearRegExp(SECRET_PATTERNS[0]!).test(text)).toBe(true);
    expect(linearRegExp(SECRET_PATTERNS[0]!).test('-----BEGIN PUBLIC KEY-----')).toBe(false);
  });
});
