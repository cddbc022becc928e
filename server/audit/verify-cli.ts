// npm run audit:verify [-- <dataDir>] [--expect <N>:<hash>]: checks the audit chain of
// <dataDir>/linkage.db (default DATA_DIR, else ./var, as the server). Exit 0: intact; 1: the first
// broken entry is printed; 2: the file cannot be read or the arguments are wrong.
import path from 'node:path';
import { storeFile } from '../plugins/store.ts';
import { parseLink, verifyAuditFile } from './verify.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--expect');
const expectText = at >= 0 ? args.splice(at, 2)[1] : undefined;
const expect = at >= 0 ? parseLink(expectText ?? '') : undefined;
if (expect === null || args.length > 1 || args[0]?.startsWith('-')) {
  console.error('usage: audit:verify [dataDir] [--expect <N>:<hash>]  (N entries and the head hash this command printed before)');
  process.exit(2);
}
const dataDir = path.resolve(args[0] ?? (process.env.DATA_DIR || path.join(import.meta.dirname, '..', '..', 'var')));
const file = storeFile(dataDir);

try {
  const verdict = verifyAuditFile(file, expect);
  if (verdict.ok) {
    // Entries are numbered from 1 without gaps: the head of N entries is `--expect N:<hash>` later.
    console.log(`audit chain OK: ${verdict.count} entries, head ${verdict.head?.hash ?? 'none (empty)'}`);
    process.exit(0);
  }
  console.log(`audit chain BROKEN at entry ${verdict.at}: ${verdict.reason}`);
  process.exit(1);
} catch (err) {
  const message = (err as Error).message;
  console.error(/no such table: audit/.test(message) ? `no audit log in ${file}: the server has not run with one yet` : `cannot read the audit log in ${file}: ${message}`);
  process.exit(2);
}
