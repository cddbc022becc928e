import { describe, expect, it } from 'vitest';
import { computeKpis } from './cases/kpi.ts';
import { decodeDelta, decodeSnapshot, encodeDelta, encodeSnapshot, toTyped, type Delta, type Snapshot } from './protocol.ts';

const kpis = { devices: {} as NonNullable<Delta['kpis']>['devices'], cases: { today: 0, open: 0, overdue: 0, closedToday: 0, byHour: [], openBySource: {} }, loop: { today: computeKpis([], 0), last30Days: computeKpis([], 0) }, eventsPerSecond: 0 };

describe('packed binary wire format', () => {
  it('round-trips a delta: its device changes travel as one binary part', () => {
    const delta: Delta = {
      seq: 9, prevSeq: 4, serverTime: 1, events: 5, cases: [], whistles: [], alarms: [], kpis,
      status: { camera: { index: Uint32Array.of(1, 7), status: Uint8Array.of(0, 2) }, component: { index: Uint32Array.of(99_999), status: Uint8Array.of(3) } },
      moves: { drone: { index: Uint32Array.of(1), lonlat: Float64Array.of(117.031234, 30.521234), heading: Float32Array.of(270) } },
    };
    const wire = encodeDelta(delta);
    expect(Object.keys(wire).sort()).toEqual(['alarms', 'cases', 'devices', 'events', 'kpis', 'prevSeq', 'seq', 'serverTime', 'whistles']);
    // What Node's socket.io-client hands over: a Buffer at an odd offset inside a bigger buffer.
    const raw = wire.devices as Uint8Array;
    const host = new Uint8Array(raw.byteLength + 3);
    host.set(raw, 3);
    const back = decodeDelta({ ...wire, devices: host.subarray(3) });
    expect([...back.status.camera!.index as Uint32Array]).toEqual([1, 7]);
    expect([...back.status.camera!.status as Uint8Array]).toEqual([0, 2]);
    expect([...back.status.component!.index as Uint32Array]).toEqual([99_999]);
    expect([...back.moves.drone!.lonlat as Float64Array]).toEqual([117.031234, 30.521234]);
    expect([...back.moves.drone!.heading as Float32Array]).toEqual([270]);
    expect(back).not.toHaveProperty('devices');
    expect(back.seq).toBe(9);
  });

  it('round-trips a snapshot from an ArrayBuffer as the browser receives it', () => {
    const snap = {
      protocol: 1, seq: 3, serverTime: 2, cases: [], kpis,
      status: { camera: Uint8Array.of(1, 0, 1), component: new Uint8Array(100_000).fill(2) },
      moving: { worker: { lonlat: Float64Array.of(1, 2), heading: Float32Array.of(5) } },
    } as unknown as Snapshot;
    const wire = encodeSnapshot(snap);
    const blob = wire.blob as Uint8Array;
    const back = decodeSnapshot({ ...wire, blob: blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer });
    expect([...toTyped(back.status.camera, Uint8Array)]).toEqual([1, 0, 1]);
    expect(toTyped(back.status.component, Uint8Array).every((v) => v === 2)).toBe(true);
    expect([...toTyped(back.moving.worker.lonlat, Float64Array)]).toEqual([1, 2]);
  });
});
