import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../core/accounts.ts';
import { accountIdentity } from './identity.ts';

const view = (over: Partial<AccountView>): AccountView => ({ id: 'x', name: 'X', role: 'dispatcher', org: '340803', disabled: false, mustChangePassword: false, createdAt: 0, locked: false, ...over });

describe('account identity', () => {
  it('acts as the account itself', () => {
    const actor = { id: 'op-dk', name: '德宽路坐席', role: 'township-operator' as const, org: '340803001' };
    expect(accountIdentity(view({ id: 'op-dk', role: 'township-operator', org: '340803001' }), actor, '?as=dispatcher')).toEqual({ key: 'account:op-dk', actor, scope: '340803001' });
  });

  it('makes a screen read-only in its area, narrowed by ?scope= only inside it', () => {
    const actor = { id: 'wall', name: '大屏', role: 'display' as const, org: '340803001' };
    const v = view({ id: 'wall', role: 'display', org: '340803001' });
    expect(accountIdentity(v, actor, '')).toEqual({ key: 'account:wall', actor: null, scope: '340803001' });
    expect(accountIdentity(v, actor, '?scope=340803001002').scope).toBe('340803001002');
    expect(accountIdentity(v, actor, '?scope=340803002').scope).toBe('340803001');
  });

  it('lets an admin watch the whole district read-only', () => {
    const actor = { id: 'admin', name: '管理员', role: 'display' as const, org: '340803' };
    expect(accountIdentity(view({ id: 'admin', role: 'admin' }), actor, '?scope=340803002')).toEqual({ key: 'account:admin', actor: null, scope: '340803002' });
  });
});
