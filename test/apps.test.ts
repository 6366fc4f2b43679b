import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, startPostgres, type TestPostgres } from './helpers/postgres.js';
import { pythonWithRequirements } from './helpers/python.js';
import { generateTemp, repoRoot } from './helpers/repo.js';

/**
 * The generated apps, run for real: their own test suites as a team runs them (each runtime, without and
 * with a database; python in a venv of its pinned requirements), then the production servers themselves
 * (node, gunicorn) against a real PostgreSQL 15, up, refusing the password, and stopped.
 */

const MAIN = { name: 'main', engine: 'postgres' as const, version: '16' };

interface Run {
  code: number | null;
  output: string;
}

/** Run a command to its end, with an environment that carries no database URL of the machine's own. */
function runIn(dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const { MAIN_DATABASE_URL: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** `pg` resolves offline from the project's own node_modules, as if the team had run npm install. */
function linkNodeModules(dir: string): void {
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

describe.each([
  { id: 'node without a database', databases: [] },
  { id: 'node with a database', databases: [MAIN] },
])('the generated app passes its own tests: $id', ({ databases }) => {
  test('npm test', async () => {
    const dir = generateTemp({ runtime: 'node', databases });
    linkNodeModules(dir);
    const run = await runIn(dir, 'npm', ['test']);
    expect(run.code, run.output).toBe(0);
    // node's test runner closes with its counts (TAP "# pass 9" or spec "ℹ pass 9").
    const passed = Number(/^(?:# |ℹ )pass (\d+)$/m.exec(run.output)?.[1] ?? 0);
    expect(passed, run.output).toBeGreaterThanOrEqual(13);
    expect(run.output).toMatch(/^(?:# |ℹ )fail 0$/m);
    expect(run.output).toMatch(/(?:ok \d+ - |✔ )under load, SIGTERM loses no request/);
  });
});

/**
 * One venv for the python cases, from the pinned requirements of a project with a database (gunicorn and
 * psycopg; a project without one pins gunicorn alone, at the same version). Made on first use.
 */
let venvPython: string | undefined;
function python(): string {
  venvPython ??= pythonWithRequirements(join(generateTemp({ runtime: 'python', databases: [MAIN] }), 'requirements.txt'));
  return venvPython;
}

describe.each([
  { id: 'python without a database', databases: [] },
  { id: 'python with a database', databases: [MAIN] },
])('the generated app passes its own tests: $id', ({ databases }) => {
  beforeAll(() => void python(), 300_000);

  test('python -m unittest discover -s tests, in a venv of its requirements', async () => {
    const dir = generateTemp({ runtime: 'python', databases });
    const run = await runIn(dir, python(), ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], { PYTHONDONTWRITEBYTECODE: '1' });
    expect(run.code, run.output).toBe(0);
    const ran = Number(/^Ran (\d+) tests? in /m.exec(run.output)?.[1] ?? 0);
    expect(ran, run.output).toBeGreaterThanOrEqual(15);
    expect(run.output).toMatch(/^OK$/m);
    // The shutdown tests ran, against gunicorn itself.
    expect(run.output).toMatch(/test_under_load_sigterm_loses_no_request .* ok$/m);
  });

  test('python -m unittest, with no arguments, finds the same tests', async () => {
    const dir = generateTemp({ runtime: 'python', databases });
    const run = await runIn(dir, python(), ['-m', 'unittest'], { PYTHONDONTWRITEBYTECODE: '1' });
    expect(run.code, run.output).toBe(0);
    expect(Number(/^Ran (\d+) tests? in /m.exec(run.output)?.[1] ?? 0), run.output).toBeGreaterThanOrEqual(15);
  });
});

interface RunningApp {
  base: string;
  child: ChildProcess;
  /** Send SIGTERM and wait: the exit code (0 when it shut down cleanly). */
  stop(): Promise<number | null>;
}

const running: RunningApp[] = [];
afterAll(async () => {
  await Promise.all(running.map((app) => app.stop()));
});

/** Start a generated server as the container does, on a free port given in PORT; resolves once it listens. */
async function startApp(dir: string, command: string, args: string[], env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), SERVICE_NAME: 'svc', ENVIRONMENT: 'test', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let log = '';
  child.stderr!.on('data', (chunk) => (log += chunk));
  const listening = new Promise<void>((resolve, reject) => {
    // Keep reading after "listening" so that the app's log never fills the pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log += `${line}\n`;
      if (/"message": ?"listening"/.test(line)) resolve();
    });
    void exited.then(() => reject(new Error(`the app exited before listening:\n${log}`)));
  });
  await listening;
  const app: RunningApp = {
    base: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
  running.push(app);
  return app;
}

async function get(base: string, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

/** What a client sees of a failed check: the database named, one line of reason, no password. */
function expectCleanFailure(body: any, password: string): void {
  expect(body.status).toBe('unavailable');
  expect(body.checks.main.status).toBe('fail');
  expect(body.checks.main.reason).toMatch(/^[^\n]{3,300}$/);
  expect(JSON.stringify(body)).not.toContain(password);
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.js:\d+|Traceback/);
}

const servers = {
  node: { args: () => [process.execPath, 'src/main.js'] },
  python: { args: () => [python(), '-m', 'gunicorn', '--config', 'gunicorn.conf.py', 'app.wsgi:application'] },
};

describe.each(['node', 'python'] as const)('the generated %s app against a real PostgreSQL 15', (runtime) => {
  let postgres: TestPostgres | undefined;
  let dir: string;
  let command: string[];
  beforeAll(async () => {
    dir = generateTemp({ runtime, databases: [MAIN] });
    if (runtime === 'node') linkNodeModules(dir);
    command = servers[runtime].args();
    postgres = await startPostgres();
  }, 300_000);
  // Even when a test fails: no server is left running.
  afterAll(() => postgres?.destroy());

  const start = (url: string) => startApp(dir, command[0]!, command.slice(1), { MAIN_DATABASE_URL: url });

  test('a wrong password is a clean 503', async () => {
    const app = await start(postgres!.url({ password: 'wrong-password' }));
    const { status, body } = await get(app.base, '/readyz');
    expect(status).toBe(503);
    expectCleanFailure(body, 'wrong-password');
    expect(body.checks.main.reason).toMatch(/password authentication failed/);
    expect(await app.stop()).toBe(0);
  });

  test('ready while the database answers, a clean 503 once it is down, and alive throughout', async () => {
    const app = await start(postgres!.url());
    expect(await get(app.base, '/readyz')).toEqual({ status: 200, body: { status: 'ok', checks: { main: { status: 'ok' } } } });

    postgres!.stop();
    const { status, body } = await get(app.base, '/readyz');
    expect(status).toBe(503);
    expectCleanFailure(body, postgres!.password);
    expect(body.checks.main.reason).toMatch(/refused|failed|closed|terminat/i);
    expect(await get(app.base, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(app.child.exitCode).toBeNull();
    expect(await app.stop()).toBe(0);
  });
});
