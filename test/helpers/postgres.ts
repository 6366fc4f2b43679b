import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for tests: its own data folder, a free port on 127.0.0.1, password
 * (SCRAM) authentication as a generated app meets it in the cluster. PostgreSQL refuses to run as root,
 * so as root (CI) the server runs as the unprivileged `nobody`.
 */
export interface TestPostgres {
  port: number;
  user: string;
  password: string;
  /** A postgres URI for `database` (default `postgres`), with the given password (default the right one). */
  url(options?: { password?: string; database?: string }): string;
  /** Stop the server (the data stays until `destroy`). Safe to call twice. */
  stop(): void;
  /** Stop the server if it runs and remove everything. Safe to call twice. */
  destroy(): void;
}

export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export async function startPostgres(): Promise<TestPostgres> {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(POSTGRES_BIN, tool))) {
      throw new Error(`PostgreSQL 15 is needed for this test and ${join(POSTGRES_BIN, tool)} is missing: install the Debian package postgresql-15 (.ci/run does), or set POSTGRES_BIN`);
    }
  }
  const identity = unprivilegedIdentity();
  const dir = mkdtempSync(join(tmpdir(), 'platform-pg-'));
  const data = join(dir, 'data');
  const user = 'app';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const port = await freePort();
  let running = false;
  const run = (tool: string, args: string[]): void => {
    const options: SpawnSyncOptions = {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      encoding: 'utf8',
      timeout: 60_000,
      ...(identity ? { uid: identity.uid, gid: identity.gid } : {}),
    };
    const result = spawnSync(join(POSTGRES_BIN, tool), args, options);
    if (result.status !== 0) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      throw new Error(`${tool} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${String(result.stderr)}${String(result.stdout)}${log}`);
    }
  };
  const stop = (): void => {
    if (!running) return;
    running = false;
    run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);
  };
  try {
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (identity) {
      chownSync(dir, identity.uid, identity.gid);
      chownSync(passwordFile, identity.uid, identity.gid);
    }
    run('initdb', ['-D', data, '-U', user, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    // Only TCP on 127.0.0.1, and the socket in our own folder rather than the system's.
    const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='${dir}' -c fsync=off`;
    running = true;
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', serverOptions]);
  } catch (error) {
    try {
      stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    throw error;
  }
  return {
    port,
    user,
    password,
    url: ({ password: given = password, database = 'postgres' } = {}) =>
      `postgresql://${user}:${encodeURIComponent(given)}@127.0.0.1:${port}/${database}`,
    stop,
    destroy: () => {
      try {
        stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Who the server runs as: ourselves, or, as root, `nobody` (else the first ordinary user, uid 1000). */
function unprivilegedIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entries = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const entry = entries.find((fields) => fields[0] === 'nobody') ?? entries.find((fields) => fields[2] === '1000');
  if (!entry) throw new Error('running as root and found neither the user nobody nor uid 1000 to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
