import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';

/**
 * The generated README as the developer reads it first: the next steps in the order they are done, true for
 * this repository, and still true after `platform add` re-renders it, with what the team wrote kept.
 */

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

function generate(args: string[]): string {
  const dir = join(tempDir('platform-readme-'), 'svc');
  const run = platform(['new', dir, '--defaults', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return dir;
}

/** The README's sections by heading (## level), in order. */
function sections(readme: string): Map<string, string> {
  const parts = readme.split(/^## /m).slice(1);
  return new Map(parts.map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1)]));
}

/** The numbered steps: "1. Title" for each `N. **Title**` at the start of a line. */
function steps(text: string): string[] {
  return [...text.matchAll(/^(\d+)\. \*\*([^*]+)\*\*/gm)].map(([, number, title]) => `${number}. ${title}`);
}

describe('a new repository', () => {
  test('the README opens with the next steps, in the order they are done', () => {
    const dir = generate(['--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe']);
    const readme = sections(read(dir, 'README.md'));
    expect([...readme.keys()][0]).toBe('Next steps');
    const next = readme.get('Next steps')!;
    expect(steps(next)).toEqual(['1. Create the GitHub repository', '2. Store each secret', '3. Protect the production environment', '4. Deploy for the first time']);
    expect(next).toContain('git remote add origin https://github.com/acme/svc.git');
    expect(next).toContain('secret store `acme-vault`');
    expect(next).toContain('| `STRIPE_API_KEY` | `value` | `dev/payments/stripe` | `staging/payments/stripe` | `prod/payments/stripe` |');
    expect(next).toMatch(/create `prod`\s+now, add `@acme\/team-platform` as required reviewers/);
    expect(next).toMatch(/promotes its tag to `dev`, then on through dev → staging → prod/);
  });

  test('with no secret and no production environment, those steps say there is nothing to do', () => {
    const next = sections(read(generate(['--environments', 'dev']), 'README.md')).get('Next steps')!;
    expect(steps(next)).toEqual(['1. Create the GitHub repository', '2. Store the secrets', '3. Protect the production environment', '4. Deploy for the first time']);
    expect(next).toMatch(/Store the secrets\*\* in the secret store `acme-vault`: none yet/);
    expect(next).toMatch(/none of this repository's environments \(dev\) is\s+production/);
  });

  test('the README says how to get the platform command without claiming the public registry has it', () => {
    const readme = read(generate([]), 'README.md');
    expect(readme).not.toContain('npx -p generator-platform');
    expect(readme).toContain('not on the public\nnpm registry');
    expect(readme).toContain('`npm install --global git+https://github.com/acme/generator-platform.git#v1`');
  });
});

describe('after platform add', () => {
  test('a database and a secret reach the README, and the section the team added is kept', () => {
    const dir = generate([]);
    appendFileSync(join(dir, 'README.md'), '\n## On call\n\nPage #payments-oncall first.\n');
    for (const args of [['database', 'main:postgres'], ['secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe']]) {
      const run = platform(['add', ...args, '--dir', dir]);
      expect(run.status, run.stderr + run.stdout).toBe(0);
    }
    const text = read(dir, 'README.md');
    const readme = sections(text);
    expect(steps(readme.get('Next steps')!)[1]).toBe('2. Store each secret');
    expect(readme.get('Next steps')).toContain('| `STRIPE_API_KEY` | `value` | `dev/payments/stripe` | `staging/payments/stripe` | `prod/payments/stripe` |');
    expect(readme.get('Databases')).toMatch(/^\| `main` \| 16 \| small \| production only \| `svc-main` \| `MAIN_DATABASE_URL` \|$/m);
    expect(readme.get('Secrets')).toContain('| `stripe-api-key` | `STRIPE_API_KEY` | `payments/stripe` |');
    expect(readme.get('Run and test it locally')).toMatch(/`MAIN_DATABASE_URL`, `STRIPE_API_KEY`\./);
    expect(readme.get('On call')).toBe('\nPage #payments-oncall first.\n');
    expect(text).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
    const check = platform(['check', dir]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});
