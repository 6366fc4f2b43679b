import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policiesDir } from '../src/core/paths.js';
import { loadPolicies } from '../src/policy/load.js';
import { loadSettings } from '../src/settings/settings.js';
import { validateRepository } from '../src/validate/index.js';
import { repoRoot } from './helpers/repo.js';
import { expectedOf, overlayCases } from './helpers/overlays.js';

const fixtures = join(repoRoot, 'test', 'fixtures');
const now = new Date('2026-06-01T12:00:00Z');
const cases = (kind: 'ok' | 'err') => readdirSync(join(fixtures, kind)).sort();

async function findingsOf(dir: string): Promise<string[]> {
  const result = await validateRepository(dir, { now });
  return result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.policy}`);
}

describe('golden fixtures: repositories that must validate clean', () => {
  it.each(cases('ok'))('%s has no finding', async (name) => {
    expect(await findingsOf(join(fixtures, 'ok', name))).toEqual([]);
  });
});

describe('golden fixtures: repositories with exactly the expected findings', () => {
  it.each(cases('err'))('%s', async (name) => {
    const dir = join(fixtures, 'err', name);
    const expected = readFileSync(join(dir, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
    expect(await findingsOf(dir)).toEqual(expected);
  });

  it('has a case for every policy (here or among the overlays), each naming its policy among its findings', () => {
    const ids = loadPolicies([policiesDir], loadSettings()).map((policy) => policy.id);
    const covered = new Set([
      ...cases('err').flatMap((name) => readFileSync(join(fixtures, 'err', name, 'expected.txt'), 'utf8').split('\n').filter(Boolean).map((line) => line.split(' ')[1])),
      ...overlayCases().flatMap((name) => expectedOf(name).map((line) => /\[([a-z0-9-]+)\]$/.exec(line)![1])),
    ]);
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
    for (const name of cases('err')) if (ids.includes(name)) expect(readFileSync(join(fixtures, 'err', name, 'expected.txt'), 'utf8')).toContain(` ${name}\n`);
    for (const name of overlayCases()) if (ids.includes(name)) expect(expectedOf(name).some((line) => line.endsWith(`[${name}]`))).toBe(true);
  });
});
