// Drones and their missions as the API answers them (core/drones.ts).
import { Type } from 'typebox';
import { MISSION_ACTIONS, MISSION_PHASES, type DroneView, type MissionState } from '../../core/drones.ts';
import { ActorRefSchema } from './cases.ts';
import { exactly, Nullable } from './exact.ts';

const N = Type.Number();
const Point = Type.Object({ lon: N, lat: N });
const Phase = Type.Enum(MISSION_PHASES);

export const MissionSchema = exactly<MissionState>()(Type.Object({
  id: Type.String(), droneId: Type.String(), target: Point, caseId: Type.Optional(Type.String()), action: Type.Enum(MISSION_ACTIONS),
  loiterS: N, altM: N, note: Type.Optional(Type.String()), issuedAt: N, issuedBy: ActorRefSchema,
  phase: Phase, reason: Type.Optional(Type.String()),
  history: Type.Array(Type.Object({ phase: Phase, at: N, reason: Type.Optional(Type.String()) })),
  endedAt: Nullable(N), recalledBy: Type.Optional(ActorRefSchema),
}, { description: 'a mission as sent, with its progress' }));

const view = {
  id: Type.String(), name: Type.String(), base: Point, baseName: Type.String(), status: Type.String(),
  lon: N, lat: N, alt: N, heading: N, speed: N, battery: N,
  reportedAt: Type.Number({ description: 'ts of the last telemetry record (0 before any)' }), mission: Nullable(MissionSchema),
};
export const DroneViewSchema = exactly<DroneView>()(Type.Object(view));

/** GET /api/drones: each drone's live view and its recent track (lon, lat pairs). */
export const DroneWithTrackSchema = exactly<DroneView & { track: [number, number][] }>()(Type.Object({
  ...view, track: Type.Array(Type.Tuple([N, N]), { description: 'recent positions, lon, lat' }),
}, { description: 'a drone: telemetry, current mission and track' }));
