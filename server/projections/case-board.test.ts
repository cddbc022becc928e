import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../core/protocol.ts';
import { CaseBoard } from './case-board.ts';

// 2026-11-23 10:00 Asia/Shanghai = 02:00 UTC
const T = Date.UTC(2026, 10, 23, 2, 0, 0);
const H = 3600_000;
const board = () => new CaseBoard((lon) => ({ gridIndex: lon < 117 ? 0 : 1, townshipCode: lon < 117 ? '340803001' : '340803100' }));
const rec = (over: Partial<CaseRecord>): CaseRecord => ({
  id: 'C1', source: 'patrol', eventClass: '0102', title: '暴露垃圾', stage: 'reported', urgency: 'normal', lon: 116.9, lat: 30.5, reportedAt: T, updatedAt: T, ...over,
});

describe('CaseBoard', () => {
  it('resolves the place and counts today, open, overdue and closed today', () => {
    const b = board();
    expect(b.apply(rec({ id: 'A' }))).toBe(true);
    b.apply(rec({ id: 'B', lon: 117.1, stage: 'dispatched', deadline: T + H, updatedAt: T }));
    b.apply(rec({ id: 'C', stage: 'closed', updatedAt: T + 10 }));
    b.apply(rec({ id: 'Y', reportedAt: T - 24 * H, updatedAt: T - 24 * H, stage: 'handling', deadline: T - 20 * H }));
    expect(b.get('B')).toMatchObject({ gridIndex: 1, townshipCode: '340803100' });
    const counts = b.counts(T + 2 * H);
    expect(counts).toMatchObject({ today: 3, open: 3, overdue: 2, closedToday: 1 });
    expect(counts.byHour[10]).toBe(3);
    expect(counts.openBySource).toEqual({ patrol: 3 });
  });

  it('ignores an update older than what it has and keeps the first report time', () => {
    const b = board();
    b.apply(rec({ stage: 'handling', updatedAt: T + 2 * H }));
    expect(b.apply(rec({ stage: 'reported', updatedAt: T + H }))).toBe(false);
    expect(b.get('C1')!.stage).toBe('handling');
    b.apply(rec({ stage: 'closed', reportedAt: T + 5 * H, updatedAt: T + 3 * H }));
    expect(b.get('C1')).toMatchObject({ stage: 'closed', reportedAt: T, closedAt: T + 3 * H });
  });

  it('hands out each changed case once, and shows open cases from earlier days', () => {
    const b = board();
    b.apply(rec({ id: 'old', reportedAt: T - 48 * H, updatedAt: T - 48 * H }));
    b.apply(rec({ id: 'oldClosed', reportedAt: T - 48 * H, updatedAt: T - 47 * H, stage: 'closed' }));
    expect(b.takeChanged().map((c) => c.id)).toEqual(['old', 'oldClosed']);
    expect(b.takeChanged()).toEqual([]);
    expect(b.visible(T).map((c) => c.id)).toEqual(['old']);
  });
});
