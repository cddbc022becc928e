import { describe, expect, it } from 'vitest';
import { applyRegistryEvent, decideProvision, decideRetire, decideUpdate, type RegisteredDevice, type RegistryView } from './registry.ts';
import type { BBox } from './dataset.ts';

const bbox: BBox = [116.9, 30.4, 117.1, 30.6];
const origin = { actor: { id: 'admin', name: '管理员', role: 'admin', org: '340803' }, source: 'admin' };
const cam: RegisteredDevice = { kind: 'camera', id: 'CAM-1', index: 3, name: '一号', lon: 117, lat: 30.5, ai: false, streamUrl: null, retired: false };
const view = (...devices: RegisteredDevice[]): RegistryView => ({ bbox, get: (kind, id) => devices.find((d) => d.kind === kind && d.id === id) });

describe('device registry decisions', () => {
  it('provisions a new id inside the district; refuses one in service and one outside, saying why', () => {
    const spec = { kind: 'camera' as const, id: 'CAM-2', name: '二号', lon: 117.01, lat: 30.51 };
    expect(decideProvision(view(cam), spec, origin)).toEqual({ ok: true, event: { type: 'provisioned', device: spec, ...origin } });
    expect(decideProvision(view(cam), { ...spec, id: 'CAM-1' }, origin)).toMatchObject({ ok: false, code: 'DEVICE_EXISTS' });
    // Shanghai, or lat/lon swapped: both off the district.
    expect(decideProvision(view(), { ...spec, lon: 121.47, lat: 31.23 }, origin)).toMatchObject({ ok: false, code: 'OUTSIDE_DISTRICT' });
    expect(decideProvision(view(), { ...spec, lon: 30.51, lat: 117.01 }, origin)).toMatchObject({ ok: false, code: 'OUTSIDE_DISTRICT' });
    // A retired camera may be provisioned again (reinstalled).
    expect(decideProvision(view({ ...cam, retired: true }), { ...spec, id: 'CAM-1' }, origin).ok).toBe(true);
  });

  it('an update logs only what differs; the same values decide nothing', () => {
    expect(decideUpdate(view(cam), 'camera', 'CAM-1', { lon: 117, name: '一号', ai: true }, origin)).toEqual({ ok: true, event: { type: 'updated', kind: 'camera', id: 'CAM-1', changes: { ai: true }, ...origin } });
    expect(decideUpdate(view(cam), 'camera', 'CAM-1', { lon: 117.00000001, name: '一号' }, origin)).toBeNull();
    expect(decideUpdate(view(cam), 'camera', 'CAM-9', { name: 'x' }, origin)).toMatchObject({ ok: false, code: 'UNKNOWN_DEVICE' });
    expect(decideUpdate(view({ ...cam, retired: true }), 'camera', 'CAM-1', { name: 'x' }, origin)).toMatchObject({ ok: false, code: 'DEVICE_RETIRED' });
    expect(decideUpdate(view(cam), 'camera', 'CAM-1', { lat: 31.5 }, origin)).toMatchObject({ ok: false, code: 'OUTSIDE_DISTRICT' });
  });

  it('retires once', () => {
    expect(decideRetire(view(cam), 'camera', 'CAM-1', '拆除', origin)).toMatchObject({ ok: true, event: { type: 'retired', reason: '拆除' } });
    expect(decideRetire(view({ ...cam, retired: true }), 'camera', 'CAM-1', '拆除', origin)).toMatchObject({ ok: false, code: 'DEVICE_RETIRED' });
    expect(decideRetire(view(), 'camera', 'CAM-1', '拆除', origin)).toMatchObject({ ok: false, code: 'UNKNOWN_DEVICE' });
  });

  it('applies events: a new device at the given index, a reinstated one at its old index', () => {
    const made = applyRegistryEvent(undefined, { type: 'provisioned', device: { kind: 'camera', id: 'N', name: 'n', lon: 117, lat: 30.5, ai: true }, ...origin }, 12);
    expect(made).toEqual({ kind: 'camera', id: 'N', index: 12, name: 'n', lon: 117, lat: 30.5, ai: true, streamUrl: null, retired: false });
    const moved = applyRegistryEvent(made, { type: 'updated', kind: 'camera', id: 'N', changes: { lat: 30.55, streamUrl: '/hls/n.m3u8' }, ...origin }, 99);
    expect(moved).toMatchObject({ index: 12, lon: 117, lat: 30.55, streamUrl: '/hls/n.m3u8' });
    const gone = applyRegistryEvent(moved, { type: 'retired', kind: 'camera', id: 'N', reason: 'x', ...origin }, 99);
    expect(gone).toMatchObject({ retired: true, index: 12 });
    expect(applyRegistryEvent(gone, { type: 'provisioned', device: { kind: 'camera', id: 'N', name: 'n2', lon: 117, lat: 30.5 }, ...origin }, 40)).toMatchObject({ index: 12, retired: false, name: 'n2' });
    expect(applyRegistryEvent(undefined, { type: 'retired', kind: 'camera', id: 'N', reason: 'x', ...origin }, 0)).toBeUndefined();
  });
});
