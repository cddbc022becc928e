import { describe, expect, it } from 'vitest';
import { parentCode, placeInScope } from './org.ts';

describe('scopes', () => {
  it('places a case by its location codes; the district also sees cases outside every grid', () => {
    const c = { townshipCode: '340803001', communityCode: '340803001002' };
    expect(placeInScope('340803', c)).toBe(true);
    expect(placeInScope('340803001', c)).toBe(true);
    expect(placeInScope('340803001002', c)).toBe(true);
    expect(placeInScope('340803002', c)).toBe(false);
    expect(placeInScope('340803001003', c)).toBe(false);
    expect(placeInScope('340803001', { townshipCode: '', communityCode: '' })).toBe(false);
    expect(placeInScope('340803', { townshipCode: '', communityCode: '' })).toBe(true);
  });

  it('climbs community → township → district', () => {
    expect(parentCode('340803001002')).toBe('340803001');
    expect(parentCode('340803001')).toBe('340803');
    expect(parentCode('340803')).toBeNull();
  });
});
