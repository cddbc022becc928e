import { describe, expect, it } from 'vitest';
import type { BroadcastSummary } from '../../../core/broadcast.ts';
import type { BroadcastRequestView } from '../../../core/broadcast-approval.ts';
import type { BroadcastPoint } from '../../../core/dataset.ts';
import { broadcastList, broadcastTargets, initBroadcasts, mergeBroadcasts, mergeRequests, replaceBroadcasts, replaceRequests, requestList } from './broadcasts.ts';
import { circleRing } from '../broadcast/draft.ts';
import { distanceM } from '../../../core/geo.ts';

const T = 1_800_000_000_000;
function summary(id: string, over: Partial<BroadcastSummary> = {}): BroadcastSummary {
  return {
    id, message: { text: '通知', priority: 'urgent', repeat: 1 }, selection: { mode: 'scope', code: '340803002' },
    actor: { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' }, sentAt: T, deadline: T + 60_000, status: 'sent', completedAt: null,
    places: ['340803002001'], progress: { targets: 4, pending: 4, delivered: 0, failed: 0, noAnswer: 0 }, ...over,
  };
}
const state = initBroadcasts;
function request(id: string, over: Partial<BroadcastRequestView> = {}): BroadcastRequestView {
  return {
    id, message: { text: '特急通知', priority: 'emergency', repeat: 2 }, selection: { mode: 'scope', code: '340803002' }, places: ['340803002001'],
    requestedBy: { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' }, requestedAt: T, expiresAt: T + 600_000,
    status: 'pending', decidedBy: null, decidedAt: null, reason: null, pointCount: 4, ...over,
  };
}

describe('broadcasts in the store', () => {
  it('a snapshot replaces, deltas merge newest progress, out-of-scope ones are dropped', () => {
    const s = state('340803002');
    replaceBroadcasts(s, [summary('B1'), summary('B2', { sentAt: T + 5, places: ['340803001002'], actor: { id: 'x', name: 'x', role: 'township-operator', org: '340803001' } })]);
    expect([...s.broadcasts.keys()]).toEqual(['B1']);
    const later = summary('B1', { status: 'delivering', progress: { targets: 4, pending: 1, delivered: 2, failed: 1, noAnswer: 0 } });
    mergeBroadcasts(s, [later]);
    // An older summary (the send ack arriving after a delta) never moves progress back.
    mergeBroadcasts(s, [summary('B1')]);
    expect(s.broadcasts.get('B1')!.progress.pending).toBe(1);
    mergeBroadcasts(s, [summary('B3', { sentAt: T + 10 })]);
    expect(broadcastList(s).map((b) => b.id)).toEqual(['B3', 'B1']);
    expect(s.broadcastsVersion).toBe(3);
  });

  it('requests: a snapshot replaces, a decision replaces pending but a late pending never replaces a decision, out-of-scope ones are dropped', () => {
    const s = state('340803002');
    const west = { places: ['340803001002'], requestedBy: { id: 'x', name: 'x', role: 'township-operator' as const, org: '340803001' } };
    replaceRequests(s, [request('R1'), request('R2', west)]);
    expect([...s.broadcastRequests.keys()]).toEqual(['R1']);
    const leader = { id: 'L1', name: '值班领导', role: 'duty-leader' as const, org: '340803' };
    mergeRequests(s, [request('R1', { status: 'approved', decidedBy: leader, decidedAt: T + 60_000 })]);
    // The request's own ack (pending) arriving after the approval's delta changes nothing.
    mergeRequests(s, [request('R1')]);
    expect(s.broadcastRequests.get('R1')).toMatchObject({ status: 'approved', decidedBy: { id: 'L1' } });
    mergeRequests(s, [request('R3', { requestedAt: T + 10 })]);
    expect(requestList(s).map((r) => r.id)).toEqual(['R3', 'R1']);
  });

  it('points take their community and township from their grid', () => {
    const p = (id: string, gridIndex: number): BroadcastPoint => ({ id, name: id, lon: 117, lat: 30.5, gridIndex, townshipCode: '340803009', speakers: 2 });
    expect(broadcastTargets([p('A', 1), p('B', -1)], ['340803001001', '340803002001'], ['340803001', '340803002'])).toEqual([
      { id: 'A', lon: 117, lat: 30.5, townshipCode: '340803002', communityCode: '340803002001' },
      { id: 'B', lon: 117, lat: 30.5, townshipCode: '', communityCode: '' },
    ]);
  });

  it('draws a radius as a ring of that radius', () => {
    for (const [lon, lat] of circleRing(117.05, 30.52, 2000)) expect(Math.abs(distanceM([117.05, 30.52], [lon, lat]) - 2000)).toBeLessThan(15);
  });
});
