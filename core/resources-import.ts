// Import of a center's own emergency resources (CSV or GeoJSON points, WGS84): every row read on its
// own — a bad row is reported with its row, column and reason and costs only itself — and compared
// with what the center has, so a dry run lists what would be added or changed, and importing the
// same file again changes nothing. Pure: the caller applies the changes.
import { Compile } from 'typebox/compile';
import type { BBox } from './dataset.ts';
import { levelOfCode } from './org.ts';
import { toWgs84, type LedgerCrs } from './ledger.ts';
import { explained, why, type ImportWhy } from './import-why.ts';
import { EmergencyResourceSchema, kindOfId, RESOURCE_KINDS, TEAM_SPECIALTIES, type EmergencyResource, type ResourceKind, type StockItem } from './resources.ts';

export const IMPORT_FORMATS = ['csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The CSV header (GeoJSON properties use the same names; lon/lat come from the Point). */
export const CSV_COLUMNS = ['id', 'kind', 'name', 'lon', 'lat', 'township', 'address', 'phone', 'capacity', 'area_m2', 'members', 'specialty', 'equipment', 'beds', 'stock'] as const;
const REQUIRED = ['id', 'kind', 'name', 'lon', 'lat', 'township', 'phone'] as const;

export interface RowError {
  /** 1-based: the CSV line (the header is line 1) or the GeoJSON feature's position + 1. */
  row: number;
  column: string;
  /** In English; `why` is the same as a key with values, for a screen to say in its language. */
  reason: string;
  why: ImportWhy;
}

export interface RowChange {
  row: number;
  id: string;
  name: string;
  /** The fields that differ from what the center has (empty for a new resource). */
  fields: string[];
}

export interface ImportPlan {
  rows: number;
  added: RowChange[];
  changed: RowChange[];
  unchanged: number;
  errors: RowError[];
  /** The resources to store, whole: the added and the changed rows. */
  apply: EmergencyResource[];
}

const check = Compile(EmergencyResourceSchema);

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

type Raw = Record<string, unknown>;

/** The rows of a file as column → value, with their row numbers; or one error for the whole file. */
export function readRows(format: ImportFormat, text: string): { rows: { row: number; raw: Raw }[] } | { fileError: string } {
  if (format === 'csv') {
    const lines = parseCsv(text);
    if (lines.length === 0) return { fileError: 'the file is empty' };
    const header = lines[0].map((h) => h.trim().toLowerCase());
    const missing = REQUIRED.filter((c) => !header.includes(c));
    if (missing.length) return { fileError: `the header lacks the column(s) ${missing.join(', ')} (columns: ${CSV_COLUMNS.join(',')})` };
    const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
    if (unknown.length) return { fileError: `unknown column(s) ${unknown.join(', ')} (columns: ${CSV_COLUMNS.join(',')})` };
    return { rows: lines.slice(1).map((cells, k) => ({ row: k + 2, raw: Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()])) })) };
  }
  let fc: unknown;
  try {
    fc = JSON.parse(text);
  } catch (e) {
    return { fileError: `not valid JSON: ${(e as Error).message}` };
  }
  const features = (fc as { type?: unknown; features?: unknown })?.type === 'FeatureCollection' ? (fc as { features: unknown }).features : null;
  if (!Array.isArray(features)) return { fileError: 'expected a GeoJSON FeatureCollection' };
  return {
    rows: features.map((f, k) => {
      const props = (f as { properties?: unknown })?.properties;
      const geom = (f as { geometry?: { type?: unknown; coordinates?: unknown } })?.geometry;
      const point = geom?.type === 'Point' && Array.isArray(geom.coordinates) ? geom.coordinates : null;
      const raw: Raw = { ...(props && typeof props === 'object' ? (props as Raw) : {}) };
      raw.lon = point ? point[0] : '';
      raw.lat = point ? point[1] : '';
      if (!point) raw.__geometry = 'not a Point';
      return { row: k + 1, raw };
    }),
  };
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

/** How a file is read: its coordinate system, and where the district's townships are. */
export interface ImportOptions {
  /** The file's coordinate system (default WGS84); positions are stored in WGS84. */
  crs?: LedgerCrs;
  /** The township whose grids hold a point ('' outside every grid): a shelter's or depot's declared township must hold it. */
  townshipAt?: (lon: number, lat: number) => string;
}

/** Kinds that belong to one township (core/resources.ts resourceInArea): their point must lie in it. */
const TOWNSHIP_KINDS: readonly ResourceKind[] = ['shelter', 'depot'];

/** One row to a resource, or the first thing wrong with it (its column and why). */
export function rowToResource(raw: Raw, bbox: BBox, opts: ImportOptions = {}): EmergencyResource | Omit<RowError, 'row'> {
  const bad = (column: string, w: ImportWhy) => ({ column, ...explained(w) });
  if (raw.__geometry) return bad('geometry', why('notPoint'));
  for (const c of REQUIRED) if (text(raw[c]) === '') return bad(c, why('missing'));
  const kind = text(raw.kind) as ResourceKind;
  if (!RESOURCE_KINDS.includes(kind)) return bad('kind', why('notOneOf', { value: text(raw.kind), allowed: RESOURCE_KINDS.join(', ') }));
  const id = text(raw.id);
  if (kindOfId(id) !== kind) return bad('id', why('idPrefix', { id }));
  const num = (c: string) => (typeof raw[c] === 'number' ? (raw[c] as number) : Number(text(raw[c])));
  const fileLon = num('lon');
  const fileLat = num('lat');
  if (!Number.isFinite(fileLon)) return bad('lon', why('notNumber', { value: text(raw.lon) }));
  if (!Number.isFinite(fileLat)) return bad('lat', why('notNumber', { value: text(raw.lat) }));
  const crs = opts.crs ?? 'WGS84';
  const [lon, lat] = crs === 'WGS84' ? [fileLon, fileLat] : toWgs84(fileLon, fileLat, crs);
  if (lon < bbox[0] || lon > bbox[2] || lat < bbox[1] || lat > bbox[3]) return bad('lon', why('outsideDistrictAs', { lon: fileLon, lat: fileLat, crs }));
  const township = text(raw.township);
  if (levelOfCode(township) !== 'township') return bad('township', why('notTownshipCode', { value: township }));
  if (opts.townshipAt && TOWNSHIP_KINDS.includes(kind)) {
    const at = opts.townshipAt(lon, lat);
    if (at !== township) return bad('township', at ? why('townshipOther', { there: at, named: township }) : why('townshipNone', { named: township }));
  }
  const r: EmergencyResource = { id, kind, name: text(raw.name), lon, lat, townshipCode: township, address: text(raw.address), phone: text(raw.phone) };
  for (const [c, key] of [['capacity', 'capacity'], ['area_m2', 'areaM2'], ['members', 'members'], ['beds', 'beds']] as const) {
    if (text(raw[c]) === '') continue;
    const n = num(c);
    if (!Number.isInteger(n) || n < 1) return bad(c, why('notPositiveInt', { value: text(raw[c]) }));
    r[key] = n;
  }
  const specialty = text(raw.specialty);
  if (specialty !== '') {
    if (!(TEAM_SPECIALTIES as readonly string[]).includes(specialty)) return bad('specialty', why('notOneOf', { value: specialty, allowed: TEAM_SPECIALTIES.join(', ') }));
    r.specialty = specialty as EmergencyResource['specialty'];
  }
  const equipment = Array.isArray(raw.equipment) ? raw.equipment.map(text) : text(raw.equipment).split(/[;；、]/).map((s) => s.trim());
  if (equipment.some((e) => e !== '')) r.equipment = equipment.filter((e) => e !== '');
  const stock = parseStock(raw.stock);
  if (typeof stock === 'string') return bad('stock', why('notStock', { value: stock }));
  if (stock.length) r.stock = stock;
  if (!check.Check(r)) {
    const e = [...check.Errors(r)][0] as { instancePath: string; message: string };
    const field = e.instancePath.split('/')[1] ?? '';
    const column = { townshipCode: 'township', areaM2: 'area_m2' }[field] ?? field;
    return bad(column || 'row', why('refused', { message: e.message }));
  }
  return r;
}

/** "帐篷:120:顶; 棉被:300:床" (CSV) or [{item, quantity, unit}] (GeoJSON); else the part that is not. */
function parseStock(v: unknown): StockItem[] | string {
  if (Array.isArray(v)) return v as StockItem[];
  const parts = text(v).split(/[;；]/).map((s) => s.trim()).filter(Boolean);
  const out: StockItem[] = [];
  for (const p of parts) {
    const [item, q, unit] = p.split(/[:：]/).map((s) => s.trim());
    const quantity = Number(q);
    if (!item || !unit || !Number.isInteger(quantity) || quantity < 0) return p;
    out.push({ item, quantity, unit });
  }
  return out;
}

const FIELDS: (keyof EmergencyResource)[] = ['kind', 'name', 'lon', 'lat', 'townshipCode', 'address', 'phone', 'capacity', 'areaM2', 'members', 'specialty', 'equipment', 'beds', 'stock'];

/** What an import of these rows would do to the center's resources (`current`, looked up by id). */
export function planImport(format: ImportFormat, fileText: string, current: (id: string) => EmergencyResource | undefined, bbox: BBox, opts: ImportOptions = {}): ImportPlan | { fileError: string } {
  const read = readRows(format, fileText);
  if ('fileError' in read) return read;
  const plan: ImportPlan = { rows: read.rows.length, added: [], changed: [], unchanged: 0, errors: [], apply: [] };
  const seen = new Map<string, number>();
  for (const { row, raw } of read.rows) {
    const r = rowToResource(raw, bbox, opts);
    if ('reason' in r) {
      plan.errors.push({ row, ...r });
      continue;
    }
    const first = seen.get(r.id);
    if (first !== undefined) {
      plan.errors.push({ row, column: 'id', ...explained(why('appearsAlready', { id: r.id, row: first })) });
      continue;
    }
    seen.set(r.id, row);
    const had = current(r.id);
    if (!had) {
      plan.added.push({ row, id: r.id, name: r.name, fields: [] });
      plan.apply.push(r);
      continue;
    }
    const fields = FIELDS.filter((f) => JSON.stringify(had[f]) !== JSON.stringify(r[f]));
    if (fields.length === 0) plan.unchanged++;
    else {
      plan.changed.push({ row, id: r.id, name: r.name, fields });
      plan.apply.push(r);
    }
  }
  return plan;
}
