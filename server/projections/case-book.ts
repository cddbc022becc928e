// Every case's current state, evolved from the case events in the log, and what each scope sees
// of it: the visible cases, the headline counts and the standard indicators.
import { shanghaiDayStart, shanghaiHour } from '../../core/domain.ts';
import { evolve } from '../../core/cases/lifecycle.ts';
import { CLOCK_STAGES, OPEN_STAGES, isOverdue, type CaseEvent, type CaseState } from '../../core/cases/model.ts';
import { computeKpis } from '../../core/cases/kpi.ts';
import { DISTRICT_CODE, placeInScope } from '../../core/org.ts';
import type { CaseCounts, LoopKpis } from '../../core/protocol.ts';

const DAY = 86_400_000;

/** Whether a screen's snapshot at `now` holds the case: open, or reported, closed or voided in the last 24 h. */
export function visibleAt(c: CaseState, now: number): boolean {
  const since = now - DAY;
  return OPEN_STAGES.has(c.stage) || c.reportedAt >= since || (c.closedAt ?? 0) >= since || (c.voidedAt ?? 0) >= since;
}

/** A case changed since the last take, and its state at that take (null: new since). */
export interface CaseChange {
  state: CaseState;
  base: CaseState | null;
}

export class CaseBook {
  private readonly cases = new Map<string, CaseState>();
  /** Changed cases since the last take, each with its state before the first change. */
  private dirty = new Map<string, CaseState | null>();

  get size(): number {
    return this.cases.size;
  }

  get(id: string): CaseState | undefined {
    return this.cases.get(id);
  }

  all(): IterableIterator<CaseState> {
    return this.cases.values();
  }

  /** Applies one logged case event; returns the new state and whether the case is new. */
  apply(e: CaseEvent): { state: CaseState; isNew: boolean } {
    const before = this.cases.get(e.caseId);
    const state = evolve(before, e);
    this.cases.set(e.caseId, state);
    if (!this.dirty.has(e.caseId)) this.dirty.set(e.caseId, before ?? null);
    return { state, isNew: before === undefined };
  }

  exportState(): CaseState[] {
    return [...this.cases.values()];
  }

  importState(cases: CaseState[]): void {
    this.cases.clear();
    for (const c of cases) this.cases.set(c.id, c);
  }

  /** The cases changed since the last take, each with its state at that take (what screens were sent). */
  takeChanged(): CaseChange[] {
    if (this.dirty.size === 0) return [];
    const out: CaseChange[] = [];
    for (const [id, base] of this.dirty) out.push({ state: this.cases.get(id)!, base });
    this.dirty = new Map();
    return out;
  }

  /** Open cases whose clock runs (candidates for escalation). */
  *running(): Generator<CaseState> {
    for (const c of this.cases.values()) if (c.deadline !== null && CLOCK_STAGES.has(c.stage)) yield c;
  }

  /** Open cases in a scope. */
  open(scope: string): CaseState[] {
    const out: CaseState[] = [];
    for (const c of this.cases.values()) if (OPEN_STAGES.has(c.stage) && placeInScope(scope, c)) out.push(c);
    return out.sort((a, b) => b.reportedAt - a.reportedAt);
  }

  /** What a screen of this scope shows: open cases plus those reported, closed or voided in the last 24 h. */
  visible(scope: string, now: number): CaseState[] {
    const out: CaseState[] = [];
    for (const c of this.cases.values()) if (placeInScope(scope, c) && visibleAt(c, now)) out.push(c);
    return out.sort((a, b) => b.reportedAt - a.reportedAt);
  }


  /** The headline counts of one scope. */
  counts(scope: string, now: number): CaseCounts {
    return this.countsByScope([scope], now).get(scope)!;
  }

  /**
   * The headline counts of every scope in one pass over the cases (a tick counts each connected
   * scope's: once per scope, 56 centers' scopes read every case 56 times, four times a second).
   */
  countsByScope(scopes: readonly string[], now: number): Map<string, CaseCounts> {
    const dayStart = shanghaiDayStart(now);
    const out = new Map<string, CaseCounts>();
    for (const s of scopes) out.set(s, { today: 0, open: 0, overdue: 0, closedToday: 0, byHour: new Array<number>(24).fill(0), openBySource: {} });
    const district = out.get(DISTRICT_CODE);
    // A case is in a township or community scope when its place's code starts with the scope's.
    const lengths = [...new Set(scopes.filter((s) => s !== DISTRICT_CODE).map((s) => s.length))];
    const into = (k: CaseCounts, c: CaseState, reportedToday: boolean, open: boolean, overdue: boolean, closedToday: boolean) => {
      if (reportedToday) {
        k.today++;
        k.byHour[shanghaiHour(c.reportedAt)]++;
      }
      if (open) {
        k.open++;
        k.openBySource[c.source] = (k.openBySource[c.source] ?? 0) + 1;
        if (overdue) k.overdue++;
      }
      if (closedToday) k.closedToday++;
    };
    for (const c of this.cases.values()) {
      const reportedToday = c.reportedAt >= dayStart && c.reportedAt <= now;
      const open = OPEN_STAGES.has(c.stage);
      const closedToday = c.stage === 'closed' && (c.closedAt ?? 0) >= dayStart;
      if (!reportedToday && !open && !closedToday) continue;
      const overdue = open && isOverdue(c, now);
      if (district) into(district, c, reportedToday, open, overdue, closedToday);
      const where = c.communityCode || c.townshipCode;
      if (where === '') continue;
      for (const n of lengths) {
        const k = where.length >= n ? out.get(where.slice(0, n)) : undefined;
        if (k && k !== district) into(k, c, reportedToday, open, overdue, closedToday);
      }
    }
    return out;
  }

  /** Standard indicators of the scope over cases reported today (Asia/Shanghai) and in the last 30 days. */
  loopKpis(scope: string, now: number): LoopKpis {
    const dayStart = shanghaiDayStart(now);
    const monthStart = now - 30 * DAY;
    const today: CaseState[] = [];
    const month: CaseState[] = [];
    for (const c of this.cases.values()) {
      if (c.reportedAt < monthStart || c.reportedAt > now || !placeInScope(scope, c)) continue;
      month.push(c);
      if (c.reportedAt >= dayStart) today.push(c);
    }
    return { today: computeKpis(today, now), last30Days: computeKpis(month, now) };
  }

  /** Cases in scope reported in [from, to). */
  inPeriod(scope: string, from: number, to: number): CaseState[] {
    const out: CaseState[] = [];
    for (const c of this.cases.values()) if (c.reportedAt >= from && c.reportedAt < to && placeInScope(scope, c)) out.push(c);
    return out;
  }
}
