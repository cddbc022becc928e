// npm run audit:verify [-- <dataDir>] [--expect <N>:<hash>]: checks the audit chain of the cluster's
// PostgreSQL when DATABASE_URL is set (as the server), else of <dataDir>/linkage.db (default
// DATA_DIR, else ./var). Exit 0: intact; 1: the first broken entry is printed; 2: the log cannot be
// read or the arguments are wrong.
import path from 'node:path';
import { storeFile } from '../plugins/store.ts';
import { parseLink, verifyAuditDatabase, verifyAuditFile } from './verify.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--expect');
const expectText = at >= 0 ? args.splice(at, 2)[1] : undefined;
const expect = at >= 0 ? parseLink(expectText ?? '') : undefined;
const databaseUrl = process.env.DATABASE_URL?.trim() || null;
if (expect === null || args.length > (databaseUrl ? 0 : 1) || args[0]?.startsWith('-')) {
  console.error('usage: audit:verify [dataDir] [--expect <N>:<hash>]  (N entries and the head hash this command printed before; no dataDir with DATABASE_URL)');
  process.exit(2);
}
// Where the chain is, for messages: never the password of a connection string.
const source = databaseUrl ? databaseUrl.replace(/:[^:@/]*@/, ':***@') : storeFile(path.resolve(args[0] ?? (process.env.DATA_DIR || path.join(import.meta.dirname, '..', '..', 'var'))));

try {
  const verdict = databaseUrl ? await verifyAuditDatabase(databaseUrl, expect) : await verifyAuditFile(source, expect);
  if (verdict.ok) {
    // Entries are numbered from 1 without gaps: the head of N entries is `--expect N:<hash>` later.
    console.log(`audit chain OK: ${verdict.count} entries, head ${verdict.head?.hash ?? 'none (empty)'}`);
    process.exit(0);
  }
  console.log(`audit chain BROKEN at entry ${verdict.at}: ${verdict.reason}`);
  process.exit(1);
} catch (err) {
  const message = (err as Error).message;
  const missing = /no such table: audit|relation "audit" does not exist/.test(message);
  console.error(missing ? `no audit log in ${source}: the server has not run with one yet` : `cannot read the audit log in ${source}: ${message}`);
  process.exit(2);
}
