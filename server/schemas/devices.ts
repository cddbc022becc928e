// One device in detail and the patrol coverage, as the API answers them (server/routes/devices.ts).
// No core interface describes these answers: the schemas are their types (DeviceDetail, GridCoverage).
import { Type, type Static } from 'typebox';
import { DEVICE_KINDS, DEVICE_STATUSES } from '../../core/domain.ts';
import { SENSOR_METRICS, SensorRuleSchema } from '../../core/sensor-rules.ts';
import type { DeviceInfo } from '../district.ts';
import { exactly, Nullable } from './exact.ts';

const N = Type.Number();
const S = Type.String();
const LonLat = Type.Tuple([N, N]);
const placed = { id: S, name: S, lon: N, lat: N, gridIndex: Type.Number({ description: '-1 outside every grid' }), townshipCode: S };

const InfoSchema = exactly<DeviceInfo>()(Type.Union([
  Type.Object({ ...placed, ai: Type.Boolean() }, { title: 'camera' }),
  Type.Object({ ...placed, heading: N, fov: N, rangeM: N, heightM: N }, { title: 'lookout' }),
  Type.Object({ ...placed, base: S, patrol: Type.Array(LonLat), maxFlightMin: N }, { title: 'drone' }),
  Type.Object({ ...placed, speakers: N }, { title: 'broadcast' }),
  Type.Object({ ...placed, role: Type.Enum(['worker', 'leader'] as const), communityCode: S, phone: Type.String({ description: 'the mobile number the center calls them on' }) }, { title: 'worker' }),
  Type.Object({ id: S, classCode: S, lon: N, lat: N, gridIndex: N, townshipCode: S, sensorized: Type.Boolean() }, { title: 'component' }),
], { description: 'the dataset entry of the device' }));

const Shift = Type.Object({ start: N, end: N }, { description: 'the current shift, UTC ms' });

export const DeviceDetailSchema = Type.Object({
  kind: Type.Enum(DEVICE_KINDS), id: S, index: Type.Number({ description: 'position in its layer' }), info: InfoSchema, status: Type.Enum(DEVICE_STATUSES),
  sensor: Type.Optional(Type.Object({
    metric: Type.Enum(SENSOR_METRICS), rule: Nullable(SensorRuleSchema), raised: Type.Boolean(),
    readings: Type.Array(Type.Object({ ts: N, value: N })),
  }, { description: 'a sensorized component: its metric, rule, whether raised, recent readings' })),
  shift: Type.Optional(Shift),
  track: Type.Optional(Type.Array(Type.Object({ ts: N, lon: N, lat: N }), { description: 'a grid worker: the patrol track of the current shift' })),
  lonlat: Type.Optional(LonLat),
});
export type DeviceDetail = Static<typeof DeviceDetailSchema>;

export const GridCoverageSchema = Type.Object({ index: N, code: S, workerId: S, coverage: Type.Number({ description: '0..1' }), points: N });
export type GridCoverage = Static<typeof GridCoverageSchema>;
export const CoverageSchema = Type.Object({ shift: Shift, grids: Type.Array(GridCoverageSchema) });
