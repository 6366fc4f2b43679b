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

const QUESTIONS = ['Owning team', 'One-line description', 'Lifecycle in the developer portal', 'Backstage system', 'Runtime', 'Environments', 'Databases', 'Secrets'];

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
