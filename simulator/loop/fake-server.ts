// Test support: an in-memory stand-in for the server's closed-loop API, just enough of it for the
// loop driver — case reports, case commands, open-case queries, whistles — decided by the same pure
// core rules the server uses (core/cases/lifecycle.ts, core/whistle.ts), with a fake clock. No network.
import { Compile } from 'typebox/compile';
import { DEFAULT_CALENDAR } from '../../core/cases/calendar.ts';
import { decide, decideReport, evolve, type SlaPort } from '../../core/cases/lifecycle.ts';
import { CLOCK_STAGES, OPEN_STAGES, type CaseCommand, type CaseReport, type CaseState } from '../../core/cases/model.ts';
import { CaseCommandRequestSchema, WhistleCommandRequestSchema } from '../../core/cases/schemas.ts';
import { bindSla, DEFAULT_SLA_CONFIG, escalationDueAt, limitHoursFor, type BoundSla } from '../../core/cases/sla.ts';
import { actorProblem, inScope, SYSTEM_ACTOR, type Actor } from '../../core/org.ts';
import * as whistles from '../../core/whistle.ts';
import type { FetchLike } from '../api.ts';
import type { SimDataset } from '../dataset.ts';
import { inArea } from '../geo.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Natural-time limits (the class's hours around the clock): simple and easy to reason about in tests. */
export function naturalSla(): SlaPort & { limitMs(c: Pick<CaseState, 'eventClass' | 'urgency'>): number } {
  const limitMs = (c: Pick<CaseState, 'eventClass' | 'urgency'>) => {
    const h = limitHoursFor(DEFAULT_SLA_CONFIG, c.eventClass);
    return (c.urgency === 'urgent' ? Math.min(h, 2) : h) * HOUR;
  };
  return {
    limitMs,
    dispatchDueAt: (urgency, filedAt) => filedAt + (urgency === 'urgent' ? 10 : 30) * MIN,
    handlingDeadline: (c, at) => ({ deadline: at + limitMs(c), warnAt: at + 0.8 * limitMs(c) }),
    remainingMs: (c, at) => Math.max(0, (c.deadline ?? at) - at),
    resume: (_c, remaining, at) => ({ deadline: at + remaining, warnAt: at + 0.8 * remaining }),
    extend: (c, hours) => ({ deadline: (c.deadline ?? 0) + hours * HOUR, warnAt: (c.warnAt ?? 0) + hours * HOUR }),
  };
}

/** The real rules: working calendar (08:30–12:00, 14:00–17:30 on working days) for normal cases, natural time for urgent ones. */
export function workingSla(): BoundSla {
  return bindSla(DEFAULT_CALENDAR, DEFAULT_SLA_CONFIG);
}

type Result<T> = { ok: true; data: T } | { ok: false; code: string; message: string };
const STATUS: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404, INVALID_TRANSITION: 409, CONFLICT: 409, INVALID_COMMAND: 422, BAD_REQUEST: 400 };
const GATEWAY: Actor = { id: 'gateway', name: 'gateway', role: 'system', org: '340803' };
const checkCommand = Compile(CaseCommandRequestSchema);
const checkWhistle = Compile(WhistleCommandRequestSchema);

export class FakeServer {
  readonly cases = new Map<string, CaseState>();
  readonly whistles = new Map<string, whistles.WhistleState>();
  /** Every refused request (4xx). */
  readonly errors: { path: string; status: number; code: string; message: string }[] = [];
  readonly requests: Record<string, number> = {};

  constructor(
    private readonly ds: Pick<SimDataset, 'grids'>,
    readonly clock: { now: number },
    readonly sla = naturalSla(),
  ) {}

  private place(lon: number, lat: number) {
    const i = this.ds.grids.findIndex((g) => inArea([lon, lat], g.area));
    return i >= 0 ? { gridIndex: i, townshipCode: this.ds.grids[i].props.townshipCode, communityCode: this.ds.grids[i].props.communityCode } : { gridIndex: -1, townshipCode: '', communityCode: '' };
  }

  /** POST /api/ingest/cases, and the server's own video-AI/sensor cases. */
  report(r: CaseReport): Result<CaseState> {
    const d = decideReport(this.cases.get(r.id), r, this.place(r.lon, r.lat), GATEWAY);
    if (!d.ok) return d;
    if (!('duplicate' in d)) this.cases.set(r.id, evolve(undefined, d.event));
    return { ok: true, data: this.cases.get(r.id)! };
  }

  command(id: string, cmd: CaseCommand, actor: Actor): Result<CaseState> {
    this.escalate(id);
    return this.apply(id, cmd, actor);
  }

  private apply(id: string, cmd: CaseCommand, actor: Actor): Result<CaseState> {
    const d = decide(this.cases.get(id), cmd, actor, { now: this.clock.now, sla: this.sla });
    if (!d.ok) return d;
    const next = evolve(this.cases.get(id), d.event);
    this.cases.set(id, next);
    return { ok: true, data: next };
  }

  whistle(id: string, cmd: whistles.WhistleCommand, actor: Actor): Result<whistles.WhistleState> {
    const caseId = cmd.type === 'blow' ? cmd.caseId : this.whistles.get(id)?.caseId;
    if (caseId) this.escalate(caseId);
    const d = whistles.decide(this.whistles.get(id) ?? null, cmd, actor, { now: this.clock.now, caseOf: (cid) => this.cases.get(cid) });
    if (!d.ok) return d;
    const w = whistles.evolve(this.whistles.get(id) ?? null, d.event);
    this.whistles.set(id, w);
    if (d.event.type === 'blown') {
      const c = this.cases.get(d.event.caseId)!;
      this.cases.set(c.id, evolve(c, { caseId: c.id, command: 'whistle', from: c.stage, to: c.stage, at: this.clock.now, actor: d.event.actor, data: { whistleId: id } }));
    }
    return { ok: true, data: w };
  }

  /** Moves overdue cases up one level at a time, as the server's escalation timer does (all of them, or one). */
  escalate(only?: string): number {
    let moved = 0;
    for (const c of only ? [this.cases.get(only)].filter((x) => x !== undefined) : [...this.cases.values()]) {
      for (let cur = c; ; ) {
        if (!CLOCK_STAGES.has(cur.stage)) break;
        const at = escalationDueAt(cur, this.sla.limitMs(cur));
        if (at === null || this.clock.now < at) break;
        const r = this.apply(cur.id, { type: 'escalate', note: '超期自动升级' }, SYSTEM_ACTOR);
        if (!r.ok) break;
        cur = r.data;
        moved++;
      }
    }
    return moved;
  }

  open(scope: string): CaseState[] {
    return [...this.cases.values()].filter((c) => OPEN_STAGES.has(c.stage) && inScope(scope, c.communityCode || c.townshipCode || '340803'));
  }

  /** The HTTP face: the routes of the API the simulator uses. */
  readonly fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const body = init.body ? JSON.parse(init.body) : undefined;
    const key = `${init.method} ${u.pathname.replace(/\/api\/(cases|whistles)\/[^/]+/, '/api/$1/:id')}`;
    this.requests[key] = (this.requests[key] ?? 0) + 1;
    const r = this.route(init.method, u, body);
    const status = r.ok ? 200 : (STATUS[r.code] ?? 400);
    if (!r.ok) this.errors.push({ path: `${init.method} ${u.pathname}`, status, code: r.code, message: r.message });
    return { status, text: async () => JSON.stringify(r) };
  };

  private route(method: string, u: URL, body: any): Result<unknown> {
    const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent); // ['api', 'cases', id, 'commands']
    if (method === 'GET' && u.pathname === '/api/cases') return { ok: true, data: this.open(u.searchParams.get('scope') ?? '340803') };
    if (method === 'GET' && parts[1] === 'cases' && parts.length === 3) {
      const c = this.cases.get(parts[2]);
      return c ? { ok: true, data: { case: c, timeline: [] } } : { ok: false, code: 'NOT_FOUND', message: `no case ${parts[2]}` };
    }
    if (method === 'GET' && u.pathname === '/api/whistles') return { ok: true, data: [...this.whistles.values()] };
    if (method !== 'POST') return { ok: false, code: 'NOT_FOUND', message: `${method} ${u.pathname}` };
    if (parts[1] === 'cases' && parts[3] === 'commands') {
      const p = this.bodyProblem(checkCommand, body);
      return p ?? this.command(parts[2], body.command, body.actor);
    }
    if (parts[1] === 'whistles') {
      const p = this.bodyProblem(checkWhistle, body);
      if (p) return p;
      if (parts.length === 2) return body.command.type === 'blow' ? this.whistle(body.command.whistleId, body.command, body.actor) : { ok: false, code: 'INVALID_COMMAND', message: 'blow only' };
      return body.command.type !== 'blow' ? this.whistle(parts[2], body.command, body.actor) : { ok: false, code: 'INVALID_COMMAND', message: 'not a blow' };
    }
    return { ok: false, code: 'NOT_FOUND', message: `${method} ${u.pathname}` };
  }

  private bodyProblem(check: { Check(v: unknown): boolean }, body: unknown): Result<never> | null {
    if (!check.Check(body)) return { ok: false, code: 'INVALID_COMMAND', message: `body does not match the schema: ${JSON.stringify(body).slice(0, 300)}` };
    const a = actorProblem((body as { actor: Actor }).actor);
    return a ? { ok: false, code: 'INVALID_COMMAND', message: `actor: ${a}` } : null;
  }
}
