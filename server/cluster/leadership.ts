// What must run once in a deployment (escalation sweep, broadcast answer sweep, device health
// sampling, checkpoints, reactions to telemetry) runs on the leader only. One process over SQLite
// always leads; in a cluster the leader is whoever holds a PostgreSQL advisory lock on a session of
// its own: when that node dies its session ends, the lock is released, and another node takes it
// at its next try.
import pg from 'pg';
import type { Unsubscribe } from '../store/event-store.ts';

export interface Leadership {
  isLeader(): boolean;
  /** Called with the new state whenever it changes. */
  onChange(listener: (leading: boolean) => void): Unsubscribe;
  close(): Promise<void>;
}

/** A single process: it leads from the start, for good. */
export const soleLeader = (): Leadership => ({ isLeader: () => true, onChange: () => () => {}, close: async () => {} });

/** The advisory lock key of a deployment's leadership (any fixed 64-bit number; "LINKAGE" in ASCII). */
export const LEADER_LOCK_KEY = 0x4c494e4b414745n;

export interface PgLeadershipOptions {
  connectionString: string;
  /** How often a follower tries to take the lock, and a leader checks its session (ms). */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

export class PgLeadership implements Leadership {
  private client: pg.Client | null = null;
  private leading = false;
  private listeners: Array<(leading: boolean) => void> = [];
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private trying: Promise<void> | null = null;

  private constructor(private readonly options: PgLeadershipOptions) {
    this.timer = setInterval(() => void this.attempt(), options.retryMs ?? 2000);
    this.timer.unref();
  }

  /** Starts, and resolves after the first attempt (so a lone node leads before it serves). */
  static async start(options: PgLeadershipOptions): Promise<PgLeadership> {
    const l = new PgLeadership(options);
    await l.attempt();
    return l;
  }

  isLeader(): boolean {
    return this.leading;
  }

  onChange(listener: (leading: boolean) => void): Unsubscribe {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    for (const l of this.listeners) l(leading);
  }

  private attempt(): Promise<void> {
    this.trying ??= this.tryOnce().finally(() => {
      this.trying = null;
    });
    return this.trying;
  }

  private async tryOnce(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.client) {
        const client = new pg.Client({
          connectionString: this.options.connectionString,
          application_name: 'linkage-leader',
          // A path that silently drops must not keep a leader leading, or its lock held, for the
          // kernel's minutes: the check times out here (and this node steps down), and the server
          // ends the dead session within seconds (its keepalives), releasing the lock to another.
          keepAlive: true,
          keepAliveInitialDelayMillis: 5_000,
          connectionTimeoutMillis: 5_000,
          query_timeout: 5_000,
          options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3',
        });
        client.on('error', (e) => this.lost(e));
        await client.connect();
        this.client = client;
      }
      if (this.leading) {
        // Still our session, still holding the lock (the only advisory lock this session takes).
        const held = await this.client.query<{ held: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted) AS held");
        if (!held.rows[0].held) this.lost(new Error('the leader lock is no longer held by this session'));
        return;
      }
      const r = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK_KEY.toString()]);
      this.set(r.rows[0].ok);
    } catch (error) {
      this.lost(error);
    }
  }

  private lost(error: unknown): void {
    const c = this.client;
    this.client = null;
    c?.end().catch(() => undefined);
    this.set(false);
    if (!this.closed) this.options.onError?.(error);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.trying;
    const c = this.client;
    this.client = null;
    this.set(false);
    await c?.end().catch(() => undefined);
  }
}
