/**
 * A report prints names and messages it did not write. A file named `a\n::error file=...` must not
 * become a workflow command in a GitHub Actions log, and an ESC must not repaint the terminal: in every
 * format the name stays on its line, its control characters shown as escapes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { generateTemp } from './helpers/repo.js';

const HOSTILE = 'notes\n::error file=README.md,line=1::owned\u001b[2J';

describe('file names with control characters', () => {
  const repo = generateTemp();
  mkdirSync(join(repo, 'deploy', 'extra'), { recursive: true });
  // A workload that breaks a policy, in a file whose name carries a line break, a workflow command and an ESC.
  writeFileSync(join(repo, 'deploy', 'extra', `${HOSTILE}.yaml`), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  STRIPE_API_KEY: sk_live_0123456789abcdef\n');

  for (const format of ['text', 'junit', 'markdown', 'github', 'json', 'sarif']) {
    it(`stay on one line, escaped, in ${format}`, () => {
      const run = platform(['validate', repo, '--format', format]);
      expect(run.status).toBe(1);
      expect(run.stdout).not.toContain('\u001b');
      for (const line of run.stdout.split('\n')) expect(line.trimStart().startsWith('::error file=README.md'), line).toBe(false);
      // SARIF names files by URI, percent-encoded; every other format names the file as it is, escaped.
      if (format !== 'sarif') expect(run.stdout.split('\n').some((line) => /notes(\\n|%0A)/.test(line)), 'the finding names the file').toBe(true);
    });
  }

  it('reads as the escaped name in text', () => {
    const run = platform(['validate', repo]);
    expect(run.stdout).toContain('deploy/extra/notes\\n::error file=README.md,line=1::owned\\u001b[2J.yaml');
  });
});
