// Test fixtures shared by the client's unit tests: whole CaseState / KpiSet / WhistleState values.
import type { CaseState } from '../../../core/cases/model.ts';
import { computeKpis } from '../../../core/cases/kpi.ts';
import type { WhistleState } from '../../../core/whistle.ts';
import type { AlarmState } from '../../../core/alarms.ts';

export function caseOf(id: string, over: Partial<CaseState> = {}): CaseState {
  const reportedAt = over.reportedAt ?? 1_800_000_000_000;
  return {
    id, source: 'patrol', eventClass: '0102', title: id, description: '', urgency: 'normal',
    lon: 117.07, lat: 30.52, gridIndex: 0, townshipCode: '340803001', communityCode: '340803001002',
    reportedAt, reporter: 'GW-0001', hotline: null, stage: 'reported', owner: '340803001002', assignee: null,
    filedAt: null, dispatchDueAt: null, dispatchedAt: null, acceptedAt: null, handledAt: null, rechecked: false,
    closedAt: null, voidedAt: null, deadline: null, warnAt: null, pausedRemainingMs: null, resumeStage: null,
    extension: null, extensions: 0, returns: 0, reworks: 0, escalations: 0, onSpot: false, whistleId: null,
    alarms: 0, attachments: 0, updatedAt: reportedAt, version: 1,
    ...over,
  };
}

export const emptyKpiSet = () => computeKpis([], 0);

export function whistleOf(id: string, over: Partial<WhistleState> = {}): WhistleState {
  return {
    id, caseId: 'C1', kind: 'quick', blownAt: 1_800_000_000_000, blownBy: { id: 'op', name: '坐席', role: 'township-operator', org: '340803001' },
    center: '340803001', lead: 'LC-340803001', supporting: [{ unit: 'DEPT-CG', reportedAt: null, by: null, rating: null }],
    deadline: 1_800_000_000_000 + 30 * 60_000, closedAt: null, version: 1, ...over,
  };
}

export function alarmOf(id: string, over: Partial<AlarmState> = {}): AlarmState {
  return {
    id, kind: 'video', deviceKind: 'camera', deviceId: 'CAM-1', deviceIndex: 0, eventClass: '0101', metric: null, value: null, confidence: 0.9,
    lon: 117.07, lat: 30.52, gridIndex: 0, townshipCode: '340803001', communityCode: '340803001002', raisedAt: 1_800_000_000_000,
    status: 'active', repeats: 0, ackAt: null, ackBy: null, clearedAt: null, clearedBy: null, caseId: null, updatedAt: 1_800_000_000_000, ...over,
  };
}
