// The account stores' sign-in counter, SQLite and PostgreSQL alike: it changes the counters alone,
// so an admin's disable or role change made while a password was being checked is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../core/accounts.ts';
import { startPgTestServer, type PgTestServer } from '../store/pg-test-server.ts';
import type { AccountStore } from './account-store.ts';
import { PgAccountStore } from './pg-account-store.ts';
import { SqliteAccountStore } from './sqlite-account-store.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-accounts-'));
let pgServer: PgTestServer;
const stores: AccountStore[] = [];

beforeAll(async () => {
  pgServer = await startPgTestServer();
}, 60_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  await pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const open: Record<string, () => Promise<AccountStore>> = {
  sqlite: async () => new SqliteAccountStore({ file: path.join(tmp, 'accounts.db'), synchronous: 'FULL' }),
  postgresql: async () => PgAccountStore.open(await pgServer.createDatabase('accounts')),
};

describe.each(Object.keys(open))('the %s account store', (kind) => {
  it('counts a sign-in on the counters alone, keeping what an admin changed meanwhile', async () => {
    const store = await open[kind]();
    stores.push(store);
    const op: Account = { id: 'op-1', name: '坐席', role: 'township-operator', org: '340803001', disabled: false, mustChangePassword: false, createdAt: 1, failedLogins: 0, lockedUntil: 0 };
    expect(await store.create(op, 'hash')).toBe(true);
    // Read at the start of a sign-in; the admin disables and moves the account before it is counted.
    const seenBySignIn = await store.get('op-1');
    await store.update({ ...seenBySignIn!, disabled: true, role: 'community-operator', org: '340803001002' });
    const afterWrong = await store.recordSignIn('op-1', false);
    expect(afterWrong).toMatchObject({ disabled: true, role: 'community-operator', org: '340803001002', failedLogins: 1 });
    expect(await store.recordSignIn('op-1', false)).toMatchObject({ failedLogins: 2 });
    expect(await store.recordSignIn('op-1', true)).toMatchObject({ disabled: true, failedLogins: 0, lockedUntil: 0 });
    expect(await store.get('op-1')).toMatchObject({ disabled: true, role: 'community-operator', failedLogins: 0 });
    expect(await store.recordSignIn('nobody', false)).toBeUndefined();
  });
});
