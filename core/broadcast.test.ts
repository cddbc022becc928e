import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import {
  BroadcastReceiptSchema, BroadcastSendSchema, broadcastInScope, deadlineFor, evolve, normalizeMessage, overduePoints, receiptProblem,
  ringProblem, selectionProblem, selectPoints, sendProblem, summarize, type BroadcastEvent, type BroadcastTarget, type Selection,
} from './broadcast.ts';
import type { Actor } from './org.ts';

// A 5 × 4 lattice of points 0.01° apart from (117.00, 30.50); the west half in 德宽路 (two communities), the east half in 玉琳路.
const POINTS: BroadcastTarget[] = [];
for (let y = 0; y < 4; y++) {
  for (let x = 0; x < 5; x++) {
    const west = x < 3;
    POINTS.push({
      id: `BC-${x}${y}`, lon: 117 + x * 0.01, lat: 30.5 + y * 0.01,
      townshipCode: west ? '340803001' : '340803002',
      communityCode: west ? (y < 2 ? '340803001001' : '340803001002') : '340803002001',
    });
  }
}

const actor = (role: Actor['role'], org: string): Actor => ({ id: `${role}-${org}`, name: role, role, org });

describe('selection', () => {
  it('by scope: district, township, community', () => {
    expect(selectPoints({ mode: 'scope', code: '340803' }, POINTS)).toHaveLength(20);
    expect(selectPoints({ mode: 'scope', code: '340803002' }, POINTS)).toHaveLength(8);
    expect(selectPoints({ mode: 'scope', code: '340803001002' }, POINTS).sort()).toEqual(['BC-02', 'BC-03', 'BC-12', 'BC-13', 'BC-22', 'BC-23']);
    expect(selectionProblem({ mode: 'scope', code: '340802001' })).toMatchObject({ field: '/selection/code' });
  });

  it('by an area drawn on the map: open or closed ring, concave shapes, nothing outside', () => {
    const square: Selection = { mode: 'area', ring: [[116.995, 30.495], [117.015, 30.495], [117.015, 30.515], [116.995, 30.515]] };
    expect(selectPoints(square, POINTS).sort()).toEqual(['BC-00', 'BC-01', 'BC-10', 'BC-11']);
    const closed: Selection = { mode: 'area', ring: [...(square as { ring: [number, number][] }).ring, [116.995, 30.495]] };
    expect(selectPoints(closed, POINTS)).toEqual(selectPoints(square, POINTS));
    // An L shape: the notch (BC-11 region) is left out.
    const ell: Selection = { mode: 'area', ring: [[116.995, 30.495], [117.025, 30.495], [117.025, 30.505], [117.005, 30.505], [117.005, 30.525], [116.995, 30.525]] };
    expect(selectPoints(ell, POINTS).sort()).toEqual(['BC-00', 'BC-01', 'BC-02', 'BC-10', 'BC-20']);
    expect(selectPoints({ mode: 'area', ring: [[118, 31], [118.1, 31], [118.1, 31.1]] }, POINTS)).toEqual([]);
  });

  it('rejects unusable polygons with the reason', () => {
    expect(ringProblem([[117, 30.5], [117.01, 30.5]])).toMatch(/at least 3/);
    expect(ringProblem([[117, 30.5], [117.01, 30.5], [117, 30.5]])).toMatch(/at least 3/); // closed two-vertex ring
    expect(ringProblem([[117, 30.5], [117.01, 30.5], [117.02, 30.5]])).toMatch(/no area/);
    expect(ringProblem([[117, 30.5], [117.01, 30.5], [117.01, 30.5], [117, 30.51]])).toMatch(/repeats vertex 2/);
    // A bow tie crosses itself.
    expect(ringProblem([[117, 30.5], [117.01, 30.51], [117.01, 30.5], [117, 30.51]])).toMatch(/crosses itself/);
    expect(ringProblem(Array.from({ length: 201 }, (_, i) => [117 + Math.cos(i / 32) * 0.01, 30.5 + Math.sin(i / 32) * 0.01] as [number, number]))).toMatch(/more than 200/);
    expect(ringProblem([[117, 30.5], [117.01, 30.5], [117.01, 30.51]])).toBeNull();
    const check = Compile(BroadcastSendSchema);
    const msg = { text: '请注意', priority: 'urgent', repeat: 2 };
    expect(check.Check({ message: msg, selection: { mode: 'area', ring: [[117, 30.5], [117.01, 30.5]] } })).toBe(false);
    expect(check.Check({ message: msg, selection: { mode: 'area', ring: [[117, 30.5], [117.01, 30.5], [117.01, 91]] } })).toBe(false);
    expect(selectionProblem({ mode: 'area', ring: [[117, 30.5], [117.01, 30.51], [117.01, 30.5], [117, 30.51]] })).toMatchObject({ field: '/selection/ring' });
  });

  it('by radius around a point, at most 10 km', () => {
    // 0.01° of latitude is about 1,112 m.
    expect(selectPoints({ mode: 'radius', lon: 117, lat: 30.5, radiusM: 1200 }, POINTS).sort()).toEqual(['BC-00', 'BC-01', 'BC-10']);
    expect(selectPoints({ mode: 'radius', lon: 117, lat: 30.5, radiusM: 10 }, POINTS)).toEqual(['BC-00']);
    const check = Compile(BroadcastSendSchema);
    const msg = { text: '请注意', priority: 'normal', repeat: 1 };
    expect(check.Check({ message: msg, selection: { mode: 'radius', lon: 117, lat: 30.5, radiusM: 10_000 } })).toBe(true);
    expect(check.Check({ message: msg, selection: { mode: 'radius', lon: 117, lat: 30.5, radiusM: 10_001 } })).toBe(false);
    expect(check.Check({ message: msg, selection: { mode: 'radius', lon: 117, lat: 30.5, radiusM: 0 } })).toBe(false);
  });
});

describe('message', () => {
  it('is trimmed, 1–500 characters, with a known priority and 1–10 repeats', () => {
    expect(normalizeMessage({ text: '  防汛紧急通知  ', priority: 'emergency', repeat: 3 })).toMatchObject({ ok: true, message: { text: '防汛紧急通知' } });
    expect(normalizeMessage({ text: '   ', priority: 'normal', repeat: 1 })).toMatchObject({ ok: false, field: '/message/text' });
    const check = Compile(BroadcastSendSchema);
    const sel = { mode: 'scope', code: '340803' };
    expect(check.Check({ message: { text: 'x'.repeat(500), priority: 'normal', repeat: 1 }, selection: sel })).toBe(true);
    expect(check.Check({ message: { text: 'x'.repeat(501), priority: 'normal', repeat: 1 }, selection: sel })).toBe(false);
    expect(check.Check({ message: { text: 'x', priority: 'loud', repeat: 1 }, selection: sel })).toBe(false);
    expect(check.Check({ message: { text: 'x', priority: 'normal', repeat: 11 }, selection: sel })).toBe(false);
    expect(check.Check({ message: { text: 'x', priority: 'normal', repeat: 0 }, selection: sel })).toBe(false);
  });
});

describe('who may send', () => {
  const west = POINTS.filter((p) => p.townshipCode === '340803001');
  it('district staff anywhere; township and community staff only inside their area; displays, grid workers and departments never', () => {
    expect(sendProblem(actor('dispatcher', '340803'), POINTS)).toBeNull();
    expect(sendProblem(actor('duty-leader', '340803'), POINTS)).toBeNull();
    expect(sendProblem(actor('township-operator', '340803001'), west)).toBeNull();
    expect(sendProblem(actor('township-operator', '340803001'), POINTS)?.message).toMatch(/8 of the 20 selected points lie outside your area/);
    expect(sendProblem(actor('duty-leader', '340803001'), west)).toBeNull();
    const mashan = POINTS.filter((p) => p.communityCode === '340803001002');
    expect(sendProblem(actor('community-operator', '340803001002'), mashan)).toBeNull();
    expect(sendProblem(actor('community-operator', '340803001002'), west)).toMatchObject({ code: 'FORBIDDEN' });
    expect(sendProblem(actor('display', '340803'), POINTS)).toMatchObject({ code: 'FORBIDDEN' });
    expect(sendProblem(actor('grid-worker', '340803001002'), mashan)).toMatchObject({ code: 'FORBIDDEN' });
    expect(sendProblem(actor('department', 'DEPT-YJ'), POINTS)).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('lifecycle and progress', () => {
  const T = Date.UTC(2026, 10, 23, 2);
  const sender = { id: 'd1', name: '派遣员', role: 'dispatcher' as const, org: '340803' };
  const message = { text: '请注意防汛', priority: 'urgent' as const, repeat: 2 };
  const sent: BroadcastEvent = {
    type: 'sent', broadcastId: 'B-1', at: T, actor: sender, message, selection: { mode: 'scope', code: '340803002' },
    targets: ['P1', 'P2', 'P3', 'P4'], places: ['340803002001'], deadline: deadlineFor(T, message, 30_000),
  };

  it('sent → delivering → completed; each point pending → delivered | failed | no-answer', () => {
    let s = evolve(null, sent);
    expect(s).toMatchObject({ status: 'sent', progress: { targets: 4, pending: 4, delivered: 0 } });
    expect(s.deadline).toBe(T + 30_000 + 2 * 2000);
    s = evolve(s, { type: 'delivered', broadcastId: 'B-1', at: T + 3000, receipts: [{ pointId: 'P1', ts: T + 2500 }, { pointId: 'P2', ts: T + 2600 }] });
    expect(s).toMatchObject({ status: 'delivering', progress: { pending: 2, delivered: 2 } });
    s = evolve(s, { type: 'failed', broadcastId: 'B-1', at: T + 4000, receipts: [{ pointId: 'P3', ts: T + 3900, reason: '功放故障' }] });
    expect(s.points.P3).toEqual({ status: 'failed', at: T + 3900, reason: '功放故障' });
    expect(overduePoints(s, s.deadline - 1)).toEqual([]);
    expect(overduePoints(s, s.deadline)).toEqual(['P4']);
    s = evolve(s, { type: 'timed-out', broadcastId: 'B-1', at: s.deadline, pointIds: ['P4'] });
    expect(s).toMatchObject({ status: 'completed', completedAt: s.deadline, progress: { targets: 4, pending: 0, delivered: 2, failed: 1, noAnswer: 1 } });
    expect(summarize(s)).not.toHaveProperty('points');
  });

  it('a repeated or late receipt changes nothing; unknown broadcasts and points are named', () => {
    let s = evolve(null, sent);
    s = evolve(s, { type: 'delivered', broadcastId: 'B-1', at: T + 1, receipts: [{ pointId: 'P1', ts: T + 1 }] });
    const again = evolve(s, { type: 'failed', broadcastId: 'B-1', at: T + 2, receipts: [{ pointId: 'P1', ts: T + 2, reason: 'x' }] });
    expect(again.progress).toEqual(s.progress);
    const r = { broadcastId: 'B-1', pointId: 'P1', ts: T, ok: true };
    expect(receiptProblem(s, r)).toBe('duplicate');
    expect(receiptProblem(s, { ...r, pointId: 'P2' })).toBeNull();
    expect(receiptProblem(s, { ...r, pointId: 'P9' })).toMatchObject({ field: '/pointId' });
    expect(receiptProblem(undefined, r)).toMatchObject({ field: '/broadcastId' });
    expect(Compile(BroadcastReceiptSchema).Check({ ...r, ok: 'yes' })).toBe(false);
  });

  it('a broadcast with no targets is complete at once; scope sees broadcasts touching it', () => {
    const s = evolve(null, { ...sent, targets: [], places: [] });
    expect(s).toMatchObject({ status: 'completed', completedAt: T });
    const b = evolve(null, sent);
    expect(broadcastInScope('340803', b)).toBe(true);
    expect(broadcastInScope('340803002', b)).toBe(true);
    expect(broadcastInScope('340803001', b)).toBe(false);
  });
});
