// Acknowledged vs found in PostgreSQL, by batch marker (the idea of AckLedger in
// scripts/server-process.ts, which reads SQLite): every batch's records carry one `ts` no other batch
// uses; a sender keeps [ts, records, md5 of the sorted ids] for each batch answered 200, and the log
// must hold exactly those ids under that ts. Found-but-not-acknowledged (committed, the answer lost
// in a kill or an outage) is allowed and counted.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { AckCheck } from '../../scripts/server-process.ts';

export type AckedBatch = [ts: number, n: number, md5: string];

/** md5 of the ids sorted by code point, joined with ','; PostgreSQL computes the same with COLLATE "C". */
export const idsDigest = (ids: string[]) => createHash('md5').update([...ids].sort().join(',')).digest('hex');

/** AckLedger's check, read from PostgreSQL: no redelivery there (HTTP senders only), plus the verdict. */
export type LedgerCheck = Omit<AckCheck, 'redelivered'> & { ok: boolean };

export async function checkLedger(db: pg.Client, acked: readonly AckedBatch[]): Promise<LedgerCheck> {
  const r = await db.query(`SELECT ts::float8 AS ts, count(*)::int AS n, md5(string_agg(subject, ',' ORDER BY subject COLLATE "C")) AS h
    FROM events WHERE type = 'device:reported' GROUP BY ts`);
  const found = new Map<number, { n: number; h: string }>();
  let rows = 0;
  for (const x of r.rows as Array<{ ts: number; n: number; h: string }>) {
    found.set(x.ts, x);
    rows += x.n;
  }
  const out: LedgerCheck = { ackedBatches: acked.length, acked: 0, found: rows, missing: 0, missingBatches: 0, mismatchedBatches: 0, foundNotAcked: 0, ok: false };
  const ackedTs = new Set<number>();
  for (const [ts, n, h] of acked) {
    ackedTs.add(ts);
    out.acked += n;
    const f = found.get(ts);
    if (!f || f.n < n) {
      out.missing += n - (f?.n ?? 0);
      out.missingBatches++;
    } else if (f.n !== n || f.h !== h) out.mismatchedBatches++;
  }
  for (const [ts, f] of found) if (!ackedTs.has(ts)) out.foundNotAcked += f.n;
  out.ok = out.missing === 0 && out.mismatchedBatches === 0;
  return out;
}
