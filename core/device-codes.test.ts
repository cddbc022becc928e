import { describe, expect, it } from 'vitest';
import { componentCodeProblem, parseGb28181 } from './device-codes.ts';

describe('GB/T 28181 ids', () => {
  it('reads a camera id: center 34080300, industry 00, type 131, serial 0000001', () => {
    expect(parseGb28181('34080300001310000001', { camera: true })).toEqual({ ok: true, id: { center: '34080300', industry: '00', type: '131', serial: '0000001' } });
    expect(parseGb28181('34080300041320012345', { camera: true })).toMatchObject({ ok: true, id: { type: '132', industry: '04' } });
  });
  it('refuses what is not one, saying why', () => {
    expect(parseGb28181('3408030000131000001')).toMatchObject({ ok: false, message: expect.stringMatching(/20 digits expected, got 19/) });
    expect(parseGb28181('3408030000131000000A')).toMatchObject({ ok: false, message: expect.stringMatching(/non-digits/) });
    // 99 is no province.
    expect(parseGb28181('99080300001310000001')).toMatchObject({ ok: false, message: expect.stringMatching(/province/) });
    // An NVR (118) is a device, but not a camera.
    expect(parseGb28181('34080300001180000001')).toMatchObject({ ok: true });
    expect(parseGb28181('34080300001180000001', { camera: true })).toMatchObject({ ok: false, message: expect.stringMatching(/118 \(NVR\) is not a camera/) });
    expect(parseGb28181('34080300009990000001')).toMatchObject({ ok: false });
  });
});

describe('GB/T 30428 component codes', () => {
  it('accepts a water-supply manhole cover of 大观区 (DOMAIN.md example) and names what is wrong otherwise', () => {
    expect(componentCodeProblem('3408030101000001', '340803')).toBeNull();
    expect(componentCodeProblem('340803010100001', '340803')).toMatch(/16 digits expected/);
    expect(componentCodeProblem('3408020101000001', '340803')).toMatch(/county 340802 is not this district's/);
    expect(componentCodeProblem('3408030901000001', '340803')).toMatch(/09 is not a component big class/);
  });
});
