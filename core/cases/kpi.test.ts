import { describe, expect, it } from 'vitest';
import { computeKpis, grade, inPeriod, kpisBy, score, type KpiSet } from './kpi.ts';
import type { CaseState, HotlineInfo } from './model.ts';
import { caseState } from './test-case.ts';

const H = 3600_000;
const T = Date.UTC(2025, 2, 3, 0, 0, 0); // fixture origin
const NOW = T + 100 * H;
const A = '340803001'; // township A
const B = '340803002'; // township B

/** A case as just reported at T; overrides make it whatever the test needs. */
const makeCase = (o: Partial<CaseState> = {}): CaseState => caseState({ reportedAt: T, ...o });
const hot = (o: Partial<HotlineInfo> = {}): HotlineInfo => ({
  line: '12345', orderNo: 'GD-1', repliedAt: null, callbackAt: null, resolved: null, rating: null, ...o,
});
const at = (h: number): number => T + h * H;

// The fixture (times in hours from T, now = 100 h):
const c1 = makeCase({ // closed on time, all stages
  stage: 'closed', assignee: 'DEPT-CG', filedAt: at(1), dispatchDueAt: at(2), dispatchedAt: at(2),
  deadline: at(10), handledAt: at(6), closedAt: at(8),
});
const c2 = makeCase({ // dispatched late, returned once, handled and closed late; hotline
  stage: 'closed', source: 'hotline-12345', assignee: 'DEPT-CG', filedAt: at(1), dispatchDueAt: at(2),
  dispatchedAt: at(3), deadline: at(7), handledAt: at(9), closedAt: at(11), returns: 1,
  hotline: hot({ repliedAt: at(0.5), callbackAt: at(12), resolved: true, rating: 'basic' }),
});
const c3 = makeCase({ // extension: deadline moved from 10 h to 30 h; one failed re-check; hotline
  stage: 'closed', source: 'hotline-12345', eventClass: '0302', townshipCode: B, assignee: 'DEPT-ZJ',
  filedAt: at(2), dispatchDueAt: at(3), dispatchedAt: at(3), deadline: at(30), extensions: 1,
  handledAt: at(20), closedAt: at(22), reworks: 1,
  hotline: hot({ repliedAt: at(1), callbackAt: at(23), resolved: true, rating: 'satisfied' }),
});
const c4 = makeCase({ stage: 'closed', onSpot: true, filedAt: at(1), closedAt: at(1) }); // 巡办合一
const c5 = makeCase({ // open, handling, deadline 50 h passed: overdue
  stage: 'handling', source: 'sensor', eventClass: '0302', townshipCode: B, assignee: 'DEPT-SW',
  filedAt: at(1), dispatchDueAt: at(2), dispatchedAt: at(2), deadline: at(50),
});
const c6 = makeCase({ // reported at 90 h, dispatched, deadline 120 h not yet due; hotline answered by filing
  stage: 'dispatched', source: 'hotline-12345', townshipCode: B, assignee: 'DEPT-SW', reportedAt: at(90),
  filedAt: at(91), dispatchDueAt: at(92), dispatchedAt: at(91), deadline: at(120), hotline: hot(),
});
const c7 = makeCase({ // handled on time by a township center, awaiting re-check, deadline passed
  stage: 'handled', source: 'video-ai', assignee: 'LC-340803001', filedAt: at(1), dispatchDueAt: at(2),
  dispatchedAt: at(2), deadline: at(10), handledAt: at(5),
});
const c8 = makeCase({ // voided hotline order, replied late (3 h), called back unresolved
  stage: 'voided', source: 'hotline-12345', voidedAt: at(1),
  hotline: hot({ repliedAt: at(3), callbackAt: at(5), resolved: false, rating: 'unsatisfied' }),
});
const c9 = makeCase({ // reported at 99 h outside every grid; its 2 h response window runs to 101 h
  source: 'hotline-12319', townshipCode: '', communityCode: '', gridIndex: -1, reportedAt: at(99), hotline: hot({ line: '12319' }),
});
const c10 = makeCase({ source: 'hotline-12345', townshipCode: B, reportedAt: at(10), hotline: hot() }); // never answered
const c11 = makeCase({ // deferred past its deadline: open, clock stopped, not overdue
  stage: 'deferred', assignee: 'DEPT-CG', filedAt: at(1), dispatchDueAt: at(2), dispatchedAt: at(2), deadline: at(20),
});
const ALL = [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11];

describe('computeKpis on the fixture', () => {
  const k = computeKpis(ALL, NOW);

  it('counts', () => {
    expect(k.counts).toEqual({
      reported: 11, // c1..c11
      decided: 9, // filed c1-c7, c11 + voided c8; c9, c10 pending
      filed: 8, // c1-c7, c11
      voided: 1, // c8
      dispatched: 7, // c1, c2, c3, c5, c6, c7, c11
      dispatchedOnTime: 6, // all but c2 (3 h > 2 h); c1 exactly at its due time counts
      returned: 1, // c2
      reworked: 1, // c3
      dueToHandle: 6, // handled c1, c2, c3, c7 + deadline passed c5 (50), c11 (20); c6 (120) not
      handled: 4, // c1, c2, c3, c7
      handledOnTime: 3, // c1 6≤10, c3 20≤30, c7 5≤10; c2 9>7
      dueToClose: 7, // closed c1-c4 + filed, deadline passed c5, c7, c11
      closed: 4, // c1, c2, c3, c4
      closedOnTime: 3, // c1 8≤10, c3 22≤30, c4 no deadline
      closedLate: 1, // c2 11>7
      open: 6, // c5, c6, c7, c9, c10, c11
      overdue: 1, // c5 (handling, 50<100); c11 deferred, c6 120>100
      hotline: 6, // c2, c3, c6, c8, c9, c10
      dueToRespond: 5, // responded c2, c3, c6, c8 + c10 (10+2≤100); c9 99+2>100
      respondedInTime: 3, // c2 0.5 h, c3 1 h, c6 1 h (filing); c8 3 h late
      callbacks: 3, // c2, c3, c8
      resolved: 2, // c2, c3
      rated: 3, // c2, c3, c8
      satisfied: 2, // c2 basic, c3 satisfied
    });
  });

  it('rates', () => {
    expect(k.rates).toEqual({
      closureRate: 4 / 7,
      onTimeClosureRate: 3 / 7,
      lateClosureRate: 1 / 7,
      handlingRate: 4 / 6,
      onTimeHandlingRate: 3 / 6,
      validReportRate: 8 / 9,
      onTimeDispatchRate: 6 / 7,
      accurateDispatchRate: 6 / 7, // (7 − 1) / 7
      reworkRate: 1 / 7,
      responseRate: 3 / 5,
      resolutionRate: 2 / 3,
      satisfactionRate: 2 / 3,
    });
  });

  it('average stage times', () => {
    expect(k.avgMs).toEqual({
      reportToFile: (9 / 8) * H, // c1 1, c2 1, c3 2, c4 1, c5 1, c6 1, c7 1, c11 1 = 9 h / 8
      fileToDispatch: (7 / 7) * H, // c1 1, c2 2, c3 1, c5 1, c6 0, c7 1, c11 1 = 7 h / 7
      dispatchToHandle: (30 / 4) * H, // c1 4, c2 6, c3 17, c7 3 = 30 h / 4
      handleToClose: (6 / 3) * H, // c1 2, c2 2, c3 2 (c4 was never handled) = 6 h / 3
      reportToClose: (42 / 4) * H, // c1 8, c2 11, c3 22, c4 1 = 42 h / 4
    });
  });

  it('composite score', () => {
    // 0.4·3/7 + 0.3·1/2 + 0.2·6/7 + 0.1·(1 − 1/7) = 3/7 + 0.15 = 0.578571…
    expect(score(k)).toBeCloseTo(0.5785714, 6);
    expect(grade(score(k))).toBe('D');
  });
});

describe('computeKpis edge cases', () => {
  it('empty input: zero counts, every rate and time null, never NaN', () => {
    const k = computeKpis([], NOW);
    expect(Object.values(k.counts).every((v) => v === 0)).toBe(true);
    expect(Object.values(k.rates).every((v) => v === null)).toBe(true);
    expect(Object.values(k.avgMs).every((v) => v === null)).toBe(true);
    expect(score(k)).toBeNull();
  });

  it('on-the-spot closure: due, closed on time, no dispatch rates', () => {
    const k = computeKpis([c4], NOW);
    expect(k.counts.dueToClose).toBe(1);
    expect(k.rates.onTimeClosureRate).toBe(1);
    expect(k.rates.onTimeDispatchRate).toBeNull(); // 0 dispatched
    expect(k.rates.handlingRate).toBeNull(); // 0 due to handle
    expect(score(k)).toBe(1); // only the 0.4 part exists: 0.4·1 / 0.4
    // closed without filedAt is still due, so 结案率 stays ≤ 1
    expect(computeKpis([makeCase({ stage: 'closed', onSpot: true, closedAt: at(1) })], NOW).rates.closureRate).toBe(1);
  });

  it('extension: judged against the moved deadline', () => {
    expect(computeKpis([c3], NOW).counts).toMatchObject({ handledOnTime: 1, closedOnTime: 1, closedLate: 0 });
    // the same case against its original 10 h deadline: handled 20 > 10 and closed 22 > 10
    const orig = computeKpis([{ ...c3, deadline: at(10), extensions: 0 }], NOW);
    expect(orig.counts).toMatchObject({ handledOnTime: 0, closedOnTime: 0, closedLate: 1 });
  });

  it('returned and reworked cases', () => {
    const k = computeKpis([c1, c2, c3], NOW);
    expect(k.rates.accurateDispatchRate).toBe(2 / 3); // 3 dispatched, c2 returned
    expect(k.rates.reworkRate).toBe(1 / 3); // c3 reworked
  });

  it('no dispatch due time counts as on time; not yet due is out of the handling denominator', () => {
    const k = computeKpis([makeCase({ stage: 'dispatched', filedAt: at(1), dispatchedAt: at(5), deadline: at(200) })], NOW);
    expect(k.rates.onTimeDispatchRate).toBe(1);
    expect(k.counts.dueToHandle).toBe(0);
    expect(k.rates.handlingRate).toBeNull();
    expect(k.counts.dueToClose).toBe(0);
  });

  it('response window is an option', () => {
    // 3 h: c8 (3 h) now in time → 4 of the same 5 due (c9: 99+3>100)
    expect(computeKpis(ALL, NOW, { responseMs: 3 * H }).rates.responseRate).toBe(4 / 5);
    // 30 min: only c2 (0.5 h) in time; c9 (99+0.5≤100) becomes due → 1 of 6
    expect(computeKpis(ALL, NOW, { responseMs: 0.5 * H }).rates.responseRate).toBe(1 / 6);
  });

  it('score renormalizes over the known parts', () => {
    const k = computeKpis([], NOW);
    const r: KpiSet = { ...k, rates: { ...k.rates, onTimeClosureRate: 0.5, accurateDispatchRate: 1, reworkRate: 0 } };
    expect(score(r)).toBeCloseTo(5 / 7, 12); // (0.4·0.5 + 0.2·1 + 0.1·1) / 0.7 = 0.5 / 0.7
  });
});

describe('kpisBy', () => {
  it('township, with the no-grid row first', () => {
    const rows = kpisBy(ALL, NOW, 'township');
    expect(rows.map((r) => [r.key, r.kpis.counts.reported])).toEqual([['', 1], [A, 6], [B, 4]]);
    const [none, a, b] = rows;
    expect(none.kpis.rates.responseRate).toBeNull(); // c9 not yet due
    expect(a.kpis.rates.closureRate).toBe(3 / 5); // closed c1, c2, c4 / due + c7, c11
    expect(a.kpis.rates.accurateDispatchRate).toBe(3 / 4); // c1, c2, c7, c11; c2 returned
    expect(b.kpis.rates.closureRate).toBe(1 / 2); // c3 / c3, c5 (c6 not due)
    expect(b.kpis.counts.overdue).toBe(1); // c5
    expect(b.kpis.rates.responseRate).toBe(2 / 3); // c3, c6 in time; c10 not
  });

  it('department: assignees only, centers included', () => {
    const rows = kpisBy(ALL, NOW, 'department');
    // c4, c8, c9, c10 were never dispatched
    expect(rows.map((r) => [r.key, r.kpis.counts.reported])).toEqual([['DEPT-CG', 3], ['DEPT-SW', 2], ['DEPT-ZJ', 1], ['LC-340803001', 1]]);
    const cg = rows[0].kpis; // c1, c2, c11
    expect(cg.rates).toMatchObject({
      onTimeDispatchRate: 2 / 3, // c2 late
      onTimeHandlingRate: 1 / 3, // c1 / c1, c2, c11
      onTimeClosureRate: 1 / 3, // c1 / c1, c2, c11
      accurateDispatchRate: 2 / 3, // c2 returned
      reworkRate: 0,
    });
    // 0.4/3 + 0.3/3 + 0.2·2/3 + 0.1·1 = 1.1/3 + 0.1 = 0.466667
    expect(score(cg)).toBeCloseTo(0.4666667, 6);
    const sw = rows[1].kpis; // c5, c6
    expect(sw.rates).toMatchObject({ handlingRate: 0, closureRate: 0 }); // c5 due, not handled
    expect(score(rows[2].kpis)).toBeCloseTo(0.9, 12); // c3: 0.4 + 0.3 + 0.2 + 0.1·(1 − 1)
    expect(grade(score(rows[2].kpis))).toBe('A');
  });

  it('source and class', () => {
    const src = kpisBy(ALL, NOW, 'source');
    expect(src.map((r) => [r.key, r.kpis.counts.reported])).toEqual([
      ['hotline-12319', 1], ['hotline-12345', 5], ['patrol', 3], ['sensor', 1], ['video-ai', 1],
    ]);
    expect(src[1].kpis.rates.responseRate).toBe(3 / 5); // c2, c3, c6 of c2, c3, c6, c8, c10
    const cls = kpisBy(ALL, NOW, 'class');
    expect(cls.map((r) => [r.key, r.kpis.counts.reported])).toEqual([['0101', 9], ['0302', 2]]);
    expect(cls[1].kpis.counts.overdue).toBe(1); // c5
  });
});

describe('inPeriod', () => {
  it('takes [from, to)', () => {
    // reported at 0 h: c1-c5, c7, c8, c11; c10 at 10 h is the excluded end
    expect(inPeriod(ALL, T, at(10)).map((c) => c.id)).toEqual([c1, c2, c3, c4, c5, c7, c8, c11].map((c) => c.id));
    expect(inPeriod(ALL, at(10), at(91)).map((c) => c.id)).toEqual([c6.id, c10.id]); // 90 h, 10 h; input order kept
    expect(inPeriod(ALL, at(100), at(200))).toEqual([]);
  });
});

describe('grade', () => {
  it('boundaries', () => {
    const cases: Array<[number | null, string | null]> = [
      [1, 'A'], [0.9, 'A'], [0.8999, 'B'], [0.75, 'B'], [0.7499, 'C'], [0.6, 'C'], [0.5999, 'D'],
      [0.4, 'D'], [0.3999, 'E'], [0, 'E'], [null, null],
    ];
    for (const [rate, g] of cases) expect(grade(rate)).toBe(g);
  });
});

describe('100,000 cases', () => {
  it('counts in one pass', () => {
    // per block of 10 (i % 10): 0-5 closed on time, 6 closed late, 7 open overdue, 8 voided, 9 reported;
    // every 100th case (i % 10 = 0, closed on time) was returned once; townships round-robin on i % 3
    const big: CaseState[] = [];
    for (let i = 0; i < 100_000; i++) {
      const r = i % 10;
      const done = { filedAt: at(1), dispatchDueAt: at(2), dispatchedAt: at(2), deadline: at(10), handledAt: at(5) };
      const o: Partial<CaseState> =
        r <= 6 ? { ...done, stage: 'closed', closedAt: r <= 5 ? at(8) : at(12) }
        : r === 7 ? { ...done, stage: 'handling', handledAt: null }
        : r === 8 ? { stage: 'voided', voidedAt: at(1) }
        : {};
      big.push(makeCase({ ...o, townshipCode: ['340803001', '340803002', '340803003'][i % 3], returns: i % 100 === 0 ? 1 : 0 }));
    }
    const k = computeKpis(big, NOW);
    expect(k.counts).toMatchObject({
      reported: 100_000, filed: 80_000, decided: 90_000, voided: 10_000, dispatched: 80_000, // r 0-7 filed+dispatched
      closed: 70_000, closedOnTime: 60_000, closedLate: 10_000, dueToClose: 80_000, // r 0-6 closed, r 7 past deadline
      handled: 70_000, dueToHandle: 80_000, open: 20_000, overdue: 10_000, returned: 1_000,
    });
    expect(k.rates.onTimeClosureRate).toBe(60_000 / 80_000);
    // 100,000 = 33,334 (i % 3 = 0, i = 0..99,999) + 33,333 + 33,333
    expect(kpisBy(big, NOW, 'township').map((r) => r.kpis.counts.reported)).toEqual([33_334, 33_333, 33_333]);
  });
});
