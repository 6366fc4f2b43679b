import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SERVICE_NAME, createServer } from '../src/app.js';
import { DATABASES } from '../src/databases.js';
import { checkReadiness } from '../src/readiness.js';

const servers = [];
after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

/** Start the app in this process on a free port; returns its base URL. */
async function start(options) {
  const server = createServer({ log: () => {}, ...options });
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** A local port nothing listens on: a database that is down. */
async function closedPort() {
  const probe = createTcpServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function get(base, path) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('probes and routes', () => {
  let base;
  before(async () => {
    base = await start({ env: { ENVIRONMENT: 'test' }, databases: [] });
  });

  test('/healthz says the process is up', async () => {
    assert.deepEqual(await get(base, '/healthz'), { status: 200, body: { status: 'ok' } });
  });

  test('/readyz is ready when there is no database to wait for', async () => {
    assert.deepEqual(await get(base, '/readyz'), { status: 200, body: { status: 'ok', checks: {} } });
  });

  test('/ says hello with the service name', async () => {
    const { status, body } = await get(base, '/');
    assert.equal(status, 200);
    assert.equal(body.service, SERVICE_NAME);
    assert.equal(body.environment, 'test');
  });

  test('an unknown path is a JSON 404', async () => {
    assert.deepEqual(await get(base, '/nope'), { status: 404, body: { error: 'not found' } });
  });
});

describe('readiness of the databases', () => {
  const database = { name: 'main', envVar: 'MAIN_DATABASE_URL' };

  test('a database whose variable is not set makes the app unready, naming it', async () => {
    const base = await start({ env: {}, databases: [database] });
    const { status, body } = await get(base, '/readyz');
    assert.equal(status, 503);
    assert.equal(body.status, 'unavailable');
    assert.deepEqual(body.checks.main, { status: 'fail', reason: 'MAIN_DATABASE_URL is not set' });
  });

  test('a database that is down is a clean 503 and the app keeps serving', async () => {
    const url = `postgres://app:s3cret@127.0.0.1:${await closedPort()}/app`;
    const base = await start({ env: { MAIN_DATABASE_URL: url }, databases: [database] });
    const { status, body } = await get(base, '/readyz');
    assert.equal(status, 503);
    assert.equal(body.checks.main.status, 'fail');
    assert.match(body.checks.main.reason, /^[^\n]+$/);
    assert.doesNotMatch(JSON.stringify(body), /s3cret/);
    assert.equal((await get(base, '/healthz')).status, 200);
  });

  test('a database that never answers fails the check within its time limit', async () => {
    // Accepts connections and says nothing, like a database behind a dropped network path.
    const silent = createTcpServer(() => {});
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    after(() => silent.close());
    const env = { MAIN_DATABASE_URL: `postgres://app@127.0.0.1:${silent.address().port}/app` };
    const { ok, checks } = await checkReadiness([database], env, 200);
    assert.equal(ok, false);
    assert.equal(checks.main.status, 'fail');
  });

  test('every database of platform.yaml is checked', async () => {
    const base = await start({ env: {} });
    const { status, body } = await get(base, '/readyz');
    assert.equal(status, DATABASES.length === 0 ? 200 : 503);
    assert.deepEqual(Object.keys(body.checks).sort(), DATABASES.map((db) => db.name).sort());
  });
});
