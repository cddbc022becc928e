import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../core/cases/model.ts';
import { CaseBook } from './case-book.ts';

const HOUR = 3_600_000;
// 2026-12-07 15:00 in Shanghai (07:00 UTC): "today" there began at 2026-12-06 16:00 UTC.
const NOW = Date.UTC(2026, 11, 7, 7, 0);
const TODAY_09 = Date.UTC(2026, 11, 7, 1, 0);

function kase(id: string, over: Partial<CaseState>): CaseState {
  return { id, source: 'citizen', townshipCode: '', communityCode: '', reportedAt: TODAY_09, stage: 'reported', deadline: null, closedAt: null, ...over } as CaseState;
}

describe('CaseBook.countsByScope', () => {
  const book = new CaseBook();
  book.importState([
    // 德宽路街道 340803001: one reported at 09:00 today, one dispatched 3 days ago and overdue since yesterday
    kase('A', { townshipCode: '340803001', communityCode: '340803001002' }),
    kase('B', { townshipCode: '340803001', communityCode: '340803001003', source: 'patrol', reportedAt: NOW - 72 * HOUR, stage: 'dispatched', deadline: NOW - 24 * HOUR }),
    // 340803002: reported and closed today; another closed nine days ago (counts nowhere)
    kase('C', { townshipCode: '340803002', communityCode: '340803002001', stage: 'closed', closedAt: NOW - HOUR }),
    kase('E', { townshipCode: '340803002', communityCode: '340803002001', reportedAt: NOW - 240 * HOUR, stage: 'closed', closedAt: NOW - 216 * HOUR }),
    // outside every grid: only the district counts it
    kase('D', { source: 'video-ai' }),
  ]);
  const scopes = ['340803', '340803001', '340803001002', '340803002', '340803002001', '340803009'];
  const counts = book.countsByScope(scopes, NOW);
  const pick = (s: string) => {
    const { today, open, overdue, closedToday, openBySource } = counts.get(s)!;
    return { today, open, overdue, closedToday, openBySource };
  };

  it('counts each scope by hand-checked numbers, in one pass', () => {
    expect(pick('340803')).toEqual({ today: 3, open: 3, overdue: 1, closedToday: 1, openBySource: { citizen: 1, patrol: 1, 'video-ai': 1 } });
    expect(pick('340803001')).toEqual({ today: 1, open: 2, overdue: 1, closedToday: 0, openBySource: { citizen: 1, patrol: 1 } });
    expect(pick('340803001002')).toEqual({ today: 1, open: 1, overdue: 0, closedToday: 0, openBySource: { citizen: 1 } });
    expect(pick('340803002')).toEqual({ today: 1, open: 0, overdue: 0, closedToday: 1, openBySource: {} });
    expect(pick('340803002001')).toEqual(pick('340803002'));
    expect(pick('340803009')).toEqual({ today: 0, open: 0, overdue: 0, closedToday: 0, openBySource: {} });
  });

  it('puts a case reported today in its Shanghai hour', () => {
    expect(counts.get('340803')!.byHour[9]).toBe(3); // A, C and D at 09:00
    expect(counts.get('340803001')!.byHour[9]).toBe(1);
    expect(counts.get('340803')!.byHour.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('gives one scope the same as the many-scope pass', () => {
    for (const s of scopes) expect(book.counts(s, NOW)).toEqual(counts.get(s));
  });
});
