import { describe, expect, it } from 'vitest';
import { decodeDeviceChanges, encodeDeviceChanges } from './device-delta.ts';

describe('device changes in one binary part', () => {
  it('round-trips statuses of several kinds and moves, positions to 1e-6° and headings to 0.01°', () => {
    const bytes = encodeDeviceChanges({
      status: { component: { index: Uint32Array.of(3, 4, 70_000, 99_999), status: Uint8Array.of(0, 2, 3, 1) }, camera: { index: Uint32Array.of(0), status: Uint8Array.of(1) } },
      moves: { worker: { index: Uint32Array.of(2, 390), lonlat: Float64Array.of(117.0123, 30.5012, 117.1234567, -30.25), heading: Float32Array.of(45, 359.996) } },
    });
    const back = decodeDeviceChanges(bytes);
    expect(Object.keys(back.status).sort()).toEqual(['camera', 'component']);
    expect([...back.status.component!.index]).toEqual([3, 4, 70_000, 99_999]);
    expect([...back.status.component!.status]).toEqual([0, 2, 3, 1]);
    expect([...back.status.camera!.index]).toEqual([0]);
    expect([...back.moves.worker!.index]).toEqual([2, 390]);
    expect([...back.moves.worker!.lonlat]).toEqual([117.0123, 30.5012, 117.123457, -30.25]);
    expect([...back.moves.worker!.heading]).toEqual([45, 0]); // 359.996° rounds to 360.00, which is 0
    expect(back.moves.drone).toBeUndefined();
  });

  it('costs about two bytes per status change of close indices, twelve per move', () => {
    const n = 1000;
    const index = Uint32Array.from({ length: n }, (_, i) => i * 90); // gaps of 90: one varint byte each
    const status = encodeDeviceChanges({ status: { component: { index, status: new Uint8Array(n) } }, moves: {} });
    expect(status.length).toBe(1 + 1 + 1 + 2 + n + n + 1); // version, kinds, kind, count, gaps, statuses, moving kinds
    const moves = encodeDeviceChanges({ status: {}, moves: { worker: { index: Uint32Array.from({ length: 100 }, (_, i) => i), lonlat: new Float64Array(200).fill(117), heading: new Float32Array(100) } } });
    expect(moves.length).toBe(1 + 1 + 1 + 1 + 1 + 100 + 100 * 10); // version, no status kinds, moving kinds, kind, count, gaps, 8 + 2 bytes each
  });

  it('keeps an unknown position unknown, and sorts unsorted changes with their values', () => {
    const back = decodeDeviceChanges(encodeDeviceChanges({
      status: { camera: { index: Uint32Array.of(8, 1), status: Uint8Array.of(2, 3) } },
      moves: { worker: { index: Uint32Array.of(9, 2, 5), lonlat: Float64Array.of(NaN, NaN, 1, 2, 3, 4), heading: Float32Array.of(1, 2, 3) } },
    }));
    expect([...back.status.camera!.index]).toEqual([1, 8]);
    expect([...back.status.camera!.status]).toEqual([3, 2]);
    expect([...back.moves.worker!.index]).toEqual([2, 5, 9]);
    expect([...back.moves.worker!.lonlat.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(back.moves.worker!.lonlat[4]).toBeNaN();
    expect([...back.moves.worker!.heading]).toEqual([2, 3, 1]);
  });

  it('refuses a cut or foreign part with a clear error', () => {
    const bytes = encodeDeviceChanges({ status: { camera: { index: Uint32Array.of(1, 2), status: Uint8Array.of(0, 0) } }, moves: {} });
    expect(() => decodeDeviceChanges(bytes.subarray(0, bytes.length - 2))).toThrow(/cut at byte/);
    expect(() => decodeDeviceChanges(Uint8Array.of(9))).toThrow(/version 9/);
    expect(() => encodeDeviceChanges({ status: { camera: { index: Uint32Array.of(1, 2), status: Uint8Array.of(0) } }, moves: {} })).toThrow(/2 indices, 1 statuses/);
  });
});
