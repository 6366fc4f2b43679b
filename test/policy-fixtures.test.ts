/**
 * The clean golden repositories (test/fixtures/README.md) validate with no finding at all. The cases with
 * findings are overlays on ok/service-dev-prod: test/policy-overlays.test.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepository } from '../src/validate/index.js';
import { repoRoot } from './helpers/repo.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'ok');
const now = new Date('2026-06-01T12:00:00Z');

describe('golden fixtures: repositories that must validate clean', () => {
  it.each(readdirSync(fixtures).sort())('%s has no finding', async (name) => {
    const result = await validateRepository(join(fixtures, name), { now });
    expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.policy}`)).toEqual([]);
  });
});
