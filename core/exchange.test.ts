import { describe, expect, it } from 'vitest';
import { cityCaseEvent, dailyIndicators, localDayStart } from './exchange.ts';
import type { CaseState } from './cases/model.ts';
import { caseState } from './cases/test-case.ts';

const A = '340803001';
const B = '340803002';
// 2026-12-06 00:00 in Shanghai is 2026-12-05 16:00 UTC.
const DEC6 = Date.UTC(2026, 11, 5, 16);

const makeCase = (o: Partial<CaseState>): CaseState => caseState({ reportedAt: DEC6, ...o });

describe('the case events the city platform receives', () => {
  const report = {
    id: 'C-1', source: 'hotline-12345', eventClass: '0102', title: '井盖缺失', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: DEC6,
    reporter: '13800000000', hotlineOrderNo: 'HL-1', gridIndex: 3, townshipCode: A, communityCode: `${A}001`, owner: A,
  };
  const actor = { id: 'disp-7', name: '王小明', role: 'dispatcher', org: '340803' };

  it('a report goes up with its place and class, without the reporter\'s contact or the staff\'s names', () => {
    const e = cityCaseEvent({ seq: 41, type: 'case:report', data: { caseId: 'C-1', command: 'report', from: null, to: 'reported', at: DEC6, actor, data: { report } } });
    expect(e).toEqual({
      seq: 41, at: DEC6, caseId: 'C-1', command: 'report', from: null, to: 'reported', actor: { role: 'dispatcher', org: '340803' },
      report: { id: 'C-1', source: 'hotline-12345', eventClass: '0102', title: '井盖缺失', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: DEC6, hotlineOrderNo: 'HL-1', gridIndex: 3, townshipCode: A, communityCode: `${A}001`, owner: A },
    });
    expect(JSON.stringify(e)).not.toContain('13800000000');
    expect(JSON.stringify(e)).not.toContain('王小明');
  });

  it('a dispatch carries its facts (unit, deadline) and note', () => {
    const e = cityCaseEvent({ seq: 42, type: 'case:dispatch', data: { caseId: 'C-1', command: 'dispatch', from: 'filed', to: 'dispatched', at: DEC6 + 60_000, actor, note: '请尽快', data: { unit: 'DEPT-CG', deadline: DEC6 + 7_200_000 } } });
    expect(e).toMatchObject({ seq: 42, command: 'dispatch', from: 'filed', to: 'dispatched', note: '请尽快', facts: { unit: 'DEPT-CG', deadline: DEC6 + 7_200_000 } });
    expect(e).not.toHaveProperty('report');
  });

  it('telemetry, alarms, whistles and legacy rows without a command are not case events', () => {
    expect(cityCaseEvent({ seq: 1, type: 'device:reported', data: { kind: 'camera' } })).toBeNull();
    expect(cityCaseEvent({ seq: 2, type: 'alarm:raised', data: { caseId: 'C-1', command: 'report' } })).toBeNull();
    expect(cityCaseEvent({ seq: 3, type: 'case:upsert', data: { stage: 'closed', updatedAt: 1 } })).toBeNull();
    expect(cityCaseEvent({ seq: 4, type: 'case:report', data: null })).toBeNull();
  });
});

describe('local days', () => {
  it('a date is its midnight in Asia/Shanghai (UTC+8)', () => {
    expect(localDayStart('2026-12-06')).toBe(DEC6);
    expect(localDayStart('2024-02-29')).toBe(Date.UTC(2024, 1, 28, 16));
    expect(localDayStart('2027-01-01')).toBe(Date.UTC(2026, 11, 31, 16));
  });

  it('what is not a calendar date is refused', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-12-32', '2026-1-1', '20261206', '', '2026-12-06T00:00']) expect(localDayStart(bad), bad).toBeNull();
  });
});

describe('daily indicators', () => {
  const cases = [
    makeCase({ reportedAt: DEC6 - 1 }), // 23:59:59.999 of the day before: not counted
    makeCase({ reportedAt: DEC6 }), // first ms of the day, township A
    makeCase({ reportedAt: DEC6 + 5 * 3_600_000, stage: 'voided', voidedAt: DEC6 + 6 * 3_600_000 }),
    makeCase({ reportedAt: DEC6 + 23 * 3_600_000, townshipCode: B, communityCode: `${B}001`, owner: B }),
    makeCase({ reportedAt: DEC6 + 10 * 3_600_000, townshipCode: '', communityCode: '', owner: '340803' }), // outside every grid
    makeCase({ reportedAt: DEC6 + 24 * 3_600_000 }), // next day
  ];

  it('counts the cases reported that local day, for the district and per township', () => {
    const d = dailyIndicators(cases, '2026-12-06', DEC6 + 30 * 3_600_000)!;
    expect(d.from).toBe(DEC6);
    expect(d.to).toBe(DEC6 + 86_400_000);
    expect(d.district.counts.reported).toBe(4);
    expect(d.district.counts.voided).toBe(1);
    expect(d.townships.map((t) => [t.code, t.kpis.counts.reported])).toEqual([[A, 2], [B, 1]]);
  });

  it('a day that is not a date has no indicators', () => {
    expect(dailyIndicators(cases, '2026-02-30', DEC6)).toBeNull();
  });
});
