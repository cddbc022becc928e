// The cluster's PostgreSQL: a private instance (own data folder, port and socket directory) that
// never meets a system cluster. Its data folder is kept between runs (the log of record lives
// there). initdb refuses to run as root, so then it runs as the unprivileged `postgres` user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../free-port.ts';

const run = promisify(execFile);

export interface ClusterPostgres {
  port: number;
  /** The application's connection string (role and database `linkage`, password auth over TCP). */
  url: string;
  stop(): Promise<void>;
}

/** The newest Debian /usr/lib/postgresql/N/bin, or PG_BIN. */
export function pgBin(): string {
  if (process.env.PG_BIN && existsSync(path.join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error(`PostgreSQL server binaries not found (no ${root}/*/bin/initdb, PG_BIN unset): install Debian's postgresql package (apt-get install postgresql)`);
  return path.join(root, versions[0], 'bin');
}

const asRoot = process.getuid?.() === 0;
const postgresIds = (): [number, number] => {
  try {
    return [Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))];
  } catch {
    throw new Error("running as root, PostgreSQL needs the unprivileged `postgres` user (created by Debian's postgresql package)");
  }
};
/** Runs a PostgreSQL tool as `postgres` when we are root, else as ourselves. */
const pgRun = (cmd: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
const chownToPostgres = (...paths: string[]) => {
  if (!asRoot) return;
  const [uid, gid] = postgresIds();
  for (const p of paths) chownSync(p, uid, gid);
};

/** Stops a postmaster still running on `data` (left by a runner that was killed): fast, waiting. */
export async function stopStalePostgres(data: string): Promise<boolean> {
  if (!existsSync(path.join(data, 'postmaster.pid'))) return false;
  const ctl = path.join(pgBin(), 'pg_ctl');
  try {
    await pgRun(ctl, ['status', '-D', data]);
  } catch {
    return false; // not running (a stale pid file)
  }
  // Its socket directory (line 5 of postmaster.pid) was a temp dir of that run.
  const sock = readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[4] ?? '';
  await pgRun(ctl, ['stop', '-w', '-m', 'fast', '-D', data]);
  if (path.basename(sock).startsWith('linkage-pgsock-')) rmSync(sock, { recursive: true, force: true });
  return true;
}

export async function startPostgres(o: { dir: string; port: number; password: string; logDir: string }): Promise<ClusterPostgres> {
  const bin = pgBin();
  const data = path.join(o.dir, 'pg');
  mkdirSync(data, { recursive: true, mode: 0o700 });
  chownToPostgres(data);
  // The socket directory is private and short (a Unix socket path has ~107 bytes at most).
  const sock = mkdtempSync(path.join(os.tmpdir(), 'linkage-pgsock-'));
  mkdirSync(o.logDir, { recursive: true });
  const log = path.join(o.logDir, 'postgres.log');
  writeFileSync(log, '', { flag: 'a' });
  chownToPostgres(sock, log);
  const port = o.port || (await freePort());
  const ctl = path.join(bin, 'pg_ctl');
  try {
    await stopStalePostgres(data);
    if (!existsSync(path.join(data, 'PG_VERSION'))) {
      // Local (socket) connections trusted: the socket directory is ours alone. TCP needs a password.
      await pgRun(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale']);
    }
    const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    await pgRun(ctl, ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', opts]);
  } catch (error) {
    rmSync(sock, { recursive: true, force: true });
    const e = error as Error & { stderr?: string };
    throw new Error(`PostgreSQL did not start on port ${port}: ${e.stderr?.trim() || e.message}\n(see ${log})`);
  }
  // The runner exiting without stop() (an uncaught error) must not leave a postmaster behind.
  const stopSync = () => {
    try {
      const args = ['stop', '-m', 'immediate', '-D', data];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ctl, ...args], { stdio: 'ignore' });
      else execFileSync(ctl, args, { stdio: 'ignore' });
    } catch { /* already stopped */ }
    rmSync(sock, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  const stop = async () => {
    process.removeListener('exit', stopSync);
    try {
      await pgRun(ctl, ['stop', '-w', '-m', 'fast', '-D', data]);
    } finally {
      rmSync(sock, { recursive: true, force: true });
    }
  };
  try {
    await ensureRoleAndDatabase(sock, port, o.password);
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(`PostgreSQL started but the linkage role/database could not be made: ${(error as Error).message}`);
  }
  return { port, url: `postgres://linkage:${encodeURIComponent(o.password)}@127.0.0.1:${port}/linkage`, stop };
}

/** Role `linkage` (its password set on every start, so it always matches the secrets file) and database `linkage` it owns. */
async function ensureRoleAndDatabase(sock: string, port: number, password: string): Promise<void> {
  const admin = new pg.Client({ host: sock, port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    const pw = admin.escapeLiteral(password);
    const role = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'linkage'");
    await admin.query(role.rowCount ? `ALTER ROLE linkage LOGIN PASSWORD ${pw}` : `CREATE ROLE linkage LOGIN PASSWORD ${pw}`);
    const db = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'linkage'");
    if (!db.rowCount) await admin.query('CREATE DATABASE linkage OWNER linkage');
  } finally {
    await admin.end();
  }
}
