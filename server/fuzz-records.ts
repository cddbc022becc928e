// Ingest records for the fuzz tests: the shape of each record stream as documented
// (core/protocol.ts, core/cases/schemas.ts), valid records built from the test district's real ids
// (with hostile but allowed text), records that pass the schema but name something unknown, and
// batches mixing them, with the check that a rejection names what was done to its record.
import fc from 'fast-check';
import { expect } from 'vitest';
import { CASE_SOURCES, URGENCIES } from '../core/cases/model.ts';
import { DEVICE_KINDS, DEVICE_STATUSES } from '../core/domain.ts';
import { EVENT_CLASSES } from '../core/taxonomy.ts';
import { ROLES } from '../core/org.ts';
import { applyMutation, effective, expectCodedError, f, hostileString, mutation, pointer, type Mutation, type Shape } from './fuzz-support.ts';
import { smallDistrict } from './test-support.ts';

export const NOW = Date.now();
export const CLASSES = EVENT_CLASSES.map((c) => c.code);
const district = smallDistrict();
/** Every device of the test district as [kind, id]. */
export const DEVICES: Array<[string, string]> = DEVICE_KINDS.flatMap((kind) => [...district.index[kind].keys()].map((id): [string, string] => [kind, id]));
export const CAMERAS = DEVICES.filter(([k]) => k === 'camera').map(([, id]) => id);

// ---- shapes (the documented contract) ------------------------------------------------------------

export const ACTOR: Shape = { id: f.str(1, 64), name: f.str(1, 64), role: f.oneOf(ROLES), org: f.str(1, 32) };

export const DEVICE_RECORD: Shape = {
  kind: f.oneOf(DEVICE_KINDS), id: f.id(), ts: f.millis(), status: f.oneOf(DEVICE_STATUSES, true),
  lon: f.num(-180, 180, true), lat: f.num(-90, 90, true), alt: f.num(-100, 10_000, true), heading: f.num(0, 360, true),
  speed: f.num(0, 500, true), battery: f.num(0, 100, true), metric: f.str(1, 32, true), value: f.num(-Infinity, Infinity, true),
};
export const VIDEO_EVENT: Shape = { id: f.id(), cameraId: f.id(), ts: f.millis(), eventClass: f.code4(), confidence: f.num(0, 1), note: f.str(0, 500, true) };
export const CASE_REPORT: Shape = {
  id: f.id(), source: f.oneOf(CASE_SOURCES), eventClass: f.code4(), title: f.str(1, 200), description: f.str(0, 4000, true), urgency: f.oneOf(URGENCIES),
  lon: f.num(-180, 180), lat: f.num(-90, 90), reportedAt: f.millis(), reporter: f.str(1, 64, true), hotlineOrderNo: f.str(1, 40, true),
};

// ---- valid values ------------------------------------------------------------------------------

/** Text the schema allows (1..max code points) but a careless renderer or query would not: HTML, SQL, RTL, zero-width, emoji, lone surrogates. */
export const validText = (min: number, max: number) =>
  fc.oneof(hostileString(max), fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 60) })).filter((s) => s.length >= min && s.length <= max);
export const inDistrict = { lon: fc.double({ min: 117.0, max: 117.099, noNaN: true }), lat: fc.double({ min: 30.41, max: 30.59, noNaN: true }) };
export const recent = fc.integer({ min: 0, max: 3_600_000 }).map((d) => NOW - d);
/** Replaced per request by a unique id, so no record collides with an earlier one. */
export const FRESH = 'FRESH-ID';

export const validDevice = fc
  .record(
    { device: fc.constantFrom(...DEVICES), ts: recent, status: fc.constantFrom(...DEVICE_STATUSES), lon: inDistrict.lon, lat: inDistrict.lat, battery: fc.double({ min: 0, max: 100, noNaN: true }), heading: fc.integer({ min: 0, max: 360 }) },
    { requiredKeys: ['device', 'ts'] },
  )
  .map(({ device: [kind, id], ...rest }) => ({ kind, id, ...rest }));

export const validVideo = fc.record(
  { id: fc.constant(FRESH), cameraId: fc.constantFrom(...CAMERAS), ts: recent, eventClass: fc.constantFrom(...CLASSES), confidence: fc.double({ min: 0, max: 0.85, noNaN: true }), note: validText(0, 500) },
  { requiredKeys: ['id', 'cameraId', 'ts', 'eventClass', 'confidence'] },
);

export const validCase = fc
  .record(
    {
      id: fc.constant(FRESH), source: fc.constantFrom('patrol', 'citizen', 'city-brain', 'hotline-12345', 'hotline-12319'), eventClass: fc.constantFrom(...CLASSES),
      title: validText(1, 200), description: validText(0, 4000), urgency: fc.constantFrom(...URGENCIES), lon: inDistrict.lon, lat: inDistrict.lat, reportedAt: recent,
      reporter: validText(1, 64), hotlineOrderNo: fc.stringMatching(/^[0-9A-Z-]{1,40}$/),
    },
    { requiredKeys: ['id', 'source', 'eventClass', 'title', 'urgency', 'lon', 'lat', 'reportedAt'] },
  )
  .map((r) => {
    // A hotline order carries its order number; nothing else does.
    const hotline = r.source.startsWith('hotline');
    const { hotlineOrderNo, ...rest } = r;
    return hotline ? { ...rest, hotlineOrderNo: hotlineOrderNo ?? 'HL-1' } : rest;
  });

/** Records that pass the schema but name something that does not exist or is not allowed here. */
export interface Semantic { patch: Record<string, unknown>; field: string; code: string }
export const deviceSemantic: fc.Arbitrary<Semantic> = fc.oneof(
  fc.constantFrom('CAM-99999', 'UAV-2', 'X', 'cam-00001', 'LK-01').map((id) => ({ patch: { id }, field: '/id', code: 'UNKNOWN_DEVICE' })),
  // A real id under the wrong kind.
  fc.constantFrom(...DEVICES).chain(([kind, id]) => fc.constantFrom(...DEVICE_KINDS.filter((k) => k !== kind)).map((k) => ({ patch: { kind: k, id }, field: '/id', code: 'UNKNOWN_DEVICE' }))),
);
export const videoSemantic: fc.Arbitrary<Semantic> = fc.oneof(
  fc.constantFrom('CAM-99999', 'UAV-1', 'LK-1', 'BC-0001').map((cameraId) => ({ patch: { cameraId }, field: '/cameraId', code: 'UNKNOWN_DEVICE' })),
  fc.constantFrom('0000', '9999', '0100', '1234').map((eventClass) => ({ patch: { eventClass }, field: '/eventClass', code: 'UNKNOWN_CLASS' })),
);
export const caseSemantic: fc.Arbitrary<Semantic> = fc.oneof(
  fc.constantFrom('video-ai', 'sensor').map((source) => ({ patch: { source, hotlineOrderNo: undefined }, field: '/source', code: 'INVALID_RECORD' })),
  fc.constantFrom('0000', '9999').map((eventClass) => ({ patch: { eventClass }, field: '/eventClass', code: 'UNKNOWN_CLASS' })),
  fc.constant({ patch: { source: 'hotline-12345', hotlineOrderNo: undefined }, field: '/hotlineOrderNo', code: 'INVALID_RECORD' }),
  fc.constant({ patch: { source: 'citizen', hotlineOrderNo: 'HL-9' }, field: '/hotlineOrderNo', code: 'INVALID_RECORD' }),
);

// ---- batches -------------------------------------------------------------------------------------

export type Item =
  | { ok: true; record: Record<string, unknown> }
  | { ok: false; record: unknown; mutation?: Mutation; semantic?: Semantic };

export function items(valid: fc.Arbitrary<Record<string, unknown>>, shape: Shape, semantic: fc.Arbitrary<Semantic>, proto: boolean): fc.Arbitrary<Item> {
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((record): Item => ({ ok: true, record })) },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, mutation(shape, { proto })).filter(([v, m]) => effective(v, m)).map(([v, m]): Item => ({ ok: false, record: applyMutation(v, m), mutation: m })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, semantic).map(([v, s]): Item => {
        const record: Record<string, unknown> = { ...v, ...s.patch };
        for (const k of Object.keys(record)) if (record[k] === undefined) delete record[k];
        return { ok: false, record, semantic: s };
      }),
    },
  );
}

let serial = 0;
/** A fresh number for ids no earlier request used. */
export const nextSerial = () => ++serial;
/** Gives every FRESH id a unique value (records and the expectations keep the same object). */
export function stamp(batch: Item[]): void {
  for (const it of batch) {
    const r = it.record as Record<string, unknown> | null;
    if (r && typeof r === 'object' && !Array.isArray(r) && r.id === FRESH) r.id = `FZ-${(++serial).toString(36)}`;
  }
}

/** Checks one record rejection against what was done to the record. */
export function checkRejection(rej: { index: number; field: unknown; code: unknown; message: unknown }, item: Item, context: string): void {
  expectCodedError(rej, context);
  expect(typeof rej.field, context).toBe('string');
  if (item.ok) throw new Error(`${context}: a valid record was rejected: ${JSON.stringify(rej)}`);
  if (item.semantic) {
    expect([rej.field, rej.code], context).toEqual([item.semantic.field, item.semantic.code]);
    return;
  }
  const m = item.mutation!;
  expect(rej.code, context).toBe('INVALID_RECORD');
  if (m.op === 'replace') expect(rej.field, context).toBe('');
  else if (m.op === 'drop') {
    expect([pointer(m.path), pointer(m.path.slice(0, -1))], context).toContain(rej.field);
    expect(String(rej.message), context).toContain(m.path[m.path.length - 1]);
  } else expect(rej.field, context).toBe(pointer(m.path));
}

/** JSON as the server sees it (-0 becomes 0, undefined keys vanish). */
export const wire = (v: unknown) => JSON.stringify(JSON.parse(JSON.stringify(v)));
