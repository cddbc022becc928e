// Walks the whole audit chain of a database file in pages, read-only: what `npm run audit:verify`
// runs. A head noted earlier (--expect <seq>:<hash>) must still be in the chain: that catches a
// cut-off tail or a chain rewritten and re-hashed from some row on, which the chain alone cannot.
import { verifyChain, type ChainLink, type ChainVerdict } from '../../core/audit.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';

const PAGE = 10_000;

export function verifyAuditFile(file: string, expect?: ChainLink): ChainVerdict {
  const log = new SqliteAuditLog({ file, readonly: true });
  try {
    let head: ChainLink | null = null;
    let count = 0;
    for (;;) {
      const page = log.readAfter(head?.seq ?? 0, PAGE);
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
  } finally {
    log.close();
  }
}

/** Parses `<seq>:<hash>` as printed by the verify command. */
export function parseLink(text: string): ChainLink | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text);
  return m ? { seq: Number(m[1]), hash: m[2] } : null;
}
