import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplateSource } from '../src/render/source.js';
import { validateRepository } from '../src/validate/index.js';
import { generateTemp } from './helpers/repo.js';

/** Line and column (1-based) where `needle` starts in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

async function driftFindings(repo: string) {
  const result = await validateRepository(repo);
  return result.findings.filter((finding) => finding.policy === 'managed-file-drift');
}

// The shipped template version: managed files are rendered again from the recorded answers and compared.
describe('managed-file-drift on a repository of the shipped template version', () => {
  it('points at the first character that differs from the rendering', async () => {
    const repo = generateTemp({ name: 'drift-edit' });
    const file = join(repo, 'deploy/base/service.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('port: 80\n', 'port: 8080\n'));
    const at = positionOf(original, 'port: 80\n');
    expect(await driftFindings(repo)).toMatchObject([
      { file: 'deploy/base/service.yaml', line: at.line, column: at.column + 'port: 80'.length, message: expect.stringContaining(`differs from what template service@${loadTemplateSource().template.version} renders (expected "    port: 80")`) },
    ]);
  });

  it('points at lines added at the end', async () => {
    const repo = generateTemp({ name: 'drift-append' });
    const file = join(repo, '.github/CODEOWNERS');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}/deploy/ @acme/someone-else\n`);
    expect(await driftFindings(repo)).toMatchObject([
      { file: '.github/CODEOWNERS', line: original.split('\n').length, column: 1, message: expect.stringContaining('lines were added here') },
    ]);
  });

  it('names a deleted managed file at its entry in the generation record', async () => {
    const repo = generateTemp({ name: 'drift-delete' });
    rmSync(join(repo, '.dockerignore'));
    const record = readFileSync(join(repo, '.yo-rc.json'), 'utf8');
    const at = positionOf(record, '".dockerignore"');
    expect(await driftFindings(repo)).toMatchObject([{ file: '.yo-rc.json', line: at.line, column: at.column, message: 'managed file .dockerignore is missing: run `platform upgrade` to restore it' }]);
  });

  it('leaves seeded and merged files to the team', async () => {
    const repo = generateTemp({ name: 'drift-team' });
    writeFileSync(join(repo, 'README.md'), '# Our own README\n');
    const catalog = join(repo, 'catalog-info.yaml');
    writeFileSync(catalog, `${readFileSync(catalog, 'utf8')}# our note\n`);
    expect(await driftFindings(repo)).toEqual([]);
  });
});
