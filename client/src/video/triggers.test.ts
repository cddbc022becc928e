import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../../../core/alarms.ts';
import type { CaseSummary } from '../../../core/domain.ts';
import { newTriggers } from './triggers.ts';

const alarm = (id: string, o: Partial<AlarmState>) => ({ id, kind: 'video', status: 'active', raisedAt: 100, lon: 117, lat: 30.5, ...o }) as AlarmState;
const kase = (id: string, o: Partial<CaseSummary>) => ({ id, urgency: 'urgent', stage: 'reported', reportedAt: 100, lon: 117.1, lat: 30.6, ...o }) as CaseSummary;

describe('newTriggers', () => {
  it('fires for new active video alarms and new open urgent cases, oldest first', () => {
    const t = newTriggers([alarm('A1', { raisedAt: 300 }), alarm('A2', { kind: 'sensor' }), alarm('A3', { status: 'acknowledged' })], [kase('C1', { reportedAt: 200 }), kase('C2', { urgency: 'normal' }), kase('C3', { stage: 'closed' })], new Set(), 0);
    expect(t).toEqual([
      { key: 'case:C1', reason: 'case', lon: 117.1, lat: 30.6, at: 200 },
      { key: 'alarm:A1', reason: 'alarm', lon: 117, lat: 30.5, at: 300 },
    ]);
  });
  it('skips what was seen and what happened before the screen started', () => {
    expect(newTriggers([alarm('A1', {}), alarm('A2', { raisedAt: 50 })], [kase('C1', {})], new Set(['alarm:A1', 'case:C1']), 60)).toEqual([]);
  });
});
