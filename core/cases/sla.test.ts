import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR as cal } from './calendar.ts';
import { EVENT_CLASSES } from '../taxonomy.ts';
import {
  DEFAULT_SLA_CONFIG as sla, dispatchDueAt, escalationDueAt, extendDeadline, handlingDeadline, limitHoursFor, remainingMs,
  resumeDeadline, slaConfigFrom,
} from './sla.ts';

// All instants are explicit UTC; the comment gives Shanghai local time (UTC+8).
// 2026-03-09..13 is an ordinary Mon–Fri week, 03-14/15 its weekend, 03-16..20 the next week.
const H = 3_600_000;
const M = 60_000;

describe('slaConfigFrom', () => {
  it('fills missing fields from the defaults and copies overrides', () => {
    expect(slaConfigFrom({})).toEqual(sla);
    const c = slaConfigFrom({ warnFraction: 0.75, classOverrides: { '0102': 8 } });
    expect(c).toEqual({ ...sla, warnFraction: 0.75, classOverrides: { '0102': 8 } });
    expect(limitHoursFor(c, '0102')).toBe(8);
    expect(limitHoursFor(c, '0601')).toBe(6);
  });

  it('rejects bad values with the field name', () => {
    expect(() => slaConfigFrom('x')).toThrow('sla: expected an object');
    expect(() => slaConfigFrom({ warnFraction: 1.5 })).toThrow('sla.warnFraction: expected a fraction in (0, 1], got 1.5');
    expect(() => slaConfigFrom({ warnFraction: 0 })).toThrow('sla.warnFraction');
    expect(() => slaConfigFrom({ urgentNaturalHours: '2' })).toThrow('sla.urgentNaturalHours: expected positive hours, got "2"');
    expect(() => slaConfigFrom({ dispatchWithinWorkingMinutes: -5 })).toThrow('sla.dispatchWithinWorkingMinutes');
    expect(() => slaConfigFrom({ urgentDispatchWithinMinutes: NaN })).toThrow('sla.urgentDispatchWithinMinutes');
    expect(() => slaConfigFrom({ warnFracton: 0.8 })).toThrow('sla.warnFracton: unknown field');
    expect(() => slaConfigFrom({ classOverrides: [] })).toThrow('sla.classOverrides: expected an object');
    expect(() => slaConfigFrom({ classOverrides: { '9999': 4 } })).toThrow('sla.classOverrides["9999"]: unknown event class code');
    expect(() => slaConfigFrom({ classOverrides: { '0102': 0 } })).toThrow('sla.classOverrides["0102"]: expected positive working hours, got 0');
    expect(() => limitHoursFor(sla, '9999')).toThrow('unknown event class "9999"');
  });
});

describe('handlingDeadline', () => {
  it('normal: class limit in working hours, yellow at 80% (after lunch)', () => {
    // 0102 暴露垃圾 4h, dispatched Tue 09:00: 3h to 12:00 + 1h → 15:00; warn at 3h12m → 14:12
    expect(handlingDeadline(cal, sla, { eventClass: '0102', urgency: 'normal' }, Date.UTC(2026, 2, 10, 1))).toEqual({
      deadline: Date.UTC(2026, 2, 10, 7), // Tue 15:00
      warnAt: Date.UTC(2026, 2, 10, 6, 12), // Tue 14:12
      limitMs: 4 * H,
      natural: false,
    });
  });

  it('normal: a Friday afternoon dispatch lands on Monday', () => {
    // 0601 井盖破损 6h, dispatched Fri 15:00: 2.5h Friday + 3.5h Monday morning → Mon 12:00;
    // warn at 4.8h = 2.5h + 2h18m → Mon 10:48
    const d = handlingDeadline(cal, sla, { eventClass: '0601', urgency: 'normal' }, Date.UTC(2026, 2, 13, 7));
    expect(d.deadline).toBe(Date.UTC(2026, 2, 16, 4)); // Mon 12:00
    expect(d.warnAt).toBe(Date.UTC(2026, 2, 16, 2, 48)); // Mon 10:48
  });

  it('normal: a dispatch at night starts the clock the next morning; overrides replace the taxonomy', () => {
    // Tue 20:00, 0104 道路不洁 2h → Wed 10:30, warn at 1h36m → Wed 10:06
    const d = handlingDeadline(cal, sla, { eventClass: '0104', urgency: 'normal' }, Date.UTC(2026, 2, 10, 12));
    expect([d.deadline, d.warnAt]).toEqual([Date.UTC(2026, 2, 11, 2, 30), Date.UTC(2026, 2, 11, 2, 6)]);
    // 0102 overridden to 8h, dispatched Tue 08:30 → Wed 09:30
    const o = handlingDeadline(cal, { ...sla, classOverrides: { '0102': 8 } }, { eventClass: '0102', urgency: 'normal' }, Date.UTC(2026, 2, 10, 0, 30));
    expect(o.deadline).toBe(Date.UTC(2026, 2, 11, 1, 30));
    expect(o.limitMs).toBe(8 * H);
  });

  it('urgent: min(class limit, 2h) in natural time, also at night and on weekends', () => {
    // 0501 路面塌陷 2h, Sat 22:00 → Sun 00:00, warn at 96 min → Sat 23:36
    expect(handlingDeadline(cal, sla, { eventClass: '0501', urgency: 'urgent' }, Date.UTC(2026, 2, 14, 14))).toEqual({
      deadline: Date.UTC(2026, 2, 14, 16), // Sun 00:00
      warnAt: Date.UTC(2026, 2, 14, 15, 36), // Sat 23:36
      limitMs: 2 * H,
      natural: true,
    });
    // 0405 人群聚集 1h < 2h: 1h; 0602 路灯不亮 24h: capped at 2h
    expect(handlingDeadline(cal, sla, { eventClass: '0405', urgency: 'urgent' }, Date.UTC(2026, 2, 14, 14)).deadline).toBe(Date.UTC(2026, 2, 14, 15));
    expect(handlingDeadline(cal, sla, { eventClass: '0602', urgency: 'urgent' }, Date.UTC(2026, 2, 13, 9)).deadline).toBe(Date.UTC(2026, 2, 13, 11)); // Fri 17:00 → 19:00
  });

  it('normal deadlines of every class use exactly their limit of working time', () => {
    const at = Date.UTC(2026, 8, 29, 7, 17); // Tue 09-29 15:17, just before National Day
    for (const ec of EVENT_CLASSES) {
      const d = handlingDeadline(cal, sla, { eventClass: ec.code, urgency: 'normal' }, at);
      expect(cal.workingMsBetween(at, d.deadline)).toBe(ec.limitHours * H);
      expect(cal.workingMsBetween(at, d.warnAt)).toBe(ec.limitHours * H * 0.8);
    }
  });
});

describe('dispatchDueAt', () => {
  it('normal: 30 working minutes; urgent: 10 natural minutes', () => {
    expect(dispatchDueAt(cal, sla, 'normal', Date.UTC(2026, 2, 10, 3, 50))).toBe(Date.UTC(2026, 2, 10, 6, 20)); // Tue 11:50 → 14:20
    expect(dispatchDueAt(cal, sla, 'urgent', Date.UTC(2026, 2, 10, 3, 50))).toBe(Date.UTC(2026, 2, 10, 4)); // Tue 11:50 → 12:00
    expect(dispatchDueAt(cal, sla, 'normal', Date.UTC(2026, 2, 13, 9, 20))).toBe(Date.UTC(2026, 2, 16, 0, 50)); // Fri 17:20 → Mon 08:50
    expect(dispatchDueAt(cal, sla, 'urgent', Date.UTC(2026, 2, 14, 15, 55))).toBe(Date.UTC(2026, 2, 14, 16, 5)); // Sat 23:55 → Sun 00:05
  });
});

describe('deferral: remainingMs and resumeDeadline', () => {
  it('normal: pauses working time and restarts it on resume', () => {
    // deadline Mon 03-16 12:00; deferred Fri 03-13 16:00: 1.5h Friday + 3.5h Monday = 5h left
    const c = { urgency: 'normal' as const, deadline: Date.UTC(2026, 2, 16, 4) };
    const left = remainingMs(cal, c, Date.UTC(2026, 2, 13, 8));
    expect(left).toBe(5 * H);
    // resumed Wed 03-18 14:00: 3.5h Wed + 1.5h Thu → Thu 10:00; warn at 4h: 3.5h + 0.5h → Thu 09:00
    expect(resumeDeadline(cal, sla, c, left, Date.UTC(2026, 2, 18, 6))).toEqual({
      deadline: Date.UTC(2026, 2, 19, 2), // Thu 10:00
      warnAt: Date.UTC(2026, 2, 19, 1), // Thu 09:00
    });
  });

  it('deferred during the weekend counts no working time; past the deadline leaves 0', () => {
    const c = { urgency: 'normal' as const, deadline: Date.UTC(2026, 2, 16, 4) }; // Mon 12:00
    expect(remainingMs(cal, c, Date.UTC(2026, 2, 14, 2))).toBe(3.5 * H); // Sat 10:00
    expect(remainingMs(cal, c, Date.UTC(2026, 2, 16, 6))).toBe(0); // Mon 14:00
  });

  it('urgent: natural time', () => {
    const c = { urgency: 'urgent' as const, deadline: Date.UTC(2026, 2, 14, 16) }; // Sun 00:00
    expect(remainingMs(cal, c, Date.UTC(2026, 2, 14, 15, 30))).toBe(30 * M); // Sat 23:30
    expect(remainingMs(cal, c, Date.UTC(2026, 2, 14, 17))).toBe(0); // Sun 01:00
    // the natural flag wins over urgency when given explicitly
    expect(remainingMs(cal, c, Date.UTC(2026, 2, 14, 15, 30), false)).toBe(0); // no working time on a weekend night
    // resumed Sun 03:00 with 30 min → 03:30, warn after 24 min → 03:24
    expect(resumeDeadline(cal, sla, c, 30 * M, Date.UTC(2026, 2, 14, 19))).toEqual({
      deadline: Date.UTC(2026, 2, 14, 19, 30),
      warnAt: Date.UTC(2026, 2, 14, 19, 24),
    });
  });
});

describe('extendDeadline', () => {
  it('adds working hours over a weekend, natural hours for urgent cases', () => {
    // Fri 16:00 + 4h: 1.5h Friday + 2.5h Monday → Mon 11:00
    expect(extendDeadline(cal, Date.UTC(2026, 2, 13, 8), 4, false)).toBe(Date.UTC(2026, 2, 16, 3));
    // Fri 16:00 + 4 natural hours → Fri 20:00
    expect(extendDeadline(cal, Date.UTC(2026, 2, 13, 8), 4, true)).toBe(Date.UTC(2026, 2, 13, 12));
    // a deadline at Fri 17:30 + 7h → Mon 17:30
    expect(extendDeadline(cal, Date.UTC(2026, 2, 13, 9, 30), 7, false)).toBe(Date.UTC(2026, 2, 16, 9, 30));
    expect(() => extendDeadline(cal, Date.UTC(2026, 2, 13, 8), 0, false)).toThrow(RangeError);
  });
});

describe('escalationDueAt', () => {
  const deadline = Date.UTC(2026, 2, 10, 7); // Tue 15:00
  const limitMs = 4 * H;

  it('first at the deadline, then every half limit (natural), up to the district', () => {
    expect(escalationDueAt({ deadline, escalations: 0, owner: '340803001001' }, limitMs)).toBe(deadline); // community
    expect(escalationDueAt({ deadline, escalations: 1, owner: '340803001' }, limitMs)).toBe(Date.UTC(2026, 2, 10, 9)); // township, Tue 17:00
    expect(escalationDueAt({ deadline, escalations: 2, owner: '340803001' }, limitMs)).toBe(Date.UTC(2026, 2, 10, 11)); // Tue 19:00
  });

  it('is null at the district or without a deadline', () => {
    expect(escalationDueAt({ deadline, escalations: 2, owner: '340803' }, limitMs)).toBeNull();
    expect(escalationDueAt({ deadline: null, escalations: 0, owner: '340803001001' }, limitMs)).toBeNull();
  });
});
