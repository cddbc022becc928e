// Drone missions (无人机派遣): what the duty cadre may send a drone to do, the flight phases a
// mission goes through, the safety check that refuses an unsafe mission with a reason a person
// understands, and the shapes that cross the wire (commands to the drone, reports from it).
// Pure: no I/O, no clock. The simulator flies with the same performance model (DRONE_FLIGHT).
import { Type, type Static } from 'typebox';
import { distanceM } from './geo.ts';
import { DISTRICT_CODE, type Actor } from './org.ts';
import type { ActorRef } from './cases/model.ts';

/** How a drone flies: shared by the safety check and the simulator, so both agree on what a mission costs. */
export interface FlightModel {
  cruiseMps: number;
  climbMps: number;
  descendMps: number;
  /** Battery kept on top of what the flight needs (percent). */
  reservePct: number;
  /** Radius of an orbit around the target (m). */
  orbitRadiusM: number;
}
export const DRONE_FLIGHT: FlightModel = { cruiseMps: 10, climbMps: 3, descendMps: 2, reservePct: 10, orbitRadiusM: 150 };

/** Limits a mission must respect (server configuration). */
export interface MissionLimits {
  /** Farthest target from the drone's base (m): the data link and the dock's airspace approval. */
  maxRangeM: number;
  /** Where drones may fly: the district's bbox (west, south, east, north). */
  bbox: [number, number, number, number];
  minAltM: number;
  maxAltM: number;
  defaultAltM: number;
  maxLoiterS: number;
}
export const DEFAULT_MISSION_LIMITS: Omit<MissionLimits, 'bbox'> = { maxRangeM: 10_000, minAltM: 30, maxAltM: 120, defaultAltM: 100, maxLoiterS: 1800 };

/** Error code of a mission refused as unsafe (merged into ERROR_CODES). */
export const DRONE_ERRORS = { refused: 'REFUSED' } as const;

export const MISSION_ACTIONS = ['hover', 'orbit'] as const;
export type MissionAction = (typeof MISSION_ACTIONS)[number];

/**
 * Phases of a mission. `pending`: sent, the drone has not answered yet. Then takeoff → enroute →
 * on-station (hovering or orbiting) → returning → landing → docked. A drone already in the air
 * (on patrol) goes straight to enroute. `refused`: the drone's own check said no (it never took
 * off). `aborted`: the mission ended abnormally (a fault, or the drone was lost). A recall, or a
 * battery that runs short, sends the drone to `returning` with a reason.
 */
export const MISSION_PHASES = ['pending', 'takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked', 'refused', 'aborted'] as const;
export type MissionPhase = (typeof MISSION_PHASES)[number];

/** The transition table: which phase may follow which. */
export const PHASE_TRANSITIONS: Record<MissionPhase, readonly MissionPhase[]> = {
  pending: ['takeoff', 'enroute', 'refused', 'aborted'],
  takeoff: ['enroute', 'returning', 'landing', 'aborted'],
  enroute: ['on-station', 'returning', 'aborted'],
  'on-station': ['returning', 'aborted'],
  returning: ['landing', 'aborted'],
  landing: ['docked', 'aborted'],
  docked: [],
  refused: [],
  aborted: [],
};

export const isTerminal = (p: MissionPhase) => PHASE_TRANSITIONS[p].length === 0;
export const canMove = (from: MissionPhase, to: MissionPhase) => PHASE_TRANSITIONS[from].includes(to);
/** The mission still holds the drone (in the air or about to be). */
export const isActive = (p: MissionPhase) => !isTerminal(p);

export interface LonLatPoint {
  lon: number;
  lat: number;
}

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Millis = Type.Integer({ minimum: 1_577_836_800_000, maximum: 4_102_444_800_000 });
const PointSchema = Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false });

/** What a person asks: send drone X to a point (or to a case, resolved by the server to its location). */
export const DispatchRequestSchema = Type.Object(
  {
    droneId: Id,
    target: Type.Optional(PointSchema),
    caseId: Type.Optional(Id),
    action: Type.Enum(MISSION_ACTIONS),
    loiterS: Type.Integer({ minimum: 10, maximum: 3600 }),
    altM: Type.Optional(Type.Number({ minimum: 10, maximum: 500 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type DispatchRequest = Static<typeof DispatchRequestSchema>;

export const RecallRequestSchema = Type.Object({ droneId: Id, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type RecallRequest = Static<typeof RecallRequestSchema>;

/** A mission as decided and logged, and as published to the drone (linkage/cmd/drone/<id>). */
export interface Mission {
  id: string;
  droneId: string;
  target: LonLatPoint;
  caseId?: string;
  action: MissionAction;
  loiterS: number;
  altM: number;
  note?: string;
  issuedAt: number;
  issuedBy: ActorRef;
}

/** Commands on linkage/cmd/drone/<droneId>. */
export type DroneCommand = ({ type: 'mission' } & Mission) | { type: 'recall'; droneId: string; missionId: string | null; at: number };

/** A report from the drone (its dock or gateway) on the 'drone-missions' uplink stream. */
export const MissionReportSchema = Type.Object(
  {
    droneId: Id,
    missionId: Id,
    ts: Millis,
    phase: Type.Enum(MISSION_PHASES),
    /** Why: refused / returning early / aborted ("battery", "recalled", ...), in words for people. */
    reason: Type.Optional(Type.String({ maxLength: 300 })),
    battery: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type MissionReport = Static<typeof MissionReportSchema>;

export interface PhaseStep {
  phase: MissionPhase;
  at: number;
  reason?: string;
}

/** A mission with its progress: what the flight log lists. */
export interface MissionState extends Mission {
  phase: MissionPhase;
  reason?: string;
  history: PhaseStep[];
  endedAt: number | null;
  recalledBy?: ActorRef;
}

/** The live view of one drone (snapshot and deltas). */
export interface DroneView {
  id: string;
  name: string;
  base: LonLatPoint;
  baseName: string;
  status: string;
  lon: number;
  lat: number;
  alt: number;
  heading: number;
  speed: number;
  battery: number;
  /** ts of the last telemetry record (0 before any). */
  reportedAt: number;
  mission: MissionState | null;
}

/** What the safety check needs to know about a drone now. */
export interface DroneNow {
  id: string;
  name: string;
  base: LonLatPoint;
  maxFlightMin: number;
  status: string; // online / offline / fault / alarm
  battery: number;
  lon: number;
  lat: number;
  alt: number;
  /** The mission it is flying, if any. */
  mission: Pick<MissionState, 'id' | 'phase'> | null;
}

export interface MissionPlan {
  target: LonLatPoint;
  action: MissionAction;
  loiterS: number;
  altM: number;
}

/** Battery drain per second of flight (percent): a full battery lasts maxFlightMin. */
export const drainPerS = (maxFlightMin: number) => 100 / (maxFlightMin * 60);

/**
 * Battery (percent, reserve included) a mission needs from where the drone is: climb if it is
 * low, fly to the target, loiter, fly home (from the orbit's far side for an orbit), descend.
 */
export function batteryNeeded(from: LonLatPoint & { alt: number }, base: LonLatPoint, maxFlightMin: number, plan: MissionPlan, f: FlightModel = DRONE_FLIGHT): number {
  const toTarget = distanceM([from.lon, from.lat], [plan.target.lon, plan.target.lat]);
  const home = distanceM([plan.target.lon, plan.target.lat], [base.lon, base.lat]) + (plan.action === 'orbit' ? f.orbitRadiusM : 0);
  const seconds = Math.max(0, plan.altM - from.alt) / f.climbMps + (toTarget + home) / f.cruiseMps + plan.loiterS + plan.altM / f.descendMps;
  return seconds * drainPerS(maxFlightMin) + f.reservePct;
}

/** Battery (percent, reserve included) the way home needs from a point in the air. */
export function batteryToReturn(at: LonLatPoint & { alt: number }, base: LonLatPoint, maxFlightMin: number, f: FlightModel = DRONE_FLIGHT): number {
  const seconds = distanceM([at.lon, at.lat], [base.lon, base.lat]) / f.cruiseMps + at.alt / f.descendMps;
  return seconds * drainPerS(maxFlightMin) + f.reservePct;
}

const km = (m: number) => (m / 1000).toFixed(1);

/**
 * Who may command drones: the district's dispatchers and duty leaders, and township duty leaders
 * (within their township, checked against the target by the caller). Operators, departments,
 * grid workers and display screens may not. Returns the reason, or null.
 */
export function commanderProblem(actor: Actor): string | null {
  if (actor.role === 'dispatcher' || actor.role === 'duty-leader' || actor.role === 'system') return null;
  if (actor.role === 'display') return '大屏账号只能查看，不能指挥无人机';
  return `只有值班领导和区指挥中心调度员可以指挥无人机（当前身份：${actor.role}）`;
}

/** A township duty leader commands only over their own township. */
export const commandsEverywhere = (actor: Actor) => actor.role === 'system' || actor.org === DISTRICT_CODE;

/**
 * Why this mission must not fly, in words for the duty cadre, or null when it may. Re-tasking
 * is not allowed: a drone flying a mission must be recalled (and land) before it takes another,
 * so every mission is checked from the dock with a known battery. A patrol flight is pre-empted.
 */
export function missionProblem(drone: DroneNow, plan: MissionPlan, limits: MissionLimits, f: FlightModel = DRONE_FLIGHT): string | null {
  if (drone.status === 'offline') return `${drone.name}离线，无法派遣`;
  if (drone.status === 'fault') return `${drone.name}故障，无法派遣`;
  if (drone.mission && isActive(drone.mission.phase)) return `${drone.name}正在执行任务 ${drone.mission.id}（${drone.mission.phase}），请先召回并等待降落`;
  const [w, s, e, n] = limits.bbox;
  const { lon, lat } = plan.target;
  if (lon < w || lon > e || lat < s || lat > n) return '目标点在本区范围之外';
  if (plan.altM < limits.minAltM || plan.altM > limits.maxAltM) return `飞行高度须在 ${limits.minAltM}–${limits.maxAltM} 米之间`;
  if (plan.loiterS > limits.maxLoiterS) return `留空时间最长 ${limits.maxLoiterS} 秒`;
  const fromBase = distanceM([drone.base.lon, drone.base.lat], [lon, lat]);
  if (fromBase > limits.maxRangeM) return `目标距机场 ${km(fromBase)} 公里，超出 ${km(limits.maxRangeM)} 公里的作业半径`;
  const need = batteryNeeded(drone, drone.base, drone.maxFlightMin, plan, f);
  if (drone.battery < need) return `电量不足：往返及留空需 ${Math.ceil(need)}%（含 ${f.reservePct}% 余量），当前 ${Math.floor(drone.battery)}%`;
  return null;
}

/** Applies a report to a mission; the problem when the report does not fit (wrong drone, illegal step). */
export function applyReport(m: MissionState, r: MissionReport): { ok: true; next: MissionState; changed: boolean } | { ok: false; message: string } {
  if (r.droneId !== m.droneId) return { ok: false, message: `mission ${m.id} belongs to ${m.droneId}, not ${r.droneId}` };
  // A resent report (QoS 1 delivers at least once): already applied.
  if (r.phase === m.phase || m.history.some((h) => h.phase === r.phase)) return { ok: true, next: m, changed: false };
  if (!canMove(m.phase, r.phase)) return { ok: false, message: `mission ${m.id} cannot go from ${m.phase} to ${r.phase}` };
  const step: PhaseStep = { phase: r.phase, at: r.ts, ...(r.reason ? { reason: r.reason } : {}) };
  const next: MissionState = { ...m, phase: r.phase, history: [...m.history, step], endedAt: isTerminal(r.phase) ? r.ts : null };
  if (r.reason) next.reason = r.reason;
  return { ok: true, next, changed: true };
}
