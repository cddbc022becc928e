// Bounded context: devices in detail — one device's dataset entry, live status, and for a sensor
// its recent readings and the rule that applies, for a grid worker the patrol track of the current
// shift; and the patrol coverage of every grid in the current shift.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { DEVICE_KINDS, statusName, type Clock, type DeviceKind } from '../../core/domain.ts';
import { coverage, gridCells, type GridCells } from '../../core/patrol.ts';
import { shiftAt } from '../../core/shifts.ts';
import type { LonLat } from '../../core/dataset.ts';

const Params = Type.Object({ kind: Type.Enum(DEVICE_KINDS), id: Type.String({ minLength: 1, maxLength: 64 }) });

export const deviceRoutes: FastifyPluginAsync<{ clock: Clock }> = async (app, opts) => {
  const tags = ['devices'];
  const { district } = app.projector;

  app.get<{ Params: { kind: DeviceKind; id: string } }>(
    '/devices/:kind/:id',
    { schema: { summary: 'A device: dataset entry, status, recent readings and rule (sensors), patrol track (grid workers)', tags, params: Params } },
    async (req, reply) => {
      const { projector } = app;
      const { kind, id } = req.params;
      const index = projector.devices.indexOf(kind, id);
      if (index === undefined) return reply.code(404).send({ ok: false, code: 'NOT_FOUND', message: `no ${kind} with id "${id}" in the district dataset` });
      const now = opts.clock.now();
      const body: Record<string, unknown> = { kind, id, index, info: district.deviceInfo(kind, index), status: statusName(projector.devices.status[kind][index]) };
      if (kind === 'component') {
        const metric = projector.sensors.metricOf(index);
        const sensorized = (body.info as { sensorized?: boolean }).sensorized === true;
        if (metric && sensorized) body.sensor = { metric, rule: projector.sensors.ruleOf(index), raised: projector.sensors.raised[index] === 1, readings: projector.sensors.readings(index) };
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

  // Grid cells are fixed by the dataset: cut once, on first use.
  let cells: (GridCells | null)[] | null = null;
  let cached: { at: number; body: unknown } | null = null;
  app.get('/workers/coverage', { schema: { summary: 'Patrol coverage (0..1) of each grid by its worker in the current shift', tags } }, async () => {
    const { projector } = app;
    const now = opts.clock.now();
    // Tracks gain a point per worker every 30 s: a few seconds of caching costs nothing.
    if (cached && now - cached.at < 5_000) return cached.body;
    cells ??= Array.from({ length: district.gridCount }, (_, g) => {
      const geom = district.gridGeometry(g);
      return geom ? gridCells(geom, 100) : null;
    });
    const workerIndex = district.index.worker;
    const grids = [];
    for (let g = 0; g < district.gridCount; g++) {
      const grid = district.grid(g);
      const c = cells[g];
      if (!grid || !c) continue;
      const w = workerIndex.get(grid.workerId);
      const points: LonLat[] = w === undefined ? [] : projector.tracks.track(w, now).map((p) => [p.lon, p.lat]);
      grids.push({ index: g, code: grid.code, workerId: grid.workerId, coverage: Math.round(coverage(c, points) * 1000) / 1000, points: points.length });
    }
    const body = { shift: shiftAt(now, projector.settings.shifts), grids };
    cached = { at: now, body };
    return body;
  });
};
