// Tests' case states: every field filled as a case just reported in 德宽路街道 would have it;
// overrides make it whatever the test needs. (Imported by tests only.)
import type { CaseState } from './model.ts';

let serial = 0;

export function caseState(o: Partial<CaseState> & { reportedAt: number }): CaseState {
  serial++;
  const A = '340803001';
  return {
    id: `C${serial}`, source: 'patrol', eventClass: '0101', title: 'case', description: '', urgency: 'normal',
    lon: 117.05, lat: 30.53, gridIndex: 0, townshipCode: A, communityCode: `${A}001`,
    reporter: 'W-1', hotline: null, stage: 'reported', owner: A, assignee: null,
    filedAt: null, dispatchDueAt: null, dispatchedAt: null, acceptedAt: null, handledAt: null, rechecked: false,
    closedAt: null, voidedAt: null, deadline: null, warnAt: null, pausedRemainingMs: null, resumeStage: null,
    extension: null, extensions: 0, returns: 0, reworks: 0, escalations: 0, onSpot: false, whistleId: null,
    alarms: 0, attachments: 0, updatedAt: o.reportedAt, version: 1,
    ...o,
  };
}
