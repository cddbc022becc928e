// The approval of urgent broadcasts against an oracle written out by hand from the rule (issue 15
// item 4: 紧急/特急 need a duty leader's approval; the requester may not approve; undecided requests
// expire), never read back from REQUEST_TRANSITIONS.
import { describe, expect, it } from 'vitest';
import {
  decideRequest, evolveRequest, needsApproval, requestExpired, requestView, type BroadcastRequestState, type RequestCommand, type RequestStatus,
} from './broadcast-approval.ts';
import type { Actor } from './org.ts';

const T0 = Date.UTC(2026, 11, 6, 2, 0);
const at = (t: number) => ({ now: () => t });
const WINDOW = 10 * 60_000;

const dispatcher: Actor = { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' };
const leader: Actor = { id: 'L1', name: '值班领导', role: 'duty-leader', org: '340803' };
const leaderWhoAsked: Actor = { id: 'L2', name: '另一位领导', role: 'duty-leader', org: '340803' };
const townshipLeader: Actor = { id: 'TL', name: '德宽路领导', role: 'duty-leader', org: '340803001' };
const eastLeader: Actor = { id: 'TL2', name: '玉琳路领导', role: 'duty-leader', org: '340803002' };
const operator: Actor = { id: 'op', name: '坐席', role: 'township-operator', org: '340803001' };
const system: Actor = { id: 'system', name: '系统', role: 'system', org: '340803' };

function requested(by: Actor, places = ['340803001001']): BroadcastRequestState {
  return evolveRequest(null, {
    type: 'requested', broadcastId: 'B-1', at: T0, actor: by, message: { text: '防汛转移', priority: 'emergency', repeat: 2 },
    selection: { mode: 'scope', code: '340803001' }, targets: ['BC-1', 'BC-2', 'BC-3'], places, expiresAt: T0 + WINDOW,
  });
}
const inStatus = (s: RequestStatus): BroadcastRequestState => ({ ...requested(dispatcher), status: s });

describe('which levels need approval', () => {
  it('紧急 and 特急 do, 一般 does not', () => {
    expect(needsApproval('normal')).toBe(false);
    expect(needsApproval('urgent')).toBe(true);
    expect(needsApproval('emergency')).toBe(true);
  });
});

describe('the transition table', () => {
  const approve: RequestCommand = { type: 'approve' };
  const reject: RequestCommand = { type: 'reject', reason: '内容需核实' };
  const expire: RequestCommand = { type: 'expire' };
  // [from, command, by, minutes after the request, expected status or error code] — by hand.
  const table: Array<[RequestStatus, RequestCommand, Actor, number, RequestStatus | string]> = [
    ['pending', approve, leader, 1, 'approved'],
    ['pending', reject, leader, 1, 'rejected'],
    ['pending', expire, system, 10, 'expired'],
    ['pending', expire, system, 9, 'INVALID_TRANSITION'], // still has time
    ['pending', expire, leader, 11, 'FORBIDDEN'], // only the system expires
    ['pending', approve, leader, 10, 'INVALID_TRANSITION'], // too late: it has expired
    ['pending', reject, leader, 10, 'INVALID_TRANSITION'],
    ['pending', approve, dispatcher, 1, 'FORBIDDEN'], // a dispatcher cannot approve
    ['pending', reject, dispatcher, 1, 'FORBIDDEN'],
    ['pending', approve, operator, 1, 'FORBIDDEN'],
    ['pending', approve, townshipLeader, 1, 'approved'], // the township's leader, points inside the township
    ['pending', approve, eastLeader, 1, 'FORBIDDEN'], // another township's leader
    ['approved', approve, leader, 1, 'INVALID_TRANSITION'],
    ['approved', reject, leader, 1, 'INVALID_TRANSITION'],
    ['rejected', approve, leader, 1, 'INVALID_TRANSITION'],
    ['expired', approve, leader, 11, 'INVALID_TRANSITION'],
    ['expired', expire, system, 11, 'INVALID_TRANSITION'],
  ];
  for (const [from, cmd, by, minutes, want] of table) {
    it(`${from} --${cmd.type} by ${by.role}@${by.org} after ${minutes} min--> ${want}`, () => {
      const r = inStatus(from);
      const d = decideRequest(r, cmd, by, at(T0 + minutes * 60_000));
      if (want === want.toUpperCase()) {
        expect(d).toMatchObject({ ok: false, code: want });
        return;
      }
      if (!d.ok) throw new Error(d.message);
      expect(evolveRequest(r, d.event).status).toBe(want);
    });
  }

  it('the requester cannot approve or reject their own request, even as a duty leader', () => {
    const own = requested(leaderWhoAsked);
    for (const cmd of [{ type: 'approve' }, { type: 'reject', reason: '不发了' }] as RequestCommand[]) {
      expect(decideRequest(own, cmd, leaderWhoAsked, at(T0 + 1000))).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/own/) });
    }
    expect(decideRequest(own, { type: 'approve' }, leader, at(T0 + 1000)).ok).toBe(true);
  });

  it('a rejection needs a reason, which the state keeps with who decided', () => {
    const r = requested(dispatcher);
    expect(decideRequest(r, { type: 'reject', reason: '   ' }, leader, at(T0 + 1000))).toMatchObject({ ok: false, code: 'INVALID_COMMAND' });
    const d = decideRequest(r, { type: 'reject', reason: ' 范围过大 ' }, leader, at(T0 + 1000));
    if (!d.ok) throw new Error(d.message);
    expect(evolveRequest(r, d.event)).toMatchObject({ status: 'rejected', reason: '范围过大', decidedBy: { id: 'L1' }, decidedAt: T0 + 1000 });
  });
});

describe('expiry and evolution', () => {
  it('a pending request expires exactly at its time; a decided one never does', () => {
    const r = requested(dispatcher);
    expect(requestExpired(r, at(T0 + WINDOW - 1))).toBe(false);
    expect(requestExpired(r, at(T0 + WINDOW))).toBe(true);
    expect(requestExpired({ ...r, status: 'approved' }, at(T0 + 2 * WINDOW))).toBe(false);
  });

  it('a second decision logged on a decided request changes nothing', () => {
    const r = evolveRequest(requested(dispatcher), { type: 'approved', broadcastId: 'B-1', at: T0 + 5, actor: leader, places: [] });
    const again = evolveRequest(r, { type: 'rejected', broadcastId: 'B-1', at: T0 + 6, actor: leader, places: [], reason: 'x' });
    expect(again).toBe(r);
    expect(() => evolveRequest(null, { type: 'expired', broadcastId: 'B-9', at: T0, places: [] })).toThrow(/before requested/);
  });

  it('screens see the count of points, not the list', () => {
    const v = requestView(requested(dispatcher));
    expect(v).toMatchObject({ pointCount: 3, status: 'pending', requestedBy: { id: 'd1' }, expiresAt: T0 + WINDOW });
    expect('targets' in v).toBe(false);
  });
});
