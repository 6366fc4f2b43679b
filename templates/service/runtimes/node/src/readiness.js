/**
 * Readiness: is every database this service needs answering? Kubernetes stops routing traffic to a pod
 * whose /readyz fails, so a check must be quick, bounded and never throw: a failure is a result.
 */

/** Longest a whole readiness check may take; the probe's own timeout should be a little longer. */
export const CHECK_TIMEOUT_MS = 2000;

/**
 * Check every database; resolves to { ok, checks } where checks maps a database name to
 * { status: 'ok' } or { status: 'fail', reason } with a one-line reason safe to show to a client.
 */
export async function checkReadiness(databases, env = process.env, timeoutMs = CHECK_TIMEOUT_MS) {
  const results = await Promise.all(databases.map(async (db) => [db.name, await checkDatabase(db, env, timeoutMs)]));
  const checks = Object.fromEntries(results);
  return { ok: results.every(([, result]) => result.status === 'ok'), checks };
}

async function checkDatabase(db, env, timeoutMs) {
  const url = env[db.envVar];
  if (!url) return fail(`${db.envVar} is not set`);
  let pg;
  try {
    // Loaded here, not at the top: the app and its tests run without the driver installed.
    pg = (await import('pg')).default;
  } catch {
    return fail('the postgres driver "pg" is not installed (run npm install)');
  }
  // A fresh connection per check rather than a pool: it proves the database accepts new connections,
  // and nothing is left half-open when the database goes away between probes.
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  });
  // A dropped connection is reported as an 'error' event; without a listener it would crash the process.
  client.on('error', () => {});
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve(fail(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const attempt = (async () => {
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { status: 'ok' };
    } catch (error) {
      return fail(oneLine(error));
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    client.end().catch(() => {});
  }
}

function fail(reason) {
  return { status: 'fail', reason };
}

/** The first line of an error's message, without credentials a URI in it might carry. */
export function oneLine(error) {
  const message = String(error?.message || error?.code || error || 'unknown error');
  const line = message.split('\n').find((part) => part.trim() !== '') ?? 'unknown error';
  return line.replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 300);
}
