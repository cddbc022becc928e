// Schema of the PostgreSQL store of record (the event log, then accounts and sessions) as versioned
// migrations, applied under an advisory lock so several nodes starting at once apply each exactly once.
import pg from 'pg';

/** bigint (int8) columns and count(*) come back as JS numbers: seqs and UTC ms stay far below 2^53. */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Ordered; a migration once shipped is never edited, only followed by a new one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq bigint PRIMARY KEY,
    ts bigint NOT NULL,
    recorded_at bigint NOT NULL,
    type text NOT NULL,
    subject text NOT NULL,
    -- JSON text as sent: jsonb would refuse some valid JSON (\\u0000), and one such record
    -- would fail every sender sharing its group commit. Cast to jsonb when querying.
    data text NOT NULL
  );
  CREATE INDEX events_recorded_at ON events (recorded_at);
  -- Partial indexes as in SQLite: case timelines by subject; operational events by event time.
  CREATE INDEX events_case_subject ON events (subject, seq) WHERE type LIKE 'case:%';
  CREATE INDEX events_ops_ts ON events (ts, seq) WHERE type NOT IN ('device:reported', 'video:detected');

  -- The next seq is taken under this row's lock, held until commit: appenders serialize and
  -- seqs follow commit order, so a reader never sees N+1 committed before N.
  CREATE TABLE log_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL);
  INSERT INTO log_head (seq) VALUES (0);

  CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$;
  CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only();
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

  CREATE TABLE checkpoints (seq bigint PRIMARY KEY, created_at bigint NOT NULL, body text NOT NULL);
  `,
  // 2: accounts and sessions (server/auth/pg-account-store.ts), shared by every node.
  `
  CREATE TABLE accounts (
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    org text NOT NULL,
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    must_change_password boolean NOT NULL DEFAULT false,
    created_at bigint NOT NULL,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts(id),
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX sessions_account ON sessions (account_id);
  CREATE INDEX sessions_expires ON sessions (expires_at);
  `,
  // 3: the audit log (server/audit/pg-audit-log.ts): one hash chain for every node.
  `
  CREATE TABLE audit (
    seq bigint PRIMARY KEY,
    at bigint NOT NULL,
    actor_id text,
    actor_name text,
    actor_role text,
    actor_org text,
    action text NOT NULL,
    scope text NOT NULL,
    subject text NOT NULL,
    before text NOT NULL,
    after text NOT NULL,
    event_seq bigint,
    prev_hash text NOT NULL,
    hash text NOT NULL
  );
  CREATE INDEX audit_at ON audit (at);
  CREATE INDEX audit_actor ON audit (actor_id, seq);
  CREATE INDEX audit_action ON audit (action, seq);
  CREATE INDEX audit_subject ON audit (subject, seq);
  -- One entry per event at most, whichever node wrote it.
  CREATE UNIQUE INDEX audit_event ON audit (event_seq) WHERE event_seq IS NOT NULL;
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
  -- Every appender locks this row (FOR UPDATE) before reading the head: one chain, appends in turn.
  -- events_through: the event-log seq audited so far (null until the first leader starts).
  CREATE TABLE audit_chain (one boolean PRIMARY KEY DEFAULT true CHECK (one), events_through bigint);
  INSERT INTO audit_chain (events_through) VALUES (NULL);
  `,
  // 4: device health samples (server/device-health/pg-health-store.ts), written by the leader.
  `
  CREATE TABLE device_health (
    ts bigint NOT NULL,
    kind text NOT NULL,
    total integer NOT NULL,
    online integer NOT NULL,
    offline integer NOT NULL,
    fault integer NOT NULL,
    alarm integer NOT NULL,
    PRIMARY KEY (ts, kind)
  );
  `,
  // 5: checkpoint bodies as gzip (server/store/checkpoint-codec.ts); earlier JSON text kept as its bytes.
  `
  ALTER TABLE checkpoints ALTER COLUMN body TYPE bytea USING convert_to(body, 'UTF8');
  `,
];

/** Arbitrary constant: the advisory lock id of schema migrations. */
const MIGRATION_LOCK = 7_401_552_901;

/** Applies the missing migrations in one transaction; returns the versions it applied. */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('BEGIN');
    // Taken before anything else: even CREATE TABLE IF NOT EXISTS races when run concurrently.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let v = (rows[0].v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v - 1]);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
      applied.push(v);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return applied;
}

/**
 * A pool for one store, with the schema brought up to date (a no-op when another store of this
 * process already did). `readonly`: no migrations and a read-only session (verification tools).
 */
export async function openPool(connectionString: string, o: { max: number; name: string; readonly?: boolean }): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString, max: o.max, types: PG_TYPES, application_name: o.name,
    ...(o.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client's connection dropping must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    if (!o.readonly) await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}
