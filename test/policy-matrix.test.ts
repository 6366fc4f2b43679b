import { describe, expect, it } from 'vitest';
import { validateRepository } from '../src/validate/index.js';
import { answerMatrix, generateTemp } from './helpers/repo.js';

// Every repository the generator produces must pass every central policy: the golden path is clean.
describe('generated repositories validate with zero findings', () => {
  it.each(answerMatrix().map((matrixCase) => [matrixCase.id, matrixCase] as const))('%s', async (_id, matrixCase) => {
    const result = await validateRepository(generateTemp(matrixCase.answers));
    expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.policy}: ${finding.message}`)).toEqual([]);
    // Every policy ran, so zero findings means they all looked and found nothing.
    expect(result.policies.length).toBeGreaterThanOrEqual(23);
  });
});
