/**
 * The nesting estimate runs before the YAML parser on every file: it must stop a hostile file early and
 * never stop a real one (scripts full of brackets and quotes, long flow lists, block scalars).
 */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, excessiveNesting } from '../src/validate/nesting.js';

describe('excessiveNesting', () => {
  it('lets real configuration through', () => {
    const script = Array.from({ length: 300 }, (_, i) => `      if [ -f "x${i}" ]; then echo "[[[{{{ it's ${i}"; fi  # [ comment`).join('\n');
    const workflow = `jobs:\n  build:\n    steps:\n      - run: |\n${script}\n`;
    const flow = `items: [${Array.from({ length: 5000 }, (_, i) => `{ a: [${i}] }`).join(', ')}]\n`;
    const words = `note: a[0] b{1} it's "quoted [" 'single [[[' and more\n`.repeat(500);
    for (const text of [workflow, flow, words]) expect(excessiveNesting(text)).toBeUndefined();
  });

  it('stops at the first level beyond the limit, in flow and block style', () => {
    const flow = `a: ${'['.repeat(MAX_NESTING + 5)}`;
    // The key `a` is the first level: its 100th bracket is the 101st.
    expect(excessiveNesting(flow)).toBe(3 + MAX_NESTING - 1);
    let block = '';
    for (let depth = 0; depth <= MAX_NESTING; depth += 1) block += `${' '.repeat(depth)}k:\n`;
    expect(excessiveNesting(block)).toBe(block.lastIndexOf('\n', block.length - 2) + 1);
    expect(excessiveNesting(`${'- '.repeat(MAX_NESTING + 1)}x\n`)).toBe(0);
  });
});
