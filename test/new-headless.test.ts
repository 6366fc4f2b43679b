import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { repoRoot, tempDir } from './helpers/repo.js';

/** Every file of a tree with its bytes, for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string, prefix: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(current, entry.name), path);
      else files[path] = readFileSync(join(current, entry.name), 'utf8');
    }
  };
  walk(dir, '');
  return files;
}

const FULL = ['--name', 'payments-api', '--owner', 'team-payments', '--description', 'Card payments API', '--runtime', 'node',
  '--environments', 'dev,staging,prod', '--database', 'main:postgres:16:backups', '--secret', 'stripe-api-key:STRIPE_API_KEY:payments/stripe',
  '--secret', 'sentry-dsn:SENTRY_DSN:payments/sentry'];

describe('platform new, headless', () => {
  const work = tempDir();

  it('generates a complete repository from options alone, with no terminal', () => {
    const target = join(work, 'from-options');
    const run = platform(['new', target, ...FULL]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const manifest = readFileSync(join(target, 'platform.yaml'), 'utf8');
    expect(manifest).toMatch(/^# yaml-language-server: \$schema=/);
    expect(manifest).toContain('name: payments-api');
    expect(manifest).toContain('env: STRIPE_API_KEY');
    const record = JSON.parse(readFileSync(join(target, '.yo-rc.json'), 'utf8'))['generator-platform'];
    expect(record.template).toEqual({ name: 'service', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(record.answers.metadata.name).toBe('payments-api');
    expect(record.files['.github/CODEOWNERS'].mode).toBe('managed');
    expect(record.files['platform.yaml'].mode).toBe('seeded');
    expect(Object.keys(record.files).length).toBeGreaterThan(10);
  });

  it('takes the service name from the folder when --name is not given', () => {
    const target = join(work, 'orders-api');
    const run = platform(['new', target, ...FULL.slice(2)]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(join(target, 'platform.yaml'), 'utf8')).toContain('name: orders-api');
  });

  it('gives the same bytes for the same answers', () => {
    const a = join(work, 'same-a');
    const b = join(work, 'same-b');
    expect(platform(['new', a, ...FULL]).status).toBe(0);
    expect(platform(['new', b, ...FULL]).status).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('regenerates the same repository from its own platform.yaml (--manifest)', () => {
    const original = join(work, 'from-options');
    const again = join(work, 'from-manifest');
    const run = platform(['new', again, '--manifest', join(original, 'platform.yaml')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(snapshot(again)).toEqual(snapshot(original));
  });

  it('names the missing option when an answer is missing and there is no terminal', () => {
    const target = join(work, 'missing');
    const run = platform(['new', target, '--runtime', 'node']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('platform: missing --owner, --description, --environments: no terminal to ask on; pass them as options, or --defaults\n');
    const unnamed = platform(['new', join(work, 'Not A Name'), ...FULL.slice(2)]);
    expect(unnamed.stderr).toBe('platform: missing --name: no terminal to ask on; pass it as options, or --defaults\n');
    expect(existsSync(target)).toBe(false);
  });

  it('lists every option in --help', () => {
    const help = platform(['new', '--help']).stdout;
    for (const option of ['--name', '--owner', '--description', '--runtime', '--environments', '--database', '--secret', '--defaults', '--manifest', '--force']) {
      expect(help).toContain(option);
    }
  });

  it.each([
    ['a command substitution', '--name', 'a$(touch /tmp/pwned)', '--name'],
    ['a workflow expression', '--name', '${{ github.event.issue.title }}', '--name'],
    ['a path out of the folder', '--name', '../escape', '--name'],
    ['a newline', '--name', 'svc\nkind: Secret', '--name'],
    ['YAML syntax', '--name', 'svc: {a: b}', '--name'],
    ['300 characters', '--name', 'a'.repeat(300), '--name'],
    ['an owner with a shell', '--owner', 'team;rm -rf /', '--owner'],
    ['a description with an expression', '--description', 'hi ${{ secrets.TOKEN }}', '--description'],
    ['a secret path with ..', '--secret', 'key:KEY:payments/../../root', '--secret'],
    ['a secret variable with a shell', '--secret', 'key:$(id):payments/key', '--secret'],
    ['an unknown runtime', '--runtime', 'cobol', '--runtime'],
    ['an unknown environment', '--environments', 'dev,moon', '--environments'],
    ['a database name with YAML', '--database', 'a: b:postgres', '--database'],
  ])('rejects %s with a message naming the field, and writes nothing', (_what, option, value, named) => {
    const target = join(work, `bad-${option.slice(2)}-${Math.random().toString(36).slice(2)}`);
    const run = platform(['new', target, '--defaults', option, value]);
    expect(run.status).toBe(2);
    expect(run.stderr.startsWith(`platform: ${named}`)).toBe(true);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(work).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });

  it('rejects names that together would exceed a DNS label in Kubernetes', () => {
    const target = join(work, 'long-names');
    const run = platform(['new', target, '--defaults', '--name', `s${'a'.repeat(53)}`, '--database', 'maindatabase:postgres']);
    expect(run.status).toBe(2);
    const service = `s${'a'.repeat(53)}-maindatabase-rw`;
    expect(run.stderr).toBe(`platform: --database: spec.databases.0.name: "${service}" (the database's Service) would be over 63 characters: shorten the service or database name\n`);
    expect(existsSync(target)).toBe(false);
  });

  it('rejects a bad platform.yaml given with --manifest, naming the file and line', () => {
    const manifest = join(work, 'bad-platform.yaml');
    writeFileSync(manifest, readFileSync(join(work, 'from-options', 'platform.yaml'), 'utf8').replace('name: payments-api', 'name: "Payments API"'));
    const target = join(work, 'bad-manifest');
    const run = platform(['new', target, '--manifest', manifest]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^platform: ${manifest.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8:9: metadata\\.name: `));
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a folder that is not empty unless --force, and then keeps the other files', () => {
    const target = join(work, 'occupied');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine\n');
    const refused = platform(['new', target, '--defaults']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is not empty; pass --force');
    expect(readdirSync(target)).toEqual(['notes.txt']);
    const forced = platform(['new', target, '--defaults', '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(target, 'platform.yaml'))).toBe(true);
  });

  it('leaves no partial tree when rendering fails', () => {
    const templates = join(work, 'broken-templates');
    cpSync(join(repoRoot, 'templates'), templates, { recursive: true });
    writeFileSync(join(templates, 'service', 'files', 'zz-broken.txt'), '<%= notDefined.anywhere %>\n');
    const target = join(work, 'never');
    const run = platform(['new', target, '--defaults', '--source', templates]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/zz-broken\.txt: template failed: /);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(work).filter((entry) => entry.startsWith('.never'))).toEqual([]);
  });

  it('names the service after a folder that is not a valid name by making it one, and says so', () => {
    const target = join(work, 'Bad_Name');
    const run = platform(['new', target, '--defaults']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('platform: "Bad_Name" is not a service name (a DNS-1123 label): the service is named "bad-name"; pass --name to choose another\n');
    expect(readFileSync(join(target, 'platform.yaml'), 'utf8')).toContain('  name: bad-name\n');
  });

  it('refuses --defaults when no name can be made of the folder, naming --name', () => {
    const target = join(work, '___');
    const run = platform(['new', target, '--defaults']);
    expect(run.stderr).toBe('platform: --defaults: no service name can be made of the folder\'s name "___": pass --name\n');
    expect(run.status).toBe(2);
    expect(existsSync(target)).toBe(false);
  });
});
