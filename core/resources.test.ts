import { describe, expect, it } from 'vitest';
import { kindOfId, nearestResources, resourceInArea, type EmergencyResource } from './resources.ts';

const base = { townshipCode: '340803001', address: '', phone: '0556-5500000' };
const at = (id: string, kind: EmergencyResource['kind'], lon: number, lat: number): EmergencyResource => ({ ...base, id, kind, name: id, lon, lat });

// On the equator one hundredth of a degree is 2π·6,371,008.8 m / 36,000 = 1,111.95 m, both ways.
const HUNDREDTH = (2 * Math.PI * 6_371_008.8) / 36_000;

describe('nearestResources', () => {
  const list = [
    at('SH-3', 'shelter', 0.03, 0), // 3 hundredths east
    at('SH-2', 'shelter', 0, 0.01), // 1 north
    at('RT-1', 'team', 0.005, 0), // half east, but a team
    at('SH-9', 'shelter', -0.02, 0), // 2 west
    at('SH-1', 'shelter', 0.01, 0), // 1 east: ties SH-2, comes first by id
  ];

  it('orders the wanted kinds by distance, ties by id, and keeps n', () => {
    const got = nearestResources(list, [0, 0], ['shelter'], 3);
    expect(got.map((g) => g.resource.id)).toEqual(['SH-1', 'SH-2', 'SH-9']);
    expect(got[0].distanceM).toBeCloseTo(HUNDREDTH, 3);
    expect(got[1].distanceM).toBeCloseTo(HUNDREDTH, 3);
    expect(got[2].distanceM).toBeCloseTo(2 * HUNDREDTH, 3);
  });

  it('the order does not depend on the input order', () => {
    const reversed = nearestResources([...list].reverse(), [0, 0], ['shelter'], 3);
    expect(reversed.map((g) => g.resource.id)).toEqual(['SH-1', 'SH-2', 'SH-9']);
  });

  it('mixes kinds when asked and returns fewer when fewer exist', () => {
    expect(nearestResources(list, [0, 0], ['team', 'shelter'], 2).map((g) => g.resource.id)).toEqual(['RT-1', 'SH-1']);
    expect(nearestResources(list, [0, 0], ['team'], 5).map((g) => g.resource.id)).toEqual(['RT-1']);
    expect(nearestResources(list, [0, 0], ['hospital'], 5)).toEqual([]);
    expect(nearestResources(list, [0, 0], ['shelter'], 0)).toEqual([]);
  });

  it('measures from the point asked: from 0.03 E the east shelter is first, at 0 m', () => {
    const got = nearestResources(list, [0.03, 0], ['shelter'], 2);
    expect(got.map((g) => g.resource.id)).toEqual(['SH-3', 'SH-1']);
    expect(got[0].distanceM).toBe(0);
    expect(got[1].distanceM).toBeCloseTo(2 * HUNDREDTH, 3);
  });
});

describe('resourceInArea', () => {
  const shelter = { kind: 'shelter' as const, townshipCode: '340803002' };
  const team = { kind: 'team' as const, townshipCode: '340803002' };
  it('the district reads all; a township or community its own shelters and every team', () => {
    expect(resourceInArea('340803', shelter)).toBe(true);
    expect(resourceInArea('340803002', shelter)).toBe(true);
    expect(resourceInArea('340803002001', shelter)).toBe(true);
    expect(resourceInArea('340803001', shelter)).toBe(false);
    expect(resourceInArea('340803001003', shelter)).toBe(false);
    expect(resourceInArea('340803001', team)).toBe(true);
  });
});

describe('kindOfId', () => {
  it('reads the kind from the prefix', () => {
    expect(kindOfId('SH-001')).toBe('shelter');
    expect(kindOfId('FS-2')).toBe('fire');
    expect(kindOfId('XX-1')).toBeUndefined();
    expect(kindOfId('SH001')).toBeUndefined();
  });
});
