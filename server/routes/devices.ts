// Bounded context: devices in detail — one device's dataset entry, live status, and for a sensor
// its recent readings and the rule that applies, for a grid worker the patrol track of the current
// shift; and the patrol coverage of every grid in the current shift.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { DEVICE_KINDS, statusName, type Clock, type DeviceKind } from '../../core/domain.ts';
import { coverage, gridCells, type GridCells } from '../../core/patrol.ts';
import { shiftAt } from '../../core/shifts.ts';
import type { BroadcastPoint, LonLat, LookoutDevice } from '../../core/dataset.ts';
import type { DeviceInfo } from '../district.ts';
import { placeInScope } from '../../core/org.ts';
import { SENSOR_METRICS } from '../../core/sensor-rules.ts';
import { FAILURES, sendFailure } from '../http-errors.ts';
import { CoverageSchema, DeviceDetailSchema, type DeviceDetail, type GridCoverage } from '../schemas/devices.ts';

const Params = Type.Object({ kind: Type.Enum(DEVICE_KINDS), id: Type.String({ minLength: 1, maxLength: 64 }) });
/** The reader's area (a grid worker is shown only inside it). */
const Scope = Type.Object({ scope: Type.Optional(Type.String({ description: 'district, township or community code (default: the district, or the account\'s area)' })) });

type Coverage = GridCoverage & { workerIndex: number | undefined };

export const deviceRoutes: FastifyPluginAsync<{ clock: Clock }> = async (app, opts) => {
  const tags = ['devices'];
  const { district } = app.projector;

  app.get<{ Params: { kind: DeviceKind; id: string } }>(
    '/devices/:kind/:id',
    // Devices are district infrastructure; a grid worker is a person, seen only inside the reader's area.
    { config: { read: 'area' }, schema: { summary: 'A device: dataset entry, status, recent readings and rule (sensors), patrol track (grid workers)', tags, params: Params, querystring: Scope, response: { 200: DeviceDetailSchema, ...FAILURES } } },
    async (req, reply) => {
      const { projector } = app;
      const { kind, id } = req.params;
      const index = projector.devices.indexOf(kind, id);
      // A worker outside the reader's area answers as if unknown: where a person is, is personal information.
      const hidden = kind === 'worker' && index !== undefined && !workerIn(req.area, index);
      if (index === undefined || hidden) return sendFailure(reply, 'NOT_FOUND', `no ${kind} with id "${id}" in ${hidden ? 'your area' : 'the district dataset'}`);
      const now = opts.clock.now();
      const info = currentInfo(kind, index);
      if (!info) return sendFailure(reply, 'NOT_FOUND', `no ${kind} with id "${id}" in the district dataset`);
      const body: DeviceDetail = { kind, id, index, info, status: statusName(projector.devices.status[kind][index]) };
      if (kind === 'component') {
        const metric = SENSOR_METRICS.find((m) => m === projector.sensors.metricOf(index));
        if (metric && 'sensorized' in info && info.sensorized) body.sensor = { metric, rule: projector.sensors.ruleOf(index), raised: projector.sensors.raised[index] === 1, readings: projector.sensors.readings(index) };
      }
      if (kind === 'worker') {
        const shift = shiftAt(now, projector.settings.shifts);
        body.shift = shift;
        body.track = projector.tracks.track(index, now);
        body.lonlat = [projector.devices.lonlat.worker[index * 2], projector.devices.lonlat.worker[index * 2 + 1]];
      }
      return body;
    },
  );

  /** The dataset entry with what the registry changed since (a provisioned device has no dataset entry: defaults fill in). */
  const currentInfo = (kind: DeviceKind, index: number): DeviceInfo | undefined => {
    const base = district.deviceInfo(kind, index);
    if (kind !== 'camera' && kind !== 'lookout' && kind !== 'broadcast') return base;
    const r = app.projector.registry.at(kind, index);
    if (!r) return base;
    const { gridIndex, townshipCode } = district.resolvePlace(r.lon, r.lat);
    const now = { id: r.id, name: r.name, lon: r.lon, lat: r.lat, gridIndex, townshipCode };
    if (kind === 'camera') return { ...now, ai: r.ai };
    if (kind === 'lookout') return { heading: 0, fov: 60, rangeM: 500, heightM: 20, ...(base as LookoutDevice | undefined), ...now };
    return { speakers: 1, ...(base as BroadcastPoint | undefined), ...now };
  };

  const workerIn = (area: string, index: number) => {
    const place = district.workerPlace(index);
    return place !== undefined && placeInScope(area, place);
  };

  // Grid cells are fixed by the dataset: cut once, on first use.
  let cells: (GridCells | null)[] | null = null;
  let cached: { at: number; grids: Coverage[]; shift: { start: number; end: number } } | null = null;
  app.get('/workers/coverage', { config: { read: 'area' }, schema: { summary: "Patrol coverage (0..1) of each grid of the reader's area by its worker in the current shift", tags, querystring: Scope, response: { 200: CoverageSchema, ...FAILURES } } }, async (req) => {
    const { projector } = app;
    const now = opts.clock.now();
    const mine = (all: Coverage[]) => all.filter((c) => c.workerIndex !== undefined && workerIn(req.area, c.workerIndex)).map(({ workerIndex: _w, ...c }) => c);
    // Tracks gain a point per worker every 30 s: a few seconds of caching costs nothing.
    if (cached && now - cached.at < 5_000) return { shift: cached.shift, grids: mine(cached.grids) };
    cells ??= Array.from({ length: district.gridCount }, (_, g) => {
      const geom = district.gridGeometry(g);
      return geom ? gridCells(geom, 100) : null;
    });
    const workerIndex = district.index.worker;
    const grids: Coverage[] = [];
    for (let g = 0; g < district.gridCount; g++) {
      const grid = district.grid(g);
      const c = cells[g];
      if (!grid || !c) continue;
      const w = workerIndex.get(grid.workerId);
      const points: LonLat[] = w === undefined ? [] : projector.tracks.track(w, now).map((p) => [p.lon, p.lat]);
      grids.push({ index: g, code: grid.code, workerId: grid.workerId, workerIndex: w, coverage: Math.round(coverage(c, points) * 1000) / 1000, points: points.length });
    }
    cached = { at: now, shift: shiftAt(now, projector.settings.shifts), grids };
    return { shift: cached.shift, grids: mine(grids) };
  });
};
