/**
 * workflow-injection measured on a corpus it was not written from (test/fixtures/injection/README.md):
 * at least 90% of the marked lines found, and no finding on any other line, safe files included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../src/validate/index.js';
import { repoRoot } from './helpers/repo.js';

const corpus = join(repoRoot, 'test', 'fixtures', 'injection');
const MARK = /(#|\/\/) injected\s*$/;

interface Case {
  name: string;
  /** Where the file sits in the repository the validator sees. */
  path: string;
  text: string;
  marked: number[];
}

function casesOf(kind: 'vulnerable' | 'safe'): Case[] {
  return readdirSync(join(corpus, kind)).sort().map((name) => {
    const text = readFileSync(join(corpus, kind, name), 'utf8');
    const path = name.endsWith('.action.yml') ? `.github/actions/${name.replace(/\.action\.yml$/, '')}/action.yml` : `.github/workflows/${name}`;
    const marked = text.split('\n').flatMap((line, index) => (MARK.test(line) ? [index + 1] : []));
    return { name: `${kind}/${name}`, path, text, marked };
  });
}

async function injectionLines(item: Case): Promise<Array<{ line: number; message: string }>> {
  const result = await validateFiles({ [item.path]: item.text });
  return result.findings.filter((finding) => finding.policy === 'workflow-injection').map(({ line, message }) => ({ line, message }));
}

describe('workflow-injection on the held-out corpus', () => {
  it('finds at least 90% of the injected lines with no false positive', async () => {
    const vulnerable = casesOf('vulnerable');
    const safe = casesOf('safe');
    let marked = 0;
    const missed: string[] = [];
    const falsePositives: string[] = [];
    for (const item of [...vulnerable, ...safe]) {
      const found = await injectionLines(item);
      const lines = new Set(found.map((finding) => finding.line));
      marked += item.marked.length;
      for (const line of item.marked) if (!lines.has(line)) missed.push(`${item.name}:${line}`);
      for (const finding of found) if (!item.marked.includes(finding.line)) falsePositives.push(`${item.name}:${finding.line} ${finding.message}`);
    }
    const recall = (marked - missed.length) / marked;
    console.log(`workflow-injection corpus: ${marked - missed.length} of ${marked} injected lines found (${(recall * 100).toFixed(1)}%) in ${vulnerable.length} vulnerable files; ${falsePositives.length} false positives over ${vulnerable.length + safe.length} files; missed: ${missed.join(', ') || 'none'}`);
    expect(vulnerable.length).toBeGreaterThanOrEqual(20);
    expect(safe.length).toBeGreaterThanOrEqual(10);
    expect(falsePositives).toEqual([]);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('says where the value comes from and how sure it is', async () => {
    const [direct] = await injectionLines(casesOf('vulnerable').find((item) => item.name.endsWith('issue-title.yml'))!);
    expect(direct!.message).toBe('"${{ github.event.issue.title }}" is untrusted input expanded into a script (confidence: high; from github.event.issue.title): pass it through env: and use "$VARIABLE"');
    const [carried] = await injectionLines(casesOf('vulnerable').find((item) => item.name.endsWith('github-env-carry.yml'))!);
    expect(carried!.message).toContain('(confidence: medium; from github.event.issue.title via $GITHUB_ENV)');
    const [input] = await injectionLines(casesOf('vulnerable').find((item) => item.name.endsWith('composite.action.yml'))!);
    expect(input!.message).toContain('(confidence: medium; from input "who" of this action, which its callers may fill with untrusted text)');
  });
});
