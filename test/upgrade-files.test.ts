import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../src/render/render.js';
import type { Mode } from '../src/render/source.js';
import { planFiles } from '../src/upgrade/files.js';

const lines = (...rows: string[]): string => rows.map((row) => `${row}\n`).join('');
const file = (path: string, content: string, mode: Mode): RenderedFile => ({ path, content, mode });

/** One file through the plan: what the old version rendered, what the team has, what the new one renders. */
function planOne(mode: Mode, base: string | undefined, current: string | undefined, target: string | undefined) {
  const outcomes = planFiles({
    base: new Map(base === undefined ? [] : [['f', file('f', base, mode)]]),
    target: target === undefined ? [] : [file('f', target, mode)],
    read: () => current,
    from: '1.0.0',
    to: '2.0.0',
  });
  return outcomes[0];
}

describe('the per-mode merge plan', () => {
  const base = lines('a', 'b', 'c', 'd', 'e');
  const platform = lines('a', 'B', 'c', 'd', 'e');
  const team = lines('a', 'b', 'c', 'd', 'E');

  it.each<[string, Mode, string | undefined, string | undefined, string | undefined, string | undefined, string | undefined]>([
    // name, mode, base, current, target, expected action, expected content
    ['managed, untouched: replaced', 'managed', base, base, platform, 'updated', platform],
    ['managed, edited: merged, the edit kept', 'managed', base, team, platform, 'merged', lines('a', 'B', 'c', 'd', 'E')],
    ['managed, deleted: restored', 'managed', base, undefined, platform, 'added', platform],
    ['merged, untouched: replaced', 'merged', base, base, platform, 'updated', platform],
    ['merged, edited elsewhere: merged', 'merged', base, team, platform, 'merged', lines('a', 'B', 'c', 'd', 'E')],
    ['merged, deleted, template unchanged: stays deleted', 'merged', base, undefined, base, undefined, undefined],
    ['seeded, edited: never touched', 'seeded', base, team, platform, undefined, undefined],
    ['seeded, deleted: stays deleted', 'seeded', base, undefined, platform, undefined, undefined],
    ['new template file: added', 'merged', undefined, undefined, platform, 'added', platform],
    ['new seeded file over a team file: the team file kept', 'seeded', undefined, team, platform, 'kept', undefined],
    ['dropped, unchanged: removed', 'managed', base, base, undefined, 'removed', undefined],
    ['dropped, edited: kept', 'merged', base, team, undefined, 'kept', undefined],
    ['template unchanged, team edited: nothing to do', 'merged', base, team, base, undefined, undefined],
  ])('%s', (_name, mode, before, current, target, action, content) => {
    const outcome = planOne(mode, before, current, target);
    expect(outcome?.action).toBe(action);
    expect(outcome?.content).toBe(content);
  });

  it('marks a conflict with diff3 markers whose labels say which version is which', () => {
    const outcome = planOne('merged', base, lines('a', 'ours', 'c', 'd', 'e'), platform)!;
    expect(outcome.action).toBe('conflict');
    expect(outcome.content).toBe(
      lines('a', '<<<<<<< f (your repository)', 'ours', '||||||| f (template 1.0.0)', 'b', '=======', 'B', '>>>>>>> f (template 2.0.0)', 'c', 'd', 'e'),
    );
  });

  it('warns when a managed file was edited, so the edit is never overwritten in silence', () => {
    expect(planOne('managed', base, team, platform)!.note).toMatch(/managed file was edited.*merged, not replaced/);
  });

  it('merges a new template file with a team file at its path instead of overwriting it', () => {
    const outcome = planOne('managed', undefined, lines('team'), lines('platform'))!;
    expect(outcome.action).toBe('conflict');
    expect(outcome.content).toContain('team\n');
    expect(outcome.content).toContain('platform\n');
  });

  it('says so when a file the team owned (seeded) is managed from this version on', () => {
    const outcome = planFiles({
      base: new Map([['f', file('f', base, 'seeded')]]),
      target: [file('f', platform, 'managed')],
      read: () => team,
      from: '1.0.0',
      to: '2.0.0',
    })[0]!;
    expect(outcome.action).toBe('merged');
    expect(outcome.content).toBe(lines('a', 'B', 'c', 'd', 'E'));
    expect(outcome.note).toMatch(/was yours \(seeded\) and is managed by the platform from this version/);
  });

  it('never plans platform.yaml or the record: the caller owns them', () => {
    const outcomes = planFiles({
      base: new Map([['platform.yaml', file('platform.yaml', 'a\n', 'seeded')]]),
      target: [file('platform.yaml', 'b\n', 'seeded'), file('.yo-rc.json', '{}\n', 'managed')],
      read: () => 'c\n',
      from: '1.0.0',
      to: '2.0.0',
    });
    expect(outcomes).toEqual([]);
  });
});
