/**
 * Graceful shutdown: on SIGTERM the pod drains instead of dropping the requests it is serving.
 *
 * Kubernetes runs the Deployment's preStop delay first, while the pod leaves the Service's endpoints, and
 * only then sends SIGTERM. From there:
 *   1. readiness answers 503 and every response says `Connection: close` (src/app.js), so whatever still
 *      routes here moves to another pod;
 *   2. the server keeps accepting for SHUTDOWN_DELAY_SECONDS (default 0: the preStop delay already did the
 *      waiting; set it where nothing runs a preStop delay before the signal);
 *   3. it stops accepting, closes idle keep-alive connections and lets the requests in flight finish;
 *   4. it exits 0 once the last connection is closed, or 1 at SHUTDOWN_TIMEOUT_SECONDS after the signal
 *      (default 20), cutting what is left: a hard deadline inside the pod's grace period, so it is never
 *      killed in the middle of its own cleanup.
 */

export const DEFAULT_DELAY_SECONDS = 0;
export const DEFAULT_TIMEOUT_SECONDS = 20;

/** The delay and the deadline from the environment, in milliseconds; a bad value is a one-line message. */
export function shutdownTimes(env = process.env) {
  const delay = seconds(env, 'SHUTDOWN_DELAY_SECONDS', DEFAULT_DELAY_SECONDS);
  const timeout = seconds(env, 'SHUTDOWN_TIMEOUT_SECONDS', DEFAULT_TIMEOUT_SECONDS);
  if (typeof delay === 'string') return delay;
  if (typeof timeout === 'string') return timeout;
  if (timeout <= delay) return `SHUTDOWN_TIMEOUT_SECONDS (${timeout}) must be longer than SHUTDOWN_DELAY_SECONDS (${delay})`;
  return { delayMs: delay * 1000, timeoutMs: timeout * 1000 };
}

function seconds(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : `${name} must be a number of seconds, not "${raw}"`;
}

/**
 * Drain `server` once `shutdown(signal)` is called (main.js calls it on SIGTERM and SIGINT); a second call
 * does nothing. `lifecycle` is the object the app reads `draining` from; `exit` ends the process.
 */
export function gracefulShutdown(server, lifecycle, { delayMs, timeoutMs, log, exit }) {
  return function shutdown(signal) {
    if (lifecycle.draining) return;
    lifecycle.draining = true;
    let finished = false;
    const finish = (code) => {
      if (finished) return;
      finished = true;
      exit(code);
    };
    log('info', 'shutting down', { signal, delaySeconds: delayMs / 1000, timeoutSeconds: timeoutMs / 1000 });
    const deadline = setTimeout(() => {
      log('error', 'shutdown deadline reached: closing the connections still open', { timeoutSeconds: timeoutMs / 1000 });
      finish(1);
      server.closeAllConnections();
    }, timeoutMs);
    setTimeout(() => {
      server.close(() => {
        clearTimeout(deadline);
        log('info', 'stopped');
        finish(0);
      });
      // A connection waiting for its next request would hold close() until its keep-alive timeout.
      server.closeIdleConnections();
    }, delayMs);
  };
}
