import { DEFAULT_CALENDAR_CONFIG } from '../../../core/cases/calendar.ts';
import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, countStatuses, type CaseSummary, type DeviceKind } from '../../../core/domain.ts';
import type { Delta, Kpis, Snapshot } from '../../../core/protocol.ts';
import { applyCase, applyCaseReported, applyDelta, applySnapshot, applyWhistle, createStore, feedCases, isFresh, openAlarms, openWhistles, rateSeries, resetStore, trackPath } from './store.ts';
import { STATUS_RGBA } from './colors.ts';
import { alarmOf, caseOf as fullCase, emptyKpiSet, whistleOf } from './test-support.ts';

const sizes: Record<DeviceKind, number> = { camera: 3700, lookout: 6, drone: 2, broadcast: 520, component: 100_000, worker: 351 };

function kpis(eps = 10): Kpis {
  const devices = Object.fromEntries(DEVICE_KINDS.map((k) => [k, countStatuses(new Uint8Array(sizes[k]))])) as Kpis['devices'];
  return {
    devices,
    eventsPerSecond: eps,
    cases: { today: 1, open: 1, overdue: 0, closedToday: 0, byHour: new Array(24).fill(0), openBySource: {} },
    loop: { today: emptyKpiSet(), last30Days: emptyKpiSet() },
  };
}

function bytes(a: ArrayBufferView): ArrayBuffer {
  // What the browser receives: a bare ArrayBuffer attachment.
  return a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength) as ArrayBuffer;
}

function caseOf(id: string, reportedAt: number, stage: CaseSummary['stage'] = 'reported', version = 1): CaseSummary {
  return fullCase(id, { reportedAt, stage, version });
}

function snapshot(seq: number): Snapshot {
  const status = Object.fromEntries(DEVICE_KINDS.map((k) => [k, bytes(new Uint8Array(sizes[k]))])) as Snapshot['status'];
  const droneLL = new Float64Array([117.0, 30.5, 117.1, 30.6]);
  return {
    protocol: 2,
    seq,
    calendar: DEFAULT_CALENDAR_CONFIG,
    serverTime: 1_800_000_000_000,
    status,
    moving: {
      drone: { lonlat: bytes(droneLL), heading: bytes(new Float32Array([90, 180])) },
      worker: { lonlat: bytes(new Float64Array(sizes.worker * 2).fill(117)), heading: bytes(new Float32Array(sizes.worker)) },
    },
    cases: [caseOf('C1', 1), caseOf('C2', 2)],
    whistles: [whistleOf('W1')],
    alarms: [alarmOf('A1'), alarmOf('A2', { status: 'cleared', raisedAt: 5 })],
    session: { actor: { id: 'dispatcher', name: '派遣员', role: 'dispatcher', org: '340803' }, scope: '340803' },
    kpis: kpis(),
  };
}

function delta(seq: number, prevSeq: number, over: Partial<Delta> = {}): Delta {
  return { seq, prevSeq, serverTime: 1_800_000_001_000, events: 5, status: {}, moves: {}, cases: [], whistles: [], alarms: [], kpis: kpis(20), ...over };
}

describe('live store', () => {
  it('counts deadlines with the working calendar the server sent', () => {
    const s = createStore(sizes);
    const holiday = { ...DEFAULT_CALENDAR_CONFIG, holidays: [...DEFAULT_CALENDAR_CONFIG.holidays, '2026-11-25'] };
    applySnapshot(s, { ...snapshot(1), calendar: holiday });
    expect(s.calendar.isWorkingDay(Date.UTC(2026, 10, 25, 2))).toBe(false);
    applySnapshot(s, { ...snapshot(2), calendar: { ...holiday, periods: [['12:00', '08:00']] } });
    expect(s.calendar.isWorkingDay(Date.UTC(2026, 10, 25, 2))).toBe(false); // an unusable calendar keeps the last good one
  });

  it('starts offline and takes a snapshot', () => {
    const s = createStore(sizes);
    expect(s.counts.component.offline).toBe(100_000);
    applySnapshot(s, snapshot(10));
    expect(s.seq).toBe(10);
    expect(s.counts.component.online).toBe(100_000);
    expect(s.colors.component.subarray(0, 4)).toEqual(STATUS_RGBA.component.subarray(0, 4));
    expect(s.moving.drone.lonlat[2]).toBeCloseTo(117.1);
    expect(feedCases(s).map((c) => c.id)).toEqual(['C2', 'C1']);
  });

  it('applies status deltas, keeping counts and colours in step', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(10));
    const r = applyDelta(s, delta(11, 10, { status: { component: { index: bytes(new Uint32Array([5, 7, 7])), status: bytes(new Uint8Array([3, 2, 1])) } } }));
    expect(r).toBe('applied');
    expect(s.status.component[5]).toBe(3);
    expect(s.status.component[7]).toBe(1);
    expect(s.counts.component).toMatchObject({ online: 99_998, alarm: 1, offline: 1, fault: 0, total: 100_000 });
    expect([...s.colors.component.subarray(20, 24)]).toEqual([...STATUS_RGBA.component.subarray(12, 16)]);
    expect(s.seq).toBe(11);
    expect(s.eventsTotal).toBe(5);
  });

  it('reports a gap and leaves state untouched when prevSeq does not match', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(10));
    const r = applyDelta(s, delta(13, 12, { status: { camera: { index: bytes(new Uint32Array([1])), status: bytes(new Uint8Array([1])) } } }));
    expect(r).toBe('gap');
    expect(s.status.camera[1]).toBe(0);
    expect(s.seq).toBe(10);
    expect(applyDelta(s, delta(9, 8))).toBe('stale');
    expect(applyDelta(createStore(sizes), delta(1, 0))).toBe('gap');
  });

  it('moves drones and keeps their tracks', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(1));
    applyDelta(s, delta(2, 1, { moves: { drone: { index: bytes(new Uint32Array([1])), lonlat: bytes(new Float64Array([117.2, 30.7])), heading: bytes(new Float32Array([45])) } } }));
    expect(s.moving.drone.lonlat[2]).toBeCloseTo(117.2);
    expect(s.moving.drone.heading[1]).toBe(45);
    expect(trackPath(s.tracks[1])).toEqual([[117.1, 30.6], [117.2, 30.7]]);
    expect(trackPath(s.tracks[0]).length).toBe(1);
  });

  it('replaces cases by id and puts new ones first in the feed', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(1));
    applyDelta(s, delta(2, 1, { cases: [caseOf('C1', 1, 'closed', 2), caseOf('C3', 3)] }));
    expect(s.cases.get('C1')?.stage).toBe('closed');
    expect(feedCases(s).map((c) => c.id)).toEqual(['C3', 'C2', 'C1']);
    applyCaseReported(s, caseOf('C4', 4));
    applyCaseReported(s, caseOf('C4', 4));
    expect(s.feed.filter((x) => x === 'C4').length).toBe(1);
    expect(rateSeries(s).length).toBe(2);
  });

  it('starts the events-per-second series afresh when time runs backwards (a replay jumping back)', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(1));
    applyDelta(s, delta(2, 1));
    applyDelta(s, delta(3, 2, { serverTime: 1_800_000_002_000 }));
    expect(rateSeries(s).map(([t]) => t)).toEqual([1_800_000_000_000, 1_800_000_001_000, 1_800_000_002_000]);
    applySnapshot(s, { ...snapshot(1), serverTime: 1_799_999_000_000 });
    expect(rateSeries(s)).toEqual([[1_799_999_000_000, expect.any(Number)]]);
  });

  it('keeps the newest version of a case when acks and deltas race, and flashes live arrivals only', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(1), 1000);
    expect(isFresh(s, 'C1', 1000)).toBe(false); // in the snapshot: not new
    applyCase(s, caseOf('C1', 1, 'filed', 3)); // the ack of a command
    applyDelta(s, delta(2, 1, { cases: [caseOf('C1', 1, 'reported', 2)] })); // an older delta
    expect(s.cases.get('C1')?.stage).toBe('filed');
    applyDelta(s, delta(3, 2, { cases: [caseOf('C9', 9)] }), 5000);
    expect(isFresh(s, 'C9', 6000)).toBe(true);
    expect(isFresh(s, 'C9', 60_000)).toBe(false);
  });

  it('drops (and counts) cases outside the scope asked for', () => {
    const s = createStore(sizes, undefined, '340803001');
    const snap = snapshot(1);
    snap.cases.push(fullCase('X1', { townshipCode: '340803002', communityCode: '340803002001' }), fullCase('X2', { townshipCode: '', communityCode: '' }));
    applySnapshot(s, snap);
    expect([...s.cases.keys()].sort()).toEqual(['C1', 'C2']);
    expect(s.droppedOutOfScope).toBe(2);
    applyDelta(s, delta(2, 1, { cases: [fullCase('X3', { townshipCode: '340803005', communityCode: '' })] }));
    expect(s.cases.has('X3')).toBe(false);
    expect(s.droppedOutOfScope).toBe(3);
  });

  it('keeps whistles, alarms and the session; resets on an identity change', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(1));
    expect(s.session?.actor.role).toBe('dispatcher');
    expect(openAlarms(s).map((a) => a.id)).toEqual(['A1']);
    expect(openWhistles(s).map((w) => w.id)).toEqual(['W1']);
    applyWhistle(s, whistleOf('W1', { closedAt: 2, version: 2 }));
    applyWhistle(s, whistleOf('W1', { version: 1 })); // stale
    expect(openWhistles(s)).toEqual([]);
    applyDelta(s, delta(2, 1, { alarms: [alarmOf('A1', { status: 'cleared', updatedAt: 1_800_000_000_500 })] }));
    expect(openAlarms(s)).toEqual([]);
    resetStore(s, '340803002');
    expect(s.seq).toBe(-1);
    expect(s.cases.size + s.whistles.size + s.alarms.size).toBe(0);
    expect(s.scope).toBe('340803002');
  });

  // How fast is the bench's to show (long tasks in the dashboard at full rate), not a unit test's.
  it('applies 5,000-change component deltas: the counts follow, the other 95,000 are untouched', () => {
    const s = createStore(sizes);
    applySnapshot(s, snapshot(0));
    const n = 5000;
    let seq = 0;
    for (let r = 0; r < 40; r++) {
      const idx = new Uint32Array(n);
      const st = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        idx[i] = (i * 20 + r) % 100_000;
        st[i] = (r + i) % 4;
      }
      const untouched = s.status.component.slice();
      const d = delta(seq + 1, seq, { status: { component: { index: bytes(idx), status: bytes(st) } } });
      expect(applyDelta(s, d)).toBe('applied');
      const changed = new Set(idx);
      for (let i = 0; i < 100_000; i++) if (!changed.has(i) && s.status.component[i] !== untouched[i]) throw new Error(`component ${i} changed, not in the delta`);
      for (let i = 0; i < n; i += 997) expect(s.status.component[idx[i]]).toBe(st[i]);
      // What the map does next: hand deck.gl a fresh colour attribute.
      expect(s.colors.component.slice().length).toBe(400_000);
      seq++;
    }
    expect(s.counts.component).toEqual(countStatuses(s.status.component));
  });
});

describe('今日上报 moves with the feed (issue 15, item 9)', () => {
  // 2027-01-15 10:00 in Shanghai (02:00 UTC): the server's clock in these tests.
  const at = Date.UTC(2027, 0, 15, 2, 0);
  const withCounts = (today: number, open: number): Kpis => ({ ...kpis(), cases: { today, open, overdue: 0, closedToday: 0, byHour: new Array(24).fill(0), openBySource: {} } });
  const start = () => {
    const s = createStore(sizes);
    applySnapshot(s, { ...snapshot(1), serverTime: at, cases: [caseOf('C1', at - 3_600_000)], kpis: withCounts(1, 1) });
    return s;
  };

  it('a case reported between KPI rounds is counted the moment it enters the feed', () => {
    const s = start();
    applyCaseReported(s, caseOf('C-NEW', at + 500));
    expect(feedCases(s).map((c) => c.id)).toContain('C-NEW');
    expect(s.kpis?.cases.today).toBe(2);
    expect(s.kpis?.cases.open).toBe(2);
    expect(s.kpis?.cases.byHour[10]).toBe(1);
    // The delta that carries the same case again (no KPIs in it) counts it no second time.
    applyDelta(s, { ...delta(2, 1, { cases: [caseOf('C-NEW', at + 500, 'filed', 2)] }), serverTime: at + 1000, kpis: undefined });
    expect(s.kpis?.cases.today).toBe(2);
  });

  it('a new case that comes first in a delta without KPIs is counted too; the server\'s next KPIs replace the count', () => {
    const s = start();
    applyDelta(s, { ...delta(2, 1, { cases: [caseOf('C-D', at + 200)] }), serverTime: at + 250, kpis: undefined });
    expect(s.kpis?.cases.today).toBe(2);
    applyDelta(s, { ...delta(3, 2), serverTime: at + 500, kpis: withCounts(7, 4) });
    expect(s.kpis?.cases.today).toBe(7);
  });

  it('a case of an earlier day that enters the screen is open, but not reported today', () => {
    const s = start();
    applyCaseReported(s, caseOf('C-OLD', at - 86_400_000));
    expect(s.kpis?.cases.today).toBe(1);
    expect(s.kpis?.cases.open).toBe(2);
  });
});

describe('each change once, in its smallest form (issue 16)', () => {
  const at = Date.UTC(2027, 0, 15, 2, 0);
  const start = () => {
    const s = createStore(sizes);
    applySnapshot(s, { ...snapshot(1), serverTime: at, cases: [caseOf('C1', at - 3_600_000)] });
    return s;
  };

  it('a case patch changes the case the screen holds, field by field', () => {
    const s = start();
    const before = s.version.cases;
    expect(applyDelta(s, delta(2, 1, { casePatches: [{ id: 'C1', from: 1, set: { stage: 'filed', filedAt: at, version: 2 } }] }))).toBe('applied');
    expect(s.cases.get('C1')).toMatchObject({ stage: 'filed', filedAt: at, version: 2, title: 'C1', reportedAt: at - 3_600_000 });
    expect(s.version.cases).toBe(before + 1);
  });

  it('a patch the screen already has (a command\'s answer came first) changes nothing', () => {
    const s = start();
    applyCase(s, caseOf('C1', at - 3_600_000, 'dispatched', 3));
    expect(applyDelta(s, delta(2, 1, { casePatches: [{ id: 'C1', from: 1, set: { stage: 'filed', version: 2 } }] }))).toBe('applied');
    expect(s.cases.get('C1')).toMatchObject({ stage: 'dispatched', version: 3 });
  });

  it('a patch from a version the screen does not hold applies nothing of the delta and asks for a snapshot', () => {
    const s = start();
    const r = applyDelta(s, delta(2, 1, { cases: [caseOf('C-NEW', at)], casePatches: [{ id: 'C-GONE', from: 4, set: { stage: 'closed', version: 5 } }] }));
    expect(r).toBe('resync');
    expect(s.seq).toBe(1);
    expect(s.cases.has('C-NEW')).toBe(false);
  });

  it('a KPI round replaces only the parts it carries; without case counts, new cases are counted here', () => {
    const s = start();
    const loop = s.kpis!.loop;
    applyDelta(s, delta(2, 1, { kpis: { eventsPerSecond: 42, cases: { today: 9, open: 4, overdue: 1, closedToday: 0, byHour: new Array(24).fill(0), openBySource: {} } } }));
    expect(s.kpis).toMatchObject({ eventsPerSecond: 42, cases: { today: 9, open: 4, overdue: 1 } });
    expect(s.kpis!.loop).toBe(loop);
    expect(rateSeries(s).at(-1)?.[1]).toBe(42);
    applyDelta(s, delta(3, 2, { cases: [caseOf('C-NEW', at + 100)], kpis: { eventsPerSecond: 40 } }));
    expect(s.kpis).toMatchObject({ eventsPerSecond: 40, cases: { today: 10, open: 5 } });
  });
});
