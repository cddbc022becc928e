// Cases as the command room sees them, and the case KPIs, projected from case events.
import { isOverdue, OPEN_STAGES, shanghaiDayStart, shanghaiHour, type CaseSummary } from '../../core/domain.ts';
import type { CaseCounts, CaseRecord } from '../../core/protocol.ts';

export interface PlaceResolver {
  (lon: number, lat: number): { gridIndex: number; townshipCode: string };
}

export class CaseBoard {
  private readonly cases = new Map<string, CaseSummary>();
  private dirty = new Set<string>();

  constructor(private readonly resolvePlace: PlaceResolver) {}

  get size(): number {
    return this.cases.size;
  }

  get(id: string): CaseSummary | undefined {
    return this.cases.get(id);
  }

  /** Applies a case record; returns true when the case is new. */
  apply(r: CaseRecord): boolean {
    const existing = this.cases.get(r.id);
    // Updates may arrive out of order from different gateways: the newest updatedAt wins.
    if (existing && existing.updatedAt > r.updatedAt) return false;
    const place = existing && existing.lon === r.lon && existing.lat === r.lat ? existing : this.resolvePlace(r.lon, r.lat);
    const closedAt = r.stage === 'closed' ? (existing?.closedAt ?? r.updatedAt) : null;
    const summary: CaseSummary = {
      id: r.id,
      source: r.source,
      eventClass: r.eventClass,
      title: r.title,
      stage: r.stage,
      urgency: r.urgency,
      lon: r.lon,
      lat: r.lat,
      gridIndex: place.gridIndex,
      townshipCode: place.townshipCode,
      reportedAt: existing?.reportedAt ?? r.reportedAt,
      deadline: r.deadline ?? existing?.deadline ?? null,
      closedAt,
      updatedAt: r.updatedAt,
      ...(r.hotlineOrderNo ? { hotlineOrderNo: r.hotlineOrderNo } : {}),
    };
    this.cases.set(r.id, summary);
    this.dirty.add(r.id);
    return existing === undefined;
  }

  exportState(): CaseSummary[] {
    return [...this.cases.values()];
  }

  importState(cases: CaseSummary[]): void {
    this.cases.clear();
    for (const c of cases) this.cases.set(c.id, c);
  }

  takeChanged(): CaseSummary[] {
    if (this.dirty.size === 0) return [];
    const out: CaseSummary[] = [];
    for (const id of this.dirty) out.push(this.cases.get(id)!);
    this.dirty = new Set();
    return out;
  }

  /** What a screen shows: every open case plus those reported or closed today (Asia/Shanghai). */
  visible(now: number): CaseSummary[] {
    const dayStart = shanghaiDayStart(now);
    const out: CaseSummary[] = [];
    for (const c of this.cases.values()) {
      if (OPEN_STAGES.has(c.stage) || c.reportedAt >= dayStart || (c.closedAt ?? 0) >= dayStart) out.push(c);
    }
    return out.sort((a, b) => b.reportedAt - a.reportedAt);
  }

  counts(now: number): CaseCounts {
    const dayStart = shanghaiDayStart(now);
    const byHour = new Array<number>(24).fill(0);
    const openBySource: Record<string, number> = {};
    let today = 0;
    let open = 0;
    let overdue = 0;
    let closedToday = 0;
    for (const c of this.cases.values()) {
      if (c.reportedAt >= dayStart && c.reportedAt <= now) {
        today++;
        byHour[shanghaiHour(c.reportedAt)]++;
      }
      if (OPEN_STAGES.has(c.stage)) {
        open++;
        openBySource[c.source] = (openBySource[c.source] ?? 0) + 1;
        if (isOverdue(c, now)) overdue++;
      }
      if (c.stage === 'closed' && (c.closedAt ?? 0) >= dayStart) closedToday++;
    }
    return { today, open, overdue, closedToday, byHour, openBySource };
  }
}
