// The token of an import's dry run, shared by every import (device ledger, boundaries, resources):
// a hash of the file's bytes and the options it is read with. The apply sends it back, so what is
// applied is exactly what the admin saw planned, and the server keeps no state between the two.
import { createHash } from 'node:crypto';
import { ERROR_CODES } from '../core/protocol.ts';

export function importToken(bytes: Buffer | string, options: unknown): string {
  return createHash('sha256').update(bytes).update('\n').update(JSON.stringify(options)).digest('hex');
}

/** The answer to an apply whose token is not its file's dry run. */
export const STALE_TOKEN = { ok: false as const, code: ERROR_CODES.conflict, message: '/token is not this file\'s dry run (the file or its options changed): run the dry run again' };
