// Walks the whole audit chain in pages, read-only: what `npm run audit:verify` runs, on the SQLite
// file of one process or the cluster's PostgreSQL. A head noted earlier (--expect <seq>:<hash>)
// must still be in the chain: that catches a cut-off tail or a chain rewritten and re-hashed from
// some row on, which the chain alone cannot.
import { verifyChain, type ChainLink, type ChainVerdict } from '../../core/audit.ts';
import type { AuditLog } from './audit-log.ts';
import { PgAuditLog } from './pg-audit-log.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';

const PAGE = 10_000;

export async function verifyAuditLog(log: AuditLog, expect?: ChainLink): Promise<ChainVerdict> {
  let head: ChainLink | null = null;
  let count = 0;
  for (;;) {
    const page = await log.readAfter(head?.seq ?? 0, PAGE);
    if (page.length === 0) break;
    const verdict = verifyChain(page, head);
    if (!verdict.ok) return verdict;
    const noted = expect && page.find((e) => e.seq === expect.seq);
    if (noted && noted.hash !== expect.hash) return { ok: false, at: expect.seq, reason: `hash is ${noted.hash}, not the ${expect.hash} noted earlier: the chain was rewritten from this entry or before` };
    count += verdict.count;
    head = verdict.head;
  }
  if (expect && (head?.seq ?? 0) < expect.seq) return { ok: false, at: expect.seq, reason: `the chain ends at ${head?.seq ?? 0}: entries up to the noted head ${expect.seq} were removed` };
  return { ok: true, count, head };
}

/** The chain in a SQLite file (read-only). */
export async function verifyAuditFile(file: string, expect?: ChainLink): Promise<ChainVerdict> {
  const log = new SqliteAuditLog({ file, readonly: true });
  try {
    return await verifyAuditLog(log, expect);
  } finally {
    await log.close();
  }
}

/** The chain in the cluster's PostgreSQL (a read-only session). */
export async function verifyAuditDatabase(connectionString: string, expect?: ChainLink): Promise<ChainVerdict> {
  const log = await PgAuditLog.open(connectionString, { readonly: true, poolSize: 1 });
  try {
    return await verifyAuditLog(log, expect);
  } finally {
    await log.close();
  }
}

/** Parses `<seq>:<hash>` as printed by the verify command. */
export function parseLink(text: string): ChainLink | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text);
  return m ? { seq: Number(m[1]), hash: m[2] } : null;
}
