// A case's fate: every random choice the simulated staff will make about it, drawn once from a
// generator seeded by (seed, case id). The planner is then a pure function of the case's state
// and its fate, so re-planning after every poll never re-rolls the dice, and the same seed tells
// the same story whatever order the cases are discovered in.
import type { CaseState, Rating } from '../../core/cases/model.ts';
import { DEPARTMENTS, defaultDepartment } from '../../core/org.ts';
import type { WhistleKind } from '../../core/whistle.ts';
import { URGENT_CHANCE } from '../models/cases.ts';
import { stream, type Rng } from '../../core/random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The shares the loop reproduces (DOMAIN.md §1, §3, §4). */
export const SHARES = {
  /** Of patrol reports, handled by the grid worker on the spot (巡办合一). */
  onSpot: 0.6,
  /** Of the other reports, voided instead of filed (duplicates, not our matter). */
  void: 0.02,
  /** Of filed cases, dispatched before dispatchDueAt (按时派遣率). */
  dispatchOnTime: 0.9,
  /** Of dispatches, sent to the wrong unit, which returns it (回退, against 准确派遣率). */
  wrongDispatch: 0.03,
  /** Of dispatched cases, fed back before the deadline (按期处置率); the rest are late ... */
  onTime: 0.87,
  /** ... by 10–150% of the limit, or (this share) much later: days, escalating on the way. */
  muchLater: 0.03,
  extension: 0.04,
  extensionApproved: 0.8,
  defer: 0.01,
  /** Of re-checks, failed: the unit reworks and feeds back again (返工). */
  recheckFail: 0.05,
  /** Of rechecks, done by a grid worker of the community rather than the center. */
  recheckByWorker: 0.5,
  callbackResolved: 0.92,
  ratings: { satisfied: 0.85, basic: 0.1, unsatisfied: 0.05 } satisfies Record<Rating, number>,
  /** Of urgent or 05xx cases in a township, whistled (吹哨). */
  whistle: 1 / 15,
  /** Of summoned departments, reporting in before the whistle's limit. */
  reportInOnTime: 0.9,
};

/** Only normal, non-05xx patrol cases may be closed on the spot; patrol never reports 05xx, so they are (1 - 5%) of patrol. */
export const ON_SPOT_CHANCE = Math.min(1, SHARES.onSpot / (1 - URGENT_CHANCE.other));

export interface WhistleFate {
  kind: WhistleKind;
  lead: string;
  supporting: string[];
  blowDelay: number; // sim ms after the dispatch
  /** Per supporting department: report-in time as a fraction of the whistle's limit (> 1 = late). */
  reportIn: number[];
  closeDelay: number; // sim ms after the matter is done and everyone is in
  ratings: number[]; // per supporting department, 3–5
}

/** Durations are simulated ms; fractions are of a window the server sets (dispatch or handling limit). */
export interface Fate {
  onSpot: boolean;
  onSpotDelay: number;
  void: boolean;
  fileDelay: number;
  /** Dispatch time as a fraction of filed → dispatchDueAt (> 1 = late). */
  dispatchFrac: number;
  /** First dispatch goes here and comes back; null = right the first time. */
  wrongUnit: string | null;
  returnDelay: number;
  redispatchDelay: number;
  acceptDelay: number;
  /** Feedback time as a fraction of dispatch → deadline (> 1 = late). */
  feedbackFrac: number;
  extension: { atFrac: number; hours: number; approved: boolean; decideDelay: number } | null;
  defer: { atFrac: number; forMs: number } | null;
  recheckFails: number; // 0 or 1
  reworkDelay: number;
  recheckByWorker: boolean;
  pick: number; // [0,1): which grid worker re-checks
  /** Post-feedback steps: absolute sim delays, and the share of the time left before the deadline each may use. */
  recheckDelay: number;
  replyDelay: number;
  closeDelay: number;
  slots: [number, number, number];
  callbackDelay: number;
  resolved: boolean;
  rating: Rating;
  whistle: WhistleFate | null;
}

const between = (r: Rng, lo: number, hi: number) => r.range(lo, hi);

export function drawFate(c: Pick<CaseState, 'id' | 'source' | 'eventClass' | 'urgency' | 'townshipCode' | 'communityCode'>, seed: number): Fate {
  const r = stream(seed, c.id); // one generator per case
  const emergency = c.eventClass.startsWith('05');
  const hotline = c.source === 'hotline-12345' || c.source === 'hotline-12319';
  // Every draw happens in a fixed order, whatever is used, so a change of one share does not reshuffle the rest.
  const onSpot = c.source === 'patrol' && c.urgency === 'normal' && !emergency && r.chance(ON_SPOT_CHANCE);
  const onSpotDelay = between(r, 3, 12) * MIN;
  const voided = r.chance(SHARES.void);
  const fileDelay = (hotline || c.source === 'city-brain' ? between(r, 2, 8) : between(r, 5, 20)) * MIN;
  const dispatchFrac = r.chance(SHARES.dispatchOnTime) ? between(r, 0.1, 0.9) : between(r, 1.1, 3);
  const right = defaultDepartment(c.eventClass);
  const wrongPick = r.pick(DEPARTMENTS.filter((d) => d.id !== right)).id;
  const wrongUnit = r.chance(SHARES.wrongDispatch) ? wrongPick : null;
  const returnDelay = between(r, 10, 60) * MIN;
  const redispatchDelay = between(r, 5, 20) * MIN;
  const acceptDelay = between(r, 3, 20) * MIN;
  const u = r.next();
  const feedbackFrac = u < SHARES.onTime ? between(r, 0.2, 0.8) : u < 1 - SHARES.muchLater ? between(r, 1.1, 2.5) : between(r, 3, 8);
  const ext = { atFrac: between(r, 0.3, 0.7), hours: 8 + r.int(17), approved: r.chance(SHARES.extensionApproved), decideDelay: between(r, 10, 60) * MIN };
  const extension = r.chance(SHARES.extension) ? ext : null;
  const def = { atFrac: between(r, 0.2, 0.5), forMs: between(r, 1, 8) * HOUR };
  const defer = c.urgency === 'normal' && r.chance(SHARES.defer) ? def : null;
  const recheckFails = r.chance(SHARES.recheckFail) ? 1 : 0;
  const reworkDelay = r.logNormal(60 * MIN, 0.5);
  const recheckByWorker = r.chance(SHARES.recheckByWorker);
  const pick = r.next();
  const recheckDelay = Math.min(r.logNormal(40 * MIN, 0.5), 4 * HOUR);
  const replyDelay = between(r, 5, 30) * MIN;
  const closeDelay = between(r, 5, 30) * MIN;
  const slots: [number, number, number] = [between(r, 0.1, 0.3), between(r, 0.05, 0.15), between(r, 0.05, 0.15)];
  const callbackDelay = between(r, 1, 24) * HOUR;
  const resolved = r.chance(SHARES.callbackResolved);
  const q = r.next();
  const rating: Rating = q < SHARES.ratings.satisfied ? 'satisfied' : q < SHARES.ratings.satisfied + SHARES.ratings.basic ? 'basic' : 'unsatisfied';
  const whistle = drawWhistle(r, c, right);
  return {
    onSpot, onSpotDelay, void: !onSpot && voided, fileDelay, dispatchFrac, wrongUnit, returnDelay, redispatchDelay, acceptDelay,
    feedbackFrac, extension, defer, recheckFails, reworkDelay, recheckByWorker, pick, recheckDelay, replyDelay, closeDelay, slots,
    callbackDelay, resolved, rating, whistle,
  };
}

function drawWhistle(r: Rng, c: Pick<CaseState, 'urgency' | 'eventClass' | 'townshipCode'>, lead: string): WhistleFate | null {
  const eligible = (c.urgency === 'urgent' || c.eventClass.startsWith('05')) && c.townshipCode !== '';
  const blown = r.chance(SHARES.whistle);
  const kind: WhistleKind = c.urgency === 'urgent' ? 'emergency' : r.chance(0.7) ? 'quick' : 'assault';
  const others = DEPARTMENTS.map((d) => d.id).filter((id) => id !== lead);
  const n = 2 + r.int(2);
  const supporting: string[] = [];
  while (supporting.length < n) {
    const d = r.pick(others);
    if (!supporting.includes(d)) supporting.push(d);
  }
  const reportIn = supporting.map(() => (r.chance(SHARES.reportInOnTime) ? between(r, 0.1, 0.95) : between(r, 1.1, 2)));
  const w: WhistleFate = {
    kind, lead, supporting, blowDelay: between(r, 2, 10) * MIN, reportIn, closeDelay: between(r, 10, 40) * MIN,
    ratings: supporting.map(() => 3 + r.int(3)),
  };
  return eligible && blown ? w : null;
}

/** How late a "much later" case may be at most: it stays open for days, not weeks. */
export const MUCH_LATER_CAP = 10 * DAY;
