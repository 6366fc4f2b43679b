/**
 * Golden cases as overlays (test/fixtures/overlays/README.md): each case is the few files it adds to one
 * clean repository, test/fixtures/ok/service-dev-prod, and an expected.txt of every finding the validator
 * must then report, as `file:line:column: message [policy]` (actionlint's testdata shape).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepository } from '../src/validate/index.js';
import { repoRoot } from './helpers/repo.js';
import { expectedOf, overlayCases, overlaysDir } from './helpers/overlays.js';
import { copyRepository } from './helpers/tree.js';
import { readTree, writeTree } from './helpers/trees.js';

const base = join(repoRoot, 'test', 'fixtures', 'ok', 'service-dev-prod');
const now = new Date('2026-06-01T12:00:00Z');

describe('golden overlays on one clean repository', () => {
  it.each(overlayCases())('%s', async (name) => {
    const { 'expected.txt': _expected, ...files } = readTree(join(overlaysDir, name));
    const repo = copyRepository(base);
    writeTree(repo, files);
    const result = await validateRepository(repo, { now });
    expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.policy}]`)).toEqual(expectedOf(name));
  });
});
