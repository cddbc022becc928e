// Device credentials: the gateway keys that HTTP ingest and the embedded MQTT broker accept (a key
// is a gateway's password, never a user's). Keys from GATEWAY_KEYS are fixed by the deployment;
// keys kept in DATA_DIR/gateway-keys.json can be issued and revoked at run time by an admin. The
// map is the live one the ingest routes and the broker read, so a revocation takes effect at once.
import { randomBytes } from 'node:crypto';
import { writeFileSync, renameSync } from 'node:fs';

export const GATEWAY_NAME_PATTERN = '^[A-Za-z0-9_-]{2,32}$';
const NAME = new RegExp(GATEWAY_NAME_PATTERN);

export type GatewayResult<T> = { ok: true; data: T } | { ok: false; code: 'BAD_REQUEST' | 'CONFLICT' | 'NOT_FOUND'; message: string };

export class GatewayRegistry {
  constructor(
    /** key → gateway name, shared with the ingest routes and the broker. */
    readonly keys: Map<string, string>,
    /** Where issued keys are kept (mode 600); null when they come from GATEWAY_KEYS and cannot change here. */
    private readonly file: string | null,
  ) {}

  get managed(): boolean {
    return this.file !== null;
  }

  list(): { name: string; keys: number }[] {
    const count = new Map<string, number>();
    for (const name of this.keys.values()) count.set(name, (count.get(name) ?? 0) + 1);
    return [...count].map(([name, keys]) => ({ name, keys })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A new gateway with a fresh key, returned once. */
  issue(name: string): GatewayResult<{ name: string; key: string }> {
    const fixed = this.fixedProblem();
    if (fixed) return fixed;
    if (!NAME.test(name)) return { ok: false, code: 'BAD_REQUEST', message: `a gateway name is 2–32 letters, digits, _ or - (it is part of its MQTT topics), not "${name}"` };
    if ([...this.keys.values()].includes(name)) return { ok: false, code: 'CONFLICT', message: `gateway "${name}" has a key already: revoke it first to issue a new one` };
    const key = randomBytes(24).toString('base64url');
    this.keys.set(key, name);
    this.persist();
    return { ok: true, data: { name, key } };
  }

  /** Removes every key of a gateway: its next request or connection is refused. */
  revoke(name: string): GatewayResult<{ name: string; keysRevoked: number }> {
    const fixed = this.fixedProblem();
    if (fixed) return fixed;
    let n = 0;
    for (const [key, owner] of this.keys) {
      if (owner === name) {
        this.keys.delete(key);
        n++;
      }
    }
    if (n === 0) return { ok: false, code: 'NOT_FOUND', message: `no gateway "${name}"` };
    this.persist();
    return { ok: true, data: { name, keysRevoked: n } };
  }

  private fixedProblem(): GatewayResult<never> | null {
    return this.file ? null : { ok: false, code: 'CONFLICT', message: 'gateway keys come from GATEWAY_KEYS: change them there and restart the server' };
  }

  private persist(): void {
    const byName: Record<string, string> = {};
    for (const [key, name] of this.keys) byName[name] = key;
    // Written whole then renamed: a crash never leaves half a key file.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(byName, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file!);
  }
}
