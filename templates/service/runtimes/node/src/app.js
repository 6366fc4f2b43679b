import { createServer as createHttpServer } from 'node:http';
import { DATABASES } from './databases.js';
import { checkReadiness } from './readiness.js';

export const SERVICE_NAME = <%= json(name) %>;

/**
 * The HTTP server of <%= name %>, not yet listening (see createApp for the options).
 */
export function createServer(options) {
  return createHttpServer(createApp(options));
}

/**
 * The request handler of <%= name %>. `env` is where configuration is read from (process.env in
 * production; tests pass their own). `databases` defaults to the ones in platform.yaml. `lifecycle` is
 * shared with the shutdown handler (src/shutdown.js): once it says draining, readiness fails and every
 * response closes its connection, so load balancers and keep-alive clients move to other pods.
 */
export function createApp({ env = process.env, databases = DATABASES, log = writeLog, lifecycle = { draining: false } } = {}) {
  const service = env.SERVICE_NAME || SERVICE_NAME;
  const environment = env.ENVIRONMENT || 'local';
  const routes = {
    // Liveness: the process is up and serving. No dependency checks: a database outage must not get
    // every pod restarted.
    '/healthz': async () => [200, { status: 'ok' }],
    // Readiness: every database answers, and the server is not shutting down.
    '/readyz': async () => {
      if (lifecycle.draining) return [503, { status: 'shutting down' }];
      const { ok, checks } = await checkReadiness(databases, env);
      if (!ok) log('warn', 'not ready', { checks });
      return ok ? [200, { status: 'ok', checks }] : [503, { status: 'unavailable', checks }];
    },
    '/': async () => [200, { service, environment, message: `Hello from ${service}` }],
  };
  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes[path];
    let status;
    let body;
    if (!route) [status, body] = [404, { error: 'not found' }];
    else if (request.method !== 'GET' && request.method !== 'HEAD') [status, body] = [405, { error: 'method not allowed' }];
    else {
      try {
        [status, body] = await route();
      } catch (error) {
        // Whatever went wrong stays in the log; the client gets no stack trace.
        log('error', 'request failed', { path, error: String(error?.stack ?? error) });
        [status, body] = [500, { error: 'internal error' }];
      }
    }
    const text = `${JSON.stringify(body)}\n`;
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
    if (lifecycle.draining) headers.connection = 'close';
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : text);
  };
}

/** One JSON object per line on stdout: what log collectors in the cluster parse. */
export function writeLog(level, message, fields = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
}
