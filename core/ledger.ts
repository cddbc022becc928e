// Device ledgers (设备台账) as a center keeps them: a table (CSV or a spreadsheet's first sheet) with
// Chinese headers, coordinates in the system its map vendor uses. Pure: the table in, per row either
// the registry event it would make (new / updated / unchanged, and retired-if-asked for devices the
// ledger no longer lists) or the problem (row, column, reason). One bad row costs only itself.
import gcoord from 'gcoord';
import { REGISTRY_ERRORS, decideProvision, decideRetire, decideUpdate, type DeviceChanges, type DeviceSpec, type RegisteredDevice, type RegistryEvent, type RegistryKind, type RegistryOrigin, type RegistryView } from './registry.ts';
import { componentCodeWhy, parseGb28181 } from './device-codes.ts';
import { explained, why, type ImportWhy } from './import-why.ts';

export const LEDGER_FIELDS = ['id', 'name', 'lon', 'lat', 'kind', 'township', 'ai', 'streamUrl'] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];
/** Headers recognised for each field (compared without spaces, case-insensitive). */
export const HEADER_ALIASES: Record<LedgerField, readonly string[]> = {
  id: ['设备编码', '设备编号', '国标编码', '国标编号', '编码', '设备ID', 'id', 'code'],
  name: ['设备名称', '名称', '点位名称', '安装位置', 'name'],
  lon: ['经度', 'lon', 'lng', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  kind: ['类型', '设备类型', '设备类别', 'kind', 'type'],
  township: ['所属街道', '所属乡镇', '街道', 'township'],
  ai: ['AI', '智能分析', '是否AI', '视频AI', 'ai'],
  streamUrl: ['视频流地址', '流地址', '播放地址', 'streamUrl', 'stream'],
};
const REQUIRED: readonly LedgerField[] = ['id', 'name', 'lon', 'lat'];

export const LEDGER_CRS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type LedgerCrs = (typeof LEDGER_CRS)[number];

const KIND_WORDS: Record<string, RegistryKind | 'component'> = {
  摄像机: 'camera', 摄像头: 'camera', 视频监控: 'camera', 监控: 'camera', 枪机: 'camera', 球机: 'camera', 半球: 'camera', ipc: 'camera', camera: 'camera',
  高空瞭望: 'lookout', 瞭望: 'lookout', 高点监控: 'lookout', lookout: 'lookout',
  应急广播: 'broadcast', 广播: 'broadcast', 音柱: 'broadcast', broadcast: 'broadcast',
  部件: 'component', 城市部件: 'component', component: 'component',
};
const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '']);

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

export type ColumnMapping = Partial<Record<LedgerField, string>>;

/** Which column holds each field: the mapping given (field → header), else the known headers. */
export function mapColumns(header: readonly string[], mapping: ColumnMapping = {}): { ok: true; columns: Partial<Record<LedgerField, number>> } | { ok: false; message: string } {
  const at = new Map(header.map((h, i) => [norm(h), i]));
  const columns: Partial<Record<LedgerField, number>> = {};
  for (const field of LEDGER_FIELDS) {
    const given = mapping[field];
    if (given !== undefined) {
      const i = at.get(norm(given));
      if (i === undefined) return { ok: false, message: `mapping: column "${given}" (for ${field}) is not in the header: ${header.join(', ')}` };
      columns[field] = i;
      continue;
    }
    const found = HEADER_ALIASES[field].map((a) => at.get(norm(a))).find((i) => i !== undefined);
    if (found !== undefined) columns[field] = found;
  }
  const missing = REQUIRED.filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    return { ok: false, message: `no column for ${missing.map((f) => `${f} (${HEADER_ALIASES[f].slice(0, 2).join('/')})`).join(', ')}: name it in the mapping; the header is ${header.join(', ')}` };
  }
  return { ok: true, columns };
}

/** A position in `crs` as WGS84, rounded to 1e-7° (about 1 cm): the same file always gives the same numbers. */
export function toWgs84(lon: number, lat: number, crs: LedgerCrs): [number, number] {
  const [x, y] = crs === 'WGS84' ? [lon, lat] : gcoord.transform([lon, lat], crs === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84);
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
}

export interface LedgerProblem {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  /** The header of the column at fault ('' for the whole row). */
  column: string;
  /** In English, as the API says it. */
  reason: string;
  /** The same reason as a key and its values, for the screen to say in its language (core/import-why.ts). */
  why: ImportWhy;
}

export interface LedgerChange {
  row: number | null; // null for a device retired because the ledger no longer lists it
  action: 'new' | 'updated' | 'unchanged' | 'retired';
  kind: RegistryKind;
  id: string;
  name: string;
  changes?: DeviceChanges;
}

/** What a dry run (and an apply) answers: the counts, every change and every bad row, and the token that applies exactly this. */
export interface LedgerReport {
  token: string;
  filename: string;
  counts: { new: number; updated: number; unchanged: number; retired: number; bad: number };
  changes: LedgerChange[];
  bad: LedgerProblem[];
  /** Events logged (apply only). */
  applied?: number;
}

/** A ledger file as the API takes it: its bytes (base64), name and options. */
export interface LedgerFile {
  file: string;
  filename: string;
  crs: LedgerCrs;
  mapping?: ColumnMapping;
  retireMissing?: boolean;
}

export interface LedgerPlan {
  changes: LedgerChange[];
  bad: LedgerProblem[];
  /** The registry events applying the plan logs (new, updated, retired; nothing for unchanged). */
  events: RegistryEvent[];
}

export interface LedgerOptions {
  crs: LedgerCrs;
  mapping?: ColumnMapping;
  /** Retire the devices in service of the kinds the ledger lists that it does not list. */
  retireMissing?: boolean;
  /** The district's county code (component codes, GB/T 30428). */
  county: string;
  /** The district's townships and the one whose grids hold a point ('' outside every grid): a row's 所属街道, when given, must name the township its point lies in (not checked in a district without townships, as small test districts are). */
  townships?: { list: readonly { code: string; name: string }[]; at: (lon: number, lat: number) => string };
}

/** The township a ledger's 所属街道 cell names: its code, or its name with or without the 街道/镇/乡 ending. */
export function townshipNamed(cell: string, list: readonly { code: string; name: string }[]): { code: string; name: string } | undefined {
  const bare = (s: string) => norm(s).replace(/(街道办事处|街道|镇|乡)$/, '');
  return list.find((t) => t.code === cell.trim()) ?? list.find((t) => norm(t.name) === norm(cell)) ?? list.find((t) => bare(t.name) === bare(cell));
}

/** What the plan reads of the registry: each device, and those in service of a kind. */
export interface LedgerView extends RegistryView {
  inService(kind: RegistryKind): RegisteredDevice[];
}

/** The reason of a registry decision that refused a row. */
const refusal = (d: { code: string; message: string }, spec: DeviceSpec) =>
  explained(d.code === REGISTRY_ERRORS.outsideDistrict ? why('outsideDistrict', { lon: spec.lon, lat: spec.lat }) : why('refused', { message: d.message }));

type Parsed = { ok: true; spec: DeviceSpec } | { ok: false; problem: Omit<LedgerProblem, 'row'> };

function parseRow(cells: readonly string[], columns: Partial<Record<LedgerField, number>>, header: readonly string[], opts: LedgerOptions): Parsed {
  const cell = (f: LedgerField) => (columns[f] === undefined ? '' : (cells[columns[f]!] ?? '').trim());
  const col = (f: LedgerField) => (columns[f] === undefined ? f : header[columns[f]!]);
  const bad = (f: LedgerField, w: ImportWhy): Parsed => ({ ok: false, problem: { column: col(f), ...explained(w) } });
  const id = cell('id');
  if (!id) return bad('id', why('empty'));
  const kindWord = cell('kind');
  let kind: RegistryKind | 'component' | undefined = kindWord ? KIND_WORDS[norm(kindWord)] : undefined;
  if (kindWord && !kind) return bad('kind', why('notDeviceKind', { value: kindWord }));
  // Without a kind column: a 16-digit code is a component, anything else a camera (checked as GB/T 28181 below).
  kind ??= /^\d{16}$/.test(id) ? 'component' : 'camera';
  if (kind === 'component') {
    const problem = componentCodeWhy(id, opts.county);
    return bad(problem ? 'id' : 'kind', problem ?? why('componentsNotHere'));
  }
  if (kind === 'camera') {
    const gb = parseGb28181(id, { camera: true });
    if (!gb.ok) return bad('id', gb.why);
  } else if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) return bad('id', why('idPattern', { id }));
  const name = cell('name');
  if (!name) return bad('name', why('empty'));
  if (name.length > 64) return bad('name', why('tooLong', { max: 64, length: name.length }));
  const lon = Number(cell('lon'));
  const lat = Number(cell('lat'));
  if (!cell('lon') || !Number.isFinite(lon) || lon < -180 || lon > 180) return bad('lon', why('notLongitude', { value: cell('lon') }));
  if (!cell('lat') || !Number.isFinite(lat) || lat < -90 || lat > 90) return bad('lat', why('notLatitude', { value: cell('lat') }));
  const [wLon, wLat] = toWgs84(lon, lat, opts.crs);
  const townshipCell = cell('township');
  if (townshipCell && opts.townships && opts.townships.list.length > 0) {
    const { list, at } = opts.townships;
    const named = townshipNamed(townshipCell, list);
    if (!named) return bad('township', why('notTownship', { value: townshipCell, names: list.map((t) => t.name).join('、') }));
    const code = at(wLon, wLat);
    // A point in no grid is left to the registry's own check (outside the district, or a gap between grids).
    const there = code ? list.find((t) => t.code === code) : undefined;
    if (there && there.code !== named.code) return bad('township', why('townshipMismatch', { there: there.name, code: there.code, named: named.name }));
  }
  const spec: DeviceSpec = { kind, id, name, lon: wLon, lat: wLat };
  const ai = norm(cell('ai'));
  if (columns.ai !== undefined && kind === 'camera') {
    if (YES.has(ai)) spec.ai = true;
    else if (NO.has(ai)) spec.ai = false;
    else return bad('ai', why('notYesNo', { value: cell('ai') }));
  }
  const stream = cell('streamUrl');
  if (stream) {
    if (!/^(https?:\/\/|\/)\S+$/.test(stream) || stream.length > 500) return bad('streamUrl', why('notUrl', { value: stream }));
    spec.streamUrl = stream;
  }
  return { ok: true, spec };
}

/**
 * The plan of a ledger: `table` is its rows of cells, the header first. Decided row by row with
 * the registry's own decisions (core/registry.ts), so applying it is what the admin form would do.
 */
export function planLedger(table: readonly (readonly string[])[], opts: LedgerOptions, view: LedgerView, origin: RegistryOrigin): { ok: true; plan: LedgerPlan } | { ok: false; message: string } {
  const [header, ...rows] = table;
  if (!header || header.every((h) => !h.trim())) return { ok: false, message: 'the file has no header row' };
  const mapped = mapColumns(header, opts.mapping);
  if (!mapped.ok) return mapped;
  const plan: LedgerPlan = { changes: [], bad: [], events: [] };
  const seen = new Map<string, number>();
  const kinds = new Set<RegistryKind>();
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => !c.trim())) return; // blank lines between blocks of a ledger
    const parsed = parseRow(cells, mapped.columns, header, opts);
    if (!parsed.ok) return void plan.bad.push({ row, ...parsed.problem });
    const { spec } = parsed;
    const key = `${spec.kind}:${spec.id}`;
    const first = seen.get(key);
    if (first !== undefined) return void plan.bad.push({ row, column: header[mapped.columns.id!], ...explained(why('listedAlready', { id: spec.id, row: first })) });
    seen.set(key, row);
    kinds.add(spec.kind);
    const known = view.get(spec.kind, spec.id);
    const column = (field: 'lon' | 'id') => header[mapped.columns[field]!];
    if (!known || known.retired) {
      const d = decideProvision(view, spec, origin);
      if (!d.ok) return void plan.bad.push({ row, column: column(d.code === REGISTRY_ERRORS.outsideDistrict ? 'lon' : 'id'), ...refusal(d, spec) });
      plan.events.push(d.event);
      return void plan.changes.push({ row, action: 'new', kind: spec.kind, id: spec.id, name: spec.name });
    }
    const { kind: _k, id: _i, ...changes } = spec;
    const d = decideUpdate(view, spec.kind, spec.id, changes, origin);
    if (d === null) return void plan.changes.push({ row, action: 'unchanged', kind: spec.kind, id: spec.id, name: spec.name });
    if (!d.ok) return void plan.bad.push({ row, column: column(d.code === REGISTRY_ERRORS.outsideDistrict ? 'lon' : 'id'), ...refusal(d, spec) });
    plan.events.push(d.event);
    plan.changes.push({ row, action: 'updated', kind: spec.kind, id: spec.id, name: spec.name, changes: d.event.type === 'updated' ? d.event.changes : undefined });
  });
  if (opts.retireMissing) {
    for (const kind of kinds) {
      for (const d of view.inService(kind)) {
        if (seen.has(`${kind}:${d.id}`)) continue;
        const r = decideRetire(view, kind, d.id, 'not in the imported ledger', origin);
        if (!r.ok) continue;
        plan.events.push(r.event);
        plan.changes.push({ row: null, action: 'retired', kind, id: d.id, name: d.name });
      }
    }
  }
  return { ok: true, plan };
}

/** A CSV text as rows of cells (RFC 4180: quoted cells may hold commas, quotes doubled, newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
