import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer as createHttpServer, request } from 'node:http';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { gracefulShutdown, shutdownTimes } from '../src/shutdown.js';

const main = fileURLToPath(new URL('../src/main.js', import.meta.url));

/** Start the real entry point on a free port; resolves once it listens. */
async function startMain(env = {}) {
  const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const port = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line);
      if (entry.message === 'listening') resolve(entry.port);
    });
    exited.then(() => reject(new Error('the server exited before listening')));
  });
  return { child, port, exited };
}

/** One GET; resolves to { status, body, connection } or to { error }: it never rejects. */
function get(port, path, agent) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text), connection: res.headers.connection }));
      res.on('error', (error) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

/** Resolves once `list` has an item, or after `ms`. */
async function firstOf(list, ms) {
  for (const end = Date.now() + ms; list.length === 0 && Date.now() < end; ) await sleep(10);
  return list;
}

test('the server listens on PORT and stops cleanly on SIGTERM', async () => {
  const app = await startMain();
  assert.equal((await get(app.port, '/healthz')).status, 200);
  app.child.kill('SIGTERM');
  const [code, signal] = await app.exited;
  assert.deepEqual({ code, signal }, { code: 0, signal: null });
});

test('under load, SIGTERM loses no request: readiness fails, serving goes on, then the server drains and exits', async () => {
  const app = await startMain({ SHUTDOWN_DELAY_SECONDS: '1' });
  const stopBy = Date.now() + 10_000;
  // Clients on kept-alive connections, as a load balancer holds them, sending while the pod is routed to.
  let routed = true;
  const results = [];
  const agents = Array.from({ length: 8 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const clients = agents.map(async (agent) => {
    while (routed && Date.now() < stopBy) results.push(await get(app.port, '/', agent));
  });
  // The readiness probe, and the endpoint update that follows its failure a little later.
  const probe = (async () => {
    while (Date.now() < stopBy) {
      const { body } = await get(app.port, '/readyz');
      if (body?.status === 'shutting down') break;
      await sleep(20);
    }
    await sleep(200);
    routed = false;
  })();
  await sleep(300);
  const before = results.length;
  app.child.kill('SIGTERM');
  await Promise.all([probe, ...clients]);
  const [code] = await app.exited;
  for (const agent of agents) agent.destroy();

  assert.equal(code, 0);
  assert.ok(before > 0, 'requests were served before the signal');
  assert.deepEqual(results.filter((result) => result.status !== 200), [], 'every request got its answer');
  // Served after the signal, each telling its client to reconnect elsewhere.
  assert.ok(results.filter((result) => result.connection === 'close').length > 0, 'requests were served while draining');
});

describe('the drain itself', () => {
  test('requests in flight at the signal are answered, then new connections are refused and it exits 0', async () => {
    const lifecycle = { draining: false };
    const app = createApp({ env: {}, databases: [], log: () => {}, lifecycle });
    const exits = [];
    // The app's own handler made to take 300 ms, standing in for a slow request.
    const slowServer = createHttpServer((req, res) => setTimeout(() => app(req, res), 300));
    const slowPort = await listen(slowServer);
    const shutdown = gracefulShutdown(slowServer, lifecycle, { delayMs: 0, timeoutMs: 5000, log: () => {}, exit: (code) => exits.push(code) });
    const agent = new Agent({ keepAlive: true });
    const inFlight = Array.from({ length: 5 }, () => get(slowPort, '/', agent));
    await sleep(100);
    shutdown('SIGTERM');
    const answered = await Promise.all(inFlight);
    assert.deepEqual(answered.map(({ status, connection }) => ({ status, connection })), Array(5).fill({ status: 200, connection: 'close' }));
    assert.deepEqual(await firstOf(exits, 2000), [0]);
    assert.deepEqual(await get(slowPort, '/healthz'), { error: 'ECONNREFUSED' });
    agent.destroy();
  });

  test('a request still running at the deadline is cut and it exits 1', async () => {
    const lifecycle = { draining: false };
    const stuck = createHttpServer(() => {});
    const port = await listen(stuck);
    const exits = [];
    const shutdown = gracefulShutdown(stuck, lifecycle, { delayMs: 0, timeoutMs: 300, log: () => {}, exit: (code) => exits.push(code) });
    const pending = get(port, '/');
    await sleep(50);
    shutdown('SIGTERM');
    assert.ok((await pending).error, 'the stuck request was cut');
    assert.deepEqual(exits, [1]);
    stuck.close();
  });

  test('the delay and the deadline come from the environment, checked', () => {
    assert.deepEqual(shutdownTimes({}), { delayMs: 0, timeoutMs: 20_000 });
    assert.deepEqual(shutdownTimes({ SHUTDOWN_DELAY_SECONDS: '5', SHUTDOWN_TIMEOUT_SECONDS: '25' }), { delayMs: 5000, timeoutMs: 25_000 });
    assert.equal(shutdownTimes({ SHUTDOWN_DELAY_SECONDS: 'soon' }), 'SHUTDOWN_DELAY_SECONDS must be a number of seconds, not "soon"');
    assert.match(shutdownTimes({ SHUTDOWN_DELAY_SECONDS: '30' }), /SHUTDOWN_TIMEOUT_SECONDS \(20\) must be longer/);
  });
});
