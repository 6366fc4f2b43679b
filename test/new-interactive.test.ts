/**
 * `platform new` with a person at a terminal: the real command in a pseudo-terminal (util-linux
 * `script`), answering each question as it appears. Headless runs are covered by new-headless.test.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, tempDir } from './helpers/repo.js';

interface Session {
  status: number | null;
  screen: string;
}

/** Runs `platform ARGS` in a terminal; `reply(question)` gives the keys to type when a question shows. */
function inTerminal(args: string[], questions: string[], reply: (question: string) => string): Promise<Session> {
  const command = [process.execPath, join(repoRoot, 'bin', 'platform.cjs'), ...args].map((arg) => `'${arg}'`).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
  let screen = '';
  let asked = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    // Each question once, in order, when its text is on the screen.
    while (asked < questions.length && screen.includes(`? ${questions[asked]}`)) child.stdin.write(reply(questions[asked++]!));
  });
  // A question that never comes (or is asked again) would wait forever: give up, with the screen so far.
  const stuck = setTimeout(() => child.kill(), 30_000);
  return new Promise((resolve) => child.on('close', (status) => {
    clearTimeout(stuck);
    resolve({ status, screen });
  }));
}

const QUESTIONS = ['Owning team', 'One-line description', 'Lifecycle in the developer portal', 'Backstage system', 'Runtime', 'Environments', 'Databases', 'Secrets', 'Generate it, or change an answer?'];

describe('platform new at a terminal', () => {
  it('asks what no option answered and takes the defaults on Enter', async () => {
    const dir = join(tempDir(), 'payments-api');
    const session = await inTerminal(['new', dir, '--runtime', 'python'], QUESTIONS.filter((q) => q !== 'Runtime'), () => '\r');
    expect(session.screen).toContain('Generated');
    expect(session.status).toBe(0);
    const manifest = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8')) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(manifest.metadata).toEqual({ name: 'payments-api', owner: 'team-platform', description: 'The payments-api service', lifecycle: 'experimental' });
    expect(manifest.spec).toMatchObject({ runtime: 'python', environments: ['dev', 'staging', 'prod'] });
  });

  it('leaves cleanly on Ctrl+C, writing nothing', async () => {
    const dir = join(tempDir(), 'payments-api');
    const session = await inTerminal(['new', dir], ['Owning team'], () => '\x03');
    expect(session.screen).toContain('platform: cancelled at the prompt: nothing was written');
    expect(session.screen).not.toContain('internal error');
    expect(session.status).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});

/**
 * `platform new` in a terminal, as a conversation: each step waits for its text to appear after the
 * previous step's, then types its keys.
 */
function converse(args: string[], steps: Array<[string, string]>): Promise<Session> {
  const command = [process.execPath, join(repoRoot, 'bin', 'platform.cjs'), ...args].map((arg) => `'${arg}'`).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });
  let screen = '';
  let from = 0;
  let step = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    for (let at = step < steps.length ? screen.indexOf(steps[step]![0], from) : -1; at >= 0; at = step < steps.length ? screen.indexOf(steps[step]![0], from) : -1) {
      from = at + steps[step]![0].length;
      child.stdin.write(steps[step++]![1]);
    }
  });
  const stuck = setTimeout(() => child.kill(), 30_000);
  return new Promise((resolve) => child.on('close', (status) => {
    clearTimeout(stuck);
    resolve({ status, screen: step < steps.length ? `${screen}\n[stuck waiting for ${JSON.stringify(steps[step]![0])}]` : screen });
  }));
}

const ENTER = '\r';
const DOWN = '\x1b[B';
/** Ctrl+U: clear the line, so a default shown at the prompt is replaced, not appended to. */
const RETYPE = (text: string): string => `\x15${text}\r`;

describe('platform new at a terminal, as a new user tries it', () => {
  it('refuses an answer at its own prompt when the organization does not offer it, naming the answer, not an option', async () => {
    const dir = join(tempDir(), 'payments-api');
    // Databases and secrets are asked only when some other question is: the description is left open.
    const session = await converse(['new', dir, '--owner', 'team-payments', '--runtime', 'node', '--environments', 'dev,prod'], [
      ['? One-line description', RETYPE('Payments')],
      ['? Lifecycle in the developer portal', ENTER],
      ['? Backstage system', ENTER],
      ['? Databases', RETYPE('main:postgres:13')],
      ['"main:postgres:13": postgres "13" is not offered (offered: 15, 16, 17)', RETYPE('main:postgres:16:backups')],
      ['? Secrets', RETYPE('key:KEY:payments/key')],
      ['? Generate it, or change an answer?', ENTER],
    ]);
    expect(session.screen).toContain('Generated');
    expect(session.status).toBe(0);
    expect(session.screen).not.toContain('--database');
    // Node's or Inquirer's warnings would show here: the deprecated `list` prompt's was on every run.
    expect(session.screen).not.toMatch(/DeprecationWarning|is deprecated|\[deprecated\]/i);
    const manifest = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8')) as { spec: { databases: unknown[] } };
    expect(manifest.spec.databases).toEqual([{ name: 'main', engine: 'postgres', version: '16', size: 'small', backups: true }]);
  });

  it('shows the answers before writing, and lets one be changed', async () => {
    const dir = join(tempDir(), 'payments-api');
    const session = await converse(['new', dir, '--runtime', 'python', '--environments', 'dev'], [
      ['? Owning team', ENTER],
      ['? One-line description', RETYPE('Card payments')],
      ['? Lifecycle in the developer portal', `${DOWN}${ENTER}`],
      ['? Backstage system', RETYPE('payments')],
      ['? Databases', ENTER],
      ['? Secrets', ENTER],
      // The choices: Generate, Change owner, ... (the questions asked at the prompts, in order).
      ['? Generate it, or change an answer?', `${DOWN}${ENTER}`],
      ['? Owning team', RETYPE('team-payments')],
      ['? Generate it, or change an answer?', ENTER],
    ]);
    expect(session.status).toBe(0);
    const summaries = session.screen.split('The repository will be generated with:').slice(1);
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toMatch(/owner +team-platform\r?\n +description +Card payments\r?\n +lifecycle +production\r?\n +system +payments\r?\n +runtime +python\r?\n +environments +dev\r?\n +databases +none/);
    expect(summaries[1]).toMatch(/owner +team-payments\r?\n +description +Card payments/);
    // Nothing is written before the person chooses to generate.
    expect(summaries[0]).not.toContain('Generated');
    const manifest = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8')) as { metadata: Record<string, unknown> };
    expect(manifest.metadata).toEqual({ name: 'payments-api', owner: 'team-payments', description: 'Card payments', lifecycle: 'production', system: 'payments' });
  });
});
