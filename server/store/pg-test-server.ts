// A private, throw-away PostgreSQL for tests and benchmarks: its own data directory, port and
// socket directory, so it never meets a system cluster or another test run.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgTestServer {
  readonly port: number;
  /** Connection string of database `db` (default `postgres`) as `user` (default the superuser). */
  url(db?: string, user?: string): string;
  /** Creates an empty database (isolation between test files) and returns its connection string. */
  createDatabase(name: string, owner?: string): Promise<string>;
  /** Runs one statement as the superuser on database `db`. */
  admin(sql: string, db?: string): Promise<void>;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

export interface PgTestServerOptions {
  /** fsync on (default), so durable-write figures measured against it are honest. */
  fsync?: boolean;
}

/** The newest /usr/lib/postgresql/N/bin (Debian's layout), or PG_BIN. */
export function findPgBin(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) {
    throw new Error(`PostgreSQL server binaries not found (no ${root}/*/bin/initdb, PG_BIN unset): install Debian's postgresql (apt-get install postgresql)`);
  }
  return path.join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPgTestServer(options: PgTestServerOptions = {}): Promise<PgTestServer> {
  const bin = findPgBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-pg-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  mkdirSync(sock);
  // initdb refuses to run as root: then the cluster belongs to the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const exec = (cmd: string, args: string[]) => run(...as(cmd, args));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(sock, uid, gid);
  }
  const pgCtl = path.join(bin, 'pg_ctl');
  const log = path.join(dir, 'server.log');
  let port = 0;
  try {
    await exec(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    // A port taken between probing and binding makes pg_ctl fail: try a few.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=${options.fsync === false ? 'off' : 'on'} -c max_connections=200`;
      try {
        await exec(pgCtl, ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', opts]);
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
  } catch (error) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start a test PostgreSQL: ${(error as Error).message}\n${tail}`);
  }

  let stopped = false;
  const stopSync = () => {
    // The test process died without stop(): do not leave a postmaster behind.
    if (stopped) return;
    try {
      const [cmd, args] = as(pgCtl, ['stop', '-m', 'immediate', '-D', data]);
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  const url = (db = 'postgres', user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${db}`;
  const admin = async (sql: string, db = 'postgres') => {
    const client = new pg.Client({ connectionString: url(db) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    admin,
    async createDatabase(name, owner) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin(`CREATE DATABASE ${name}${owner ? ` OWNER ${owner}` : ''}`);
      return url(name, owner);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      try {
        await exec(pgCtl, ['stop', '-w', '-m', 'fast', '-D', data]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
