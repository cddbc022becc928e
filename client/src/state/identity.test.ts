import { describe, expect, it } from 'vitest';
import { handshakeOf, identityKeyFrom, pickIdentity, presetGroups, resolveIdentity, searchFor, type Directory } from './identity.ts';

const dir: Directory = {
  districtName: '大观区',
  townships: [{ code: '340803001', name: '德宽路街道' }, { code: '340803002', name: '玉琳路街道' }],
  communities: [{ code: '340803001002', name: '马山社区', townshipCode: '340803001' }],
  workers: [{ id: 'GW-0001', name: '许超勇', communityCode: '340803001002' }, { id: 'GW-0002', name: '谢峰', communityCode: '340803001002' }],
};

describe('identity', () => {
  it('resolves every kind of key to an actor and scope', () => {
    expect(resolveIdentity('dispatcher', dir)).toMatchObject({ actor: { role: 'dispatcher', org: '340803' }, scope: '340803' });
    expect(resolveIdentity('leader', dir)?.actor?.role).toBe('duty-leader');
    expect(resolveIdentity('leader:340803002', dir)).toMatchObject({ actor: { role: 'duty-leader', org: '340803002' }, scope: '340803002' });
    expect(resolveIdentity('leader:DUTY-L03', dir)).toMatchObject({ actor: { id: 'DUTY-L03', role: 'duty-leader', org: '340803' }, scope: '340803' });
    expect(resolveIdentity('leader:DUTY-<x>', dir)).toBeNull();
    expect(resolveIdentity('township:340803001', dir)).toMatchObject({ actor: { role: 'township-operator', name: '德宽路街道坐席' }, scope: '340803001' });
    expect(resolveIdentity('community:340803001002', dir)).toMatchObject({ actor: { role: 'community-operator' }, scope: '340803001002' });
    expect(resolveIdentity('dept:DEPT-CG', dir)).toMatchObject({ actor: { role: 'department', org: 'DEPT-CG', name: '区城管局' }, scope: '340803' });
    expect(resolveIdentity('worker:GW-0002', dir)).toMatchObject({ actor: { id: 'GW-0002', role: 'grid-worker', org: '340803001002' }, scope: '340803001002' });
    expect(resolveIdentity('display:340803002', dir)).toEqual({ key: 'display:340803002', actor: null, scope: '340803002' });
    for (const bad of ['nobody', 'township:999', 'dept:DEPT-XX', 'worker:GW-9', 'display:340803009']) expect(resolveIdentity(bad, dir)).toBeNull();
    expect(pickIdentity('nobody', dir)).toMatchObject({ actor: null, scope: '340803' });
  });

  it('takes the key from the URL first, then storage', () => {
    expect(identityKeyFrom('?as=dept:DEPT-CG', 'dispatcher')).toBe('dept:DEPT-CG');
    expect(identityKeyFrom('?scope=340803001', 'dispatcher')).toBe('display:340803001');
    expect(identityKeyFrom('?as=display&scope=340803001', null)).toBe('display:340803001');
    expect(identityKeyFrom('', 'township:340803001')).toBe('township:340803001');
    expect(identityKeyFrom('', null)).toBe('display');
  });

  it('round-trips through the URL and builds the handshake', () => {
    const t = pickIdentity('township:340803001', dir);
    expect(searchFor(t, '?lang=en&scope=1')).toBe('?lang=en&as=township%3A340803001');
    expect(identityKeyFrom(searchFor(t, ''), null)).toBe(t.key);
    const screen = pickIdentity('display:340803002', dir);
    expect(searchFor(screen, '')).toBe('?scope=340803002');
    expect(handshakeOf(screen)).toEqual({ scope: '340803002' });
    expect(handshakeOf(t)).toEqual({ actor: t.actor, scope: '340803001' });
  });

  it('offers presets that all resolve', () => {
    const groups = presetGroups(dir, false);
    const keys = groups.flatMap((g) => g.options.map((o) => o.key));
    expect(keys).toContain('dispatcher');
    expect(keys).toContain('dept:DEPT-SW');
    expect(keys.filter((k) => k.startsWith('worker:'))).toEqual(['worker:GW-0001']); // one per community
    for (const k of keys) expect(resolveIdentity(k, dir), k).not.toBeNull();
  });

  it('groups community centers and grid workers by their township, leaving out empty groups', () => {
    const two: Directory = {
      ...dir,
      communities: [...dir.communities, { code: '340803002001', name: '菱北社区', townshipCode: '340803002' }],
      workers: [...dir.workers, { id: 'GW-0100', name: '王芳', communityCode: '340803002001' }],
    };
    const groups = presetGroups(two, false);
    const of = (label: string) => groups.filter((g) => g.label === label).map((g) => [g.place, g.options.map((o) => o.key)]);
    expect(of('identity.group.community')).toEqual([
      ['德宽路街道', ['community:340803001002']],
      ['玉琳路街道', ['community:340803002001']],
    ]);
    expect(of('identity.group.worker')).toEqual([
      ['德宽路街道', ['worker:GW-0001']],
      ['玉琳路街道', ['worker:GW-0100']],
    ]);
    expect(groups.every((g) => g.options.length > 0)).toBe(true);
  });

});
