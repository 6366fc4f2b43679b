import { describe, expect, it } from 'vitest';
import type { Mode } from '../src/render/source.js';
import { planFiles } from '../src/upgrade/files.js';

/**
 * The upgrade's promise, checked on random cases: random team edits and random template changes on
 * random lines of managed, merged and seeded files. Every team edit to lines the template did not touch
 * survives; a conflict appears only where both changed the same region; no managed-file edit disappears
 * without a warning; seeded files are never touched.
 */

/** A small deterministic generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Edit = { at: number; kind: 'replace' | 'delete' | 'insert'; text: string };

/** Edits at distinct base lines, applied from the bottom up so earlier positions stay valid. */
function apply(lines: string[], edits: Edit[]): string[] {
  const result = [...lines];
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) {
    if (edit.kind === 'replace') result[edit.at] = edit.text;
    else if (edit.kind === 'delete') result.splice(edit.at, 1);
    else result.splice(edit.at + 1, 0, edit.text);
  }
  return result;
}

function edits(next: () => number, length: number, who: string, count: number): Edit[] {
  const kinds: Edit['kind'][] = ['replace', 'delete', 'insert'];
  const used = new Set<number>();
  const list: Edit[] = [];
  while (list.length < count) {
    const at = Math.floor(next() * length);
    if (used.has(at)) continue;
    used.add(at);
    list.push({ at, kind: kinds[Math.floor(next() * 3)]!, text: `${who}-${at}-${Math.floor(next() * 1e6)}` });
  }
  return list;
}

const text = (lines: string[]): string => lines.map((line) => `${line}\n`).join('');
const CASES = 1200;
const MODES: Mode[] = ['managed', 'merged', 'seeded'];

describe('upgrade merge property', () => {
  it(`keeps every team edit over ${CASES} random cases`, () => {
    let separated = 0;
    let conflicts = 0;
    for (let seed = 1; seed <= CASES; seed += 1) {
      const next = random(seed);
      const length = 6 + Math.floor(next() * 30);
      const base = Array.from({ length }, (_, index) => `line-${index}-${Math.floor(next() * 1e6)}`);
      const mode = MODES[seed % 3]!;
      const platformEdits = edits(next, length, 'platform', 1 + Math.floor(next() * 3));
      const teamEdits = edits(next, length, 'team', Math.floor(next() * 4));
      const target = apply(base, platformEdits);
      const current = apply(base, teamEdits);
      const [outcome] = planFiles({
        base: new Map([['f', { path: 'f', content: text(base), mode }]]),
        target: [{ path: 'f', content: text(target), mode }],
        read: () => text(current),
        from: '1.0.0',
        to: '2.0.0',
      });
      const final = outcome?.content ?? text(current);
      const context = `seed ${seed} (${mode})`;
      if (mode === 'seeded') {
        expect(outcome, context).toBeUndefined();
        continue;
      }
      const teamChanged = teamEdits.length > 0;
      // Every line the team wrote is still there, whatever else happened.
      for (const edit of teamEdits) if (edit.kind !== 'delete') expect(final, context).toContain(`${edit.text}\n`);
      if (mode === 'managed' && teamChanged && outcome) expect(outcome.note, context).toMatch(/merged, not replaced/);
      // Two lines apart or more, the changes are in different regions: no conflict, and both are applied.
      const apart = teamEdits.every((team) => platformEdits.every((platform) => Math.abs(team.at - platform.at) >= 3));
      if (apart) {
        separated += 1;
        expect(outcome?.action === 'conflict', context).toBe(false);
        expect(final, context).toBe(text(apply(base, [...teamEdits, ...platformEdits])));
      } else if (outcome?.action === 'conflict') {
        conflicts += 1;
        expect(final, context).toMatch(/^<<<<<<< f \(your repository\)$/m);
        expect(final, context).toMatch(/^>>>>>>> f \(template 2\.0\.0\)$/m);
      }
    }
    // The generator must exercise both sides of the property, or it proves little.
    expect(separated).toBeGreaterThan(CASES / 5);
    expect(conflicts).toBeGreaterThan(CASES / 20);
  });
});
