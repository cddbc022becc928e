// The loop driver: the simulated staff at work. It polls the district's open cases (to find the
// ones the server opened from alarms and to see escalations), plans each case's next step with
// planner.ts and gives the commands through the HTTP API, one at a time per case. A refused
// command (4xx) is logged, the case is re-read and planned again from what the server says.
import type { Logger } from 'pino';
import { OPEN_STAGES, type CaseState } from '../../core/cases/model.ts';
import { DISTRICT_CODE } from '../../core/org.ts';
import type { WhistleState } from '../../core/whistle.ts';
import type { ApiClient, ApiResult } from '../api.ts';
import type { Staff } from '../staff.ts';
import { drawFate, type Fate } from './fate.ts';
import { finished, newMemo, plan, type Memo, type PlanEnv, type Step } from './planner.ts';

export interface DriverOptions {
  api: ApiClient;
  staff: Staff;
  seed: number;
  speed: number;
  log?: Logger;
  /** Wall clock (tests pass a fake one). */
  clock?: () => number;
  /** Admin code whose open cases are polled. */
  scope?: string;
  pollMs?: number;
  /** 4xx lines logged per summary interval (the rest are counted). */
  warnBudget?: number;
  /**
   * Reporter id prefixes whose cases the simulated staff leave to the people at the screens (an
   * operator trying the loop by hand, a browser test), instead of racing them to each step.
   */
  leaveToPeople?: readonly string[];
}

interface Tracked {
  state: CaseState;
  fate: Fate;
  memo: Memo;
  busy: boolean;
  holdUntil: number; // wall ms: no new step before (after a refusal or an outage)
  failures: number; // consecutive
  steps: Step[] | null; // cached plan; null = plan again
}

/** Counters for the summary line and the tests. */
export interface LoopStats {
  polls: number;
  pollFailures: number;
  discovered: number;
  retired: number;
  /** Accepted commands by type ('blow', 'report-in', 'close-whistle' for whistles). */
  commands: Record<string, number>;
  /** Refused commands by error code ('UNAVAILABLE' when the server could not be reached). */
  refused: Record<string, number>;
  outcomes: {
    /** Patrol cases ended (closed or voided): the base of the on-the-spot share. */
    patrolEnded: number;
    onSpot: number; voided: number; dispatched: number; dispatchedOnTime: number; returned: number;
    handled: number; handledOnTime: number; closed: number; closedOnTime: number; callbacks: number;
    whistles: number; reportIns: number; reportInsOnTime: number; whistlesClosed: number;
  };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

export class LoopDriver {
  readonly stats: LoopStats = {
    polls: 0, pollFailures: 0, discovered: 0, retired: 0, commands: {}, refused: {},
    outcomes: {
      patrolEnded: 0, onSpot: 0, voided: 0, dispatched: 0, dispatchedOnTime: 0, returned: 0, handled: 0, handledOnTime: 0, closed: 0, closedOnTime: 0,
      callbacks: 0, whistles: 0, reportIns: 0, reportInsOnTime: 0, whistlesClosed: 0,
    },
  };
  /** Every refused command (tests check them; capped). */
  readonly refusals: { caseId: string; command: string; code: string; message: string }[] = [];
  private readonly cases = new Map<string, Tracked>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly env: PlanEnv;
  private readonly clock: () => number;
  private readonly pollMs: number;
  private readonly scope: string;
  private nextPollAt = 0;
  private polling = false;
  private stopped = false;
  private warnBudget: number;

  constructor(private readonly o: DriverOptions) {
    this.env = { staff: o.staff, speed: o.speed };
    this.clock = o.clock ?? Date.now;
    this.pollMs = o.pollMs ?? 5000;
    this.scope = o.scope ?? DISTRICT_CODE;
    this.warnBudget = o.warnBudget ?? 50;
  }

  /** Cases being worked on (open, or closed with a callback or a whistle still to do). */
  get tracked(): number {
    return this.cases.size;
  }

  /** Starts whatever is due: a poll, and the next step of every idle case. */
  tick(now = this.clock()): void {
    if (this.stopped) return;
    if (!this.polling && now >= this.nextPollAt) {
      this.nextPollAt = now + this.pollMs;
      this.track(this.poll());
    }
    for (const t of this.cases.values()) {
      if (t.busy || now < t.holdUntil) continue;
      t.steps ??= plan(t.state, t.fate, t.memo, this.env);
      const step = t.steps.find((s) => s.at <= now);
      if (step) this.track(this.run(t, step));
    }
  }

  /** Resolves when every request started so far has been answered. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  stop(): void {
    this.stopped = true;
  }

  summary() {
    const o = this.stats.outcomes;
    const line = {
      tracked: this.cases.size, polls: this.stats.polls, pollFailures: this.stats.pollFailures, discovered: this.stats.discovered,
      commands: this.stats.commands, refused: this.stats.refused, outcomes: o,
      shares: {
        onSpotOfPatrol: ratio(o.onSpot, o.patrolEnded), dispatchOnTime: ratio(o.dispatchedOnTime, o.dispatched),
        handledOnTime: ratio(o.handledOnTime, o.handled), closedOnTime: ratio(o.closedOnTime, o.closed), reportInOnTime: ratio(o.reportInsOnTime, o.reportIns),
      },
    };
    this.warnBudget = this.o.warnBudget ?? 50;
    return line;
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      const r = await this.o.api.get<CaseState[]>(`/api/cases?scope=${this.scope}&open=1`);
      this.stats.polls++;
      if (!r.ok) {
        this.stats.pollFailures++;
        this.warn({ status: r.status, code: r.code, message: r.message }, 'case poll failed');
        return;
      }
      const seen = new Set<string>();
      for (const c of r.data) {
        seen.add(c.id);
        this.absorb(c);
      }
      // Open here but missing there: someone else ended it (or our view is stale); ask.
      for (const t of this.cases.values()) {
        if (!seen.has(t.state.id) && OPEN_STAGES.has(t.state.stage) && !t.busy) this.track(this.reread(t));
      }
    } finally {
      this.polling = false;
    }
  }

  /** Takes a case state from the server if it is newer than what we have. */
  private absorb(c: CaseState): void {
    if (this.o.leaveToPeople?.some((prefix) => c.reporter.startsWith(prefix))) return;
    const t = this.cases.get(c.id);
    if (!t) {
      const fresh: Tracked = { state: c, fate: drawFate(c, this.o.seed), memo: newMemo(), busy: false, holdUntil: 0, failures: 0, steps: null };
      this.cases.set(c.id, fresh);
      this.stats.discovered++;
      // Whistled before we saw it (e.g. by an earlier run of the simulator): pick the whistle up.
      if (c.whistleId) this.track(this.rereadWhistle(fresh, c.whistleId));
      return;
    }
    if (c.version > t.state.version) {
      t.state = c;
      t.steps = null;
      // Whistled by someone else since we last looked: the departments will answer it.
      if (c.whistleId && !t.memo.whistle && !t.memo.whistleGaveUp) this.track(this.rereadWhistle(t, c.whistleId));
    }
  }

  private async reread(t: Tracked): Promise<void> {
    if (t.busy) return;
    t.busy = true;
    try {
      const r = await this.o.api.get<{ case: CaseState }>(`/api/cases/${encodeURIComponent(t.state.id)}`);
      if (r.ok) this.absorb(r.data.case);
      else if (r.status === 404) this.cases.delete(t.state.id);
    } finally {
      t.busy = false;
      t.steps = null;
      this.retireIfDone(t);
    }
  }

  private async run(t: Tracked, step: Step): Promise<void> {
    t.busy = true;
    const id = t.state.id;
    const label = step.kind === 'case' ? step.command.type : step.kind === 'blow' ? 'blow' : step.command.type === 'close' ? 'close-whistle' : step.command.type;
    let r: ApiResult<CaseState | WhistleState>;
    try {
      if (step.kind === 'case') {
        r = await this.o.api.post<CaseState>(`/api/cases/${encodeURIComponent(id)}/commands`, { actor: step.actor, command: step.command });
        if (r.ok) this.caseDone(t, step, r.data as CaseState);
      } else {
        const path = step.kind === 'blow' ? '/api/whistles' : `/api/whistles/${encodeURIComponent(step.whistleId)}/commands`;
        r = await this.o.api.post<WhistleState>(path, { actor: step.actor, command: step.command });
        if (r.ok) this.whistleDone(t, step, r.data as WhistleState);
      }
    } catch (err) {
      r = { ok: false, status: 0, code: 'CLIENT_ERROR', message: (err as Error).message };
    }
    t.busy = false;
    t.steps = null;
    if (r.ok) {
      t.failures = 0;
      this.stats.commands[label] = (this.stats.commands[label] ?? 0) + 1;
    } else {
      await this.refused(t, step, label, r);
    }
    this.retireIfDone(t);
  }

  private async refused(t: Tracked, step: Step, label: string, r: Extract<ApiResult<unknown>, { ok: false }>): Promise<void> {
    this.stats.refused[r.code] = (this.stats.refused[r.code] ?? 0) + 1;
    t.failures++;
    const now = this.clock();
    if (r.status === 0) {
      t.holdUntil = now + 30_000; // the client already retried with backoff: the server is down
      return;
    }
    if (this.refusals.length < 1000) this.refusals.push({ caseId: t.state.id, command: label, code: r.code, message: r.message });
    this.warn({ caseId: t.state.id, command: label, actor: step.actor.id, status: r.status, code: r.code, message: r.message }, 'command refused');
    t.holdUntil = now + Math.min(600_000, 2000 * 2 ** Math.min(t.failures, 9));
    if (step.kind !== 'case') {
      // Read the whistle back (a lost answer, someone else's step); stop trying after repeated refusals.
      await this.rereadWhistle(t, step.kind === 'blow' ? step.command.whistleId : step.whistleId);
      if (t.failures >= 3) t.memo.whistleGaveUp = true;
    }
    await this.reread(t);
  }

  /** Adopts the whistle's current state from GET /api/whistles; gives the whistle up when it is not there. */
  private async rereadWhistle(t: Tracked, whistleId: string): Promise<void> {
    const r = await this.o.api.get<WhistleState[]>(`/api/whistles?scope=${this.scope}`);
    if (!r.ok) return;
    const w = r.data.find((x) => x.id === whistleId);
    if (w) t.memo.whistle = w;
    else t.memo.whistleGaveUp = true;
    t.steps = null;
  }

  private caseDone(t: Tracked, step: Extract<Step, { kind: 'case' }>, c: CaseState): void {
    if (c.version >= t.state.version) t.state = c;
    t.memo.done[step.command.type] = c.updatedAt;
    const o = this.stats.outcomes;
    if (c.source === 'patrol' && (c.stage === 'closed' || c.stage === 'voided') && step.command.type !== 'callback') o.patrolEnded++;
    switch (step.command.type) {
      case 'close-on-spot': o.onSpot++; break;
      case 'void': o.voided++; break;
      case 'dispatch':
        if (c.returns === 0) {
          o.dispatched++;
          if (c.dispatchDueAt === null || (c.dispatchedAt ?? 0) <= c.dispatchDueAt) o.dispatchedOnTime++;
        }
        break;
      case 'return': o.returned++; break;
      case 'feedback':
        if (c.reworks === 0) {
          o.handled++;
          if (c.deadline === null || (c.handledAt ?? 0) <= c.deadline) o.handledOnTime++;
        }
        break;
      case 'close':
        o.closed++;
        if (c.deadline === null || (c.closedAt ?? 0) <= c.deadline) o.closedOnTime++;
        break;
      case 'callback': o.callbacks++; break;
    }
  }

  private whistleDone(t: Tracked, step: Exclude<Step, { kind: 'case' }>, w: WhistleState): void {
    t.memo.whistle = w;
    const o = this.stats.outcomes;
    if (step.kind === 'blow') o.whistles++;
    else if (step.command.type === 'close') o.whistlesClosed++;
    else {
      o.reportIns++;
      const mine = w.supporting.find((s) => s.unit === step.actor.org);
      if (mine?.reportedAt != null && mine.reportedAt <= w.deadline) o.reportInsOnTime++;
    }
  }

  private retireIfDone(t: Tracked): void {
    if (!t.busy && finished(t.state, t.fate, t.memo, this.env) && this.cases.get(t.state.id) === t) {
      this.cases.delete(t.state.id);
      this.stats.retired++;
    }
  }

  private warn(obj: object, msg: string): void {
    if (this.warnBudget <= 0) return;
    this.warnBudget--;
    this.o.log?.warn(obj, msg);
  }
}
