// Schema of the PostgreSQL event log as versioned migrations, applied under an advisory lock so
// several nodes starting at once apply each exactly once.
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
