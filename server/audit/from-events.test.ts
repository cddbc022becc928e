// Which events become audit entries, and with what scope and before/after: drone and duty actions,
// system actions and telemetry (none), legacy shapes (none, without throwing), unknown person events.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/event-store.ts';
import { auditDraftOf, commonScope, type AuditPlaces } from './from-events.ts';

const T = Date.UTC(2026, 10, 23, 1);
const leader = { id: 'l1', name: '值班领导', role: 'duty-leader', org: '340803' };
const township = { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' };
const system = { id: 'system', name: '系统', role: 'system', org: '340803' };
const places: AuditPlaces = {
  ofCase: (id) => (id === 'C-1' ? '340803001002' : null),
  ofWhistle: () => null,
  ofAlarm: () => null,
  at: (lon) => (lon < 117.05 ? '340803001002' : '340803002001'),
};
let seq = 0;
const ev = (type: string, subject: string, data: unknown): StoredEvent => ({ type: type as StoredEvent['type'], subject, ts: T, data, seq: ++seq, recordedAt: T + 5 });

describe('audit entries from events', () => {
  it('drone dispatch and recall: the case or the target place as scope', () => {
    const mission = { id: 'M-1', droneId: 'UAV-1', target: { lon: 117.08, lat: 30.5 }, action: 'orbit', loiterS: 60, altM: 120, issuedAt: T, issuedBy: township };
    expect(auditDraftOf(ev('drone:dispatched', 'UAV-1', { type: 'dispatched', mission }), places)).toMatchObject({
      actor: township, action: 'drone:dispatch', subject: 'UAV-1', scope: '340803002001', at: T + 5, eventSeq: seq, after: { missionId: 'M-1', action: 'orbit' },
    });
    expect(auditDraftOf(ev('drone:dispatched', 'UAV-1', { type: 'dispatched', mission: { ...mission, caseId: 'C-1' } }), places)?.scope).toBe('340803001002');
    expect(auditDraftOf(ev('drone:recalled', 'UAV-1', { type: 'recalled', droneId: 'UAV-1', missionId: 'M-1', at: T, actor: township }), places)).toMatchObject({
      action: 'drone:recall', scope: '340803001', before: { missionId: 'M-1' }, after: { missionId: null },
    });
    expect(auditDraftOf(ev('drone:mission-updated', 'UAV-1', { type: 'mission-updated', report: {}, gateway: 'g' }), places)).toBeNull();
  });

  it('duty roster, log and handover signatures', () => {
    expect(auditDraftOf(ev('duty:assigned', String(T), { assign: { shiftStart: T, leaderId: 'DUTY-L02' }, actor: leader, at: T }), places)).toMatchObject({
      action: 'duty:assign', subject: String(T), scope: '340803', after: { leaderId: 'DUTY-L02' },
    });
    expect(auditDraftOf(ev('duty:noted', 'C-1', { id: 'DN-1', at: T, actor: leader, kind: 'instruction', text: '加强巡查', caseId: 'C-1' }), places)).toMatchObject({
      action: 'duty:note', scope: '340803001002', after: { kind: 'instruction', text: '加强巡查' },
    });
    expect(auditDraftOf(ev('duty:signed', String(T), { start: T, signature: { role: 'outgoing', actor: leader, at: T } }), places)).toMatchObject({
      actor: leader, action: 'duty:sign', after: { role: 'outgoing' },
    });
  });

  it('leaves out telemetry, system actions and shapes it cannot read; keeps any other person event under its type', () => {
    expect(auditDraftOf(ev('device:reported', 'CAM-1', { status: 'online' }), places)).toBeNull();
    expect(auditDraftOf(ev('case:escalated', 'C-1', { caseId: 'C-1', command: 'escalate', from: 'filed', to: 'filed', at: T, actor: system, data: { owner: '340803' } }), places)).toBeNull();
    expect(auditDraftOf(ev('alarm:cleared', 'AL-1', { type: 'cleared', alarmId: 'AL-1', at: T, by: 'system' }), places)).toBeNull();
    expect(auditDraftOf(ev('case:upserted', 'C-9', { id: 'C-9', stage: 'open' }), places)).toBeNull(); // protocol 1
    expect(auditDraftOf(ev('case:reported', 'C-9', null), places)).toBeNull();
    // An alarm action logged before events carried the whole actor: the id is what there is.
    expect(auditDraftOf(ev('alarm:acknowledged', 'AL-1', { type: 'acknowledged', alarmId: 'AL-1', at: T, by: 't1' }), places)).toMatchObject({
      actor: { id: 't1', name: 't1', role: '', org: '' }, action: 'alarm:acknowledge', scope: '340803',
    });
    expect(auditDraftOf(ev('broadcast:rehearsed', 'B-1', { actor: township }), places)).toMatchObject({ action: 'broadcast:rehearsed', scope: '340803001' });
  });

  it('scopes a set of places to the smallest area holding them all', () => {
    expect(commonScope(['340803001002'])).toBe('340803001002');
    expect(commonScope(['340803001002', '340803001003'])).toBe('340803001');
    expect(commonScope(['340803001002', '340803002001', '340803001'])).toBe('340803');
    expect(commonScope([])).toBeNull();
  });
});
