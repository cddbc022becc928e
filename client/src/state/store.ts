// The live state of the district, composed of slices that each own their part and its pure
// updaters (devices, cases, whistles, alarms, drones, broadcasts, KPIs, session). The store only
// composes them: it checks a delta's sequence, hands each slice its part of the snapshot or delta,
// and keeps the few fields of the whole (seq, server time, last message). No slice imports the
// store. No DOM, no socket: unit-tested in node.
//
// The composed object is flat (store.cases, store.drones, store.status…): that is what
// window.__linkage.store shows the browser tests (a test build: client/src/test-hooks.ts), and what each slice's state type picks from it.
import { emptyStatusCounts, type CaseSummary, type DeviceKind, type MovingKind, type StatusCounts } from '../../../core/domain.ts';
import type { Delta, Snapshot } from '../../../core/protocol.ts';
import type { AlarmState } from '../../../core/alarms.ts';
import type { WhistleState } from '../../../core/whistle.ts';
import * as devices from './devices.ts';
import * as cases from './cases.ts';
import * as whistles from './whistles.ts';
import * as alarms from './alarms.ts';
import * as kpis from './kpis.ts';
import * as session from './session.ts';
import * as drones from '../drones/state.ts';
import * as broadcasts from './broadcasts.ts';
import * as registry from './registry.ts';
import * as geography from './geography.ts';
import { REGISTRY_KINDS, type RegisteredDevice, type RegistryKind } from '../../../core/registry.ts';
import type { Boundary } from '../../../core/boundaries.ts';
import * as flood from '../flood/state.ts';

export { TRACK_POINTS, paintAll, trackPath, type MovingArrays, type Track } from './devices.ts';
export { FEED_MAX, FRESH_MS, feedCases, isFresh } from './cases.ts';
export { openWhistles } from './whistles.ts';
export { openAlarms } from './alarms.ts';
export { RATE_SAMPLES, rateSeries, resetRate } from './kpis.ts';

type Versions = devices.DevicesState['version'] & registry.RegistryState['version'] & cases.CasesState['version'] & whistles.WhistlesState['version'] & alarms.AlarmsState['version'] & kpis.KpisState['version'] & drones.DronesState['version'] & geography.GeographyState['version'];

export interface LiveStore
  extends Omit<devices.DevicesState, 'version'>,
    Omit<cases.CasesState, 'version'>,
    Omit<whistles.WhistlesState, 'version'>,
    Omit<alarms.AlarmsState, 'version'>,
    Omit<kpis.KpisState, 'version'>,
    Omit<drones.DronesState, 'version'>,
    Omit<registry.RegistryState, 'version'>,
    Omit<geography.GeographyState, 'version'>,
    broadcasts.BroadcastsState,
    flood.FloodState,
    session.SessionState {
  /** seq of the last snapshot or delta applied; -1 before the first snapshot. */
  seq: number;
  serverTime: number;
  /** The area asked for in the handshake; anything outside it is dropped (and counted: the server should never send it). */
  scope: string;
  /** Each slice's change counter (devices by kind), so renderers and selectors know what to refresh. */
  version: Versions;
  lastMessageAt: number; // client clock, ms
}

/**
 * Creates an empty store sized from the dataset. `initialPositions` seeds drones and workers
 * with their dataset positions until the first snapshot arrives. Every device starts offline.
 * `placed` are the dataset's positions of the fixed layers the registry grows (zeros when not drawn).
 */
export function createStore(
  sizes: Record<DeviceKind, number>,
  initialPositions?: Partial<Record<MovingKind, Float64Array>>,
  scope = '340803',
  placed?: Record<RegistryKind, Float64Array>,
): LiveStore {
  const d = devices.initDevices(sizes, initialPositions);
  const r = registry.initRegistry(placed ?? (Object.fromEntries(REGISTRY_KINDS.map((k) => [k, new Float64Array(sizes[k] * 2)])) as Record<RegistryKind, Float64Array>));
  const c = cases.initCases(scope);
  const w = whistles.initWhistles(scope);
  const a = alarms.initAlarms(scope);
  const k = kpis.initKpis();
  const u = drones.initDrones();
  const g = geography.initGeography();
  return {
    seq: -1,
    serverTime: 0,
    lastMessageAt: 0,
    ...d,
    ...c,
    ...w,
    ...a,
    ...k,
    ...u,
    ...r,
    drawn: g.drawn,
    ...broadcasts.initBroadcasts(scope),
    ...flood.initFlood(),
    ...session.initSession(),
    scope,
    version: { ...d.version, ...r.version, ...c.version, ...w.version, ...a.version, ...k.version, ...u.version, ...g.version },
  };
}

/** Forgets everything live (on an identity change: the next snapshot is of another scope). Device arrays stay sized. */
export function resetStore(s: LiveStore, scope: string): void {
  s.seq = -1;
  s.scope = scope;
  session.reset(s);
  cases.reset(s);
  whistles.reset(s);
  alarms.reset(s);
  kpis.reset(s);
  broadcasts.replaceBroadcasts(s, []);
  broadcasts.replaceRequests(s, []);
}

/** Replaces the whole live state with a snapshot. Arrays of the wrong length are clipped or padded (offline). */
export function applySnapshot(s: LiveStore, snap: Snapshot, now = Date.now()): void {
  // The registry first: it sizes the layers the statuses fill.
  registry.replaceRegistry(s, snap.registry ?? []);
  devices.applySnapshot(s, snap);
  session.applySnapshot(s, snap);
  cases.applySnapshot(s, snap.cases);
  whistles.applySnapshot(s, snap.whistles ?? []);
  alarms.applySnapshot(s, snap.alarms ?? []);
  if (snap.drones) drones.setDrones(s, snap.drones);
  broadcasts.replaceBroadcasts(s, snap.broadcasts ?? []);
  broadcasts.replaceRequests(s, snap.broadcastRequests ?? []);
  flood.applyFloodSnapshot(s, snap);
  s.seq = snap.seq;
  s.serverTime = snap.serverTime;
  s.lastMessageAt = now;
  kpis.applySnapshot(s, snap.kpis, snap.serverTime);
}

export type DeltaResult = 'applied' | 'gap' | 'stale' | 'resync';

/**
 * Applies one delta in place. Returns 'gap' (nothing applied) when delta.prevSeq is not the
 * store's seq, so the caller asks for a fresh snapshot; 'stale' when the delta is older than
 * the state (a late delta after a snapshot), which is ignored; 'resync' (nothing applied) when a
 * case patch starts from a version this screen does not hold, so it asks for a fresh snapshot too.
 */
export function applyDelta(s: LiveStore, d: Delta, now = Date.now()): DeltaResult {
  if (s.seq >= 0 && d.seq <= s.seq) return 'stale';
  if (d.prevSeq !== s.seq) return 'gap';
  if (d.casePatches?.length && !cases.canPatch(s, d.casePatches)) return 'resync';
  devices.applyDelta(s, d);
  const added = d.cases?.length ? cases.applyDelta(s, d.cases, now) : [];
  if (d.casePatches?.length) cases.applyPatches(s, d.casePatches);
  // Case counts computed after these cases replace the screen's; without them the new cases are counted here.
  if (!d.kpis?.cases) kpis.countNewCases(s, added, d.serverTime);
  if (d.whistles) whistles.applyDelta(s, d.whistles);
  if (d.alarms) alarms.applyDelta(s, d.alarms);
  if (d.drones?.length) drones.upsertDrones(s, d.drones);
  kpis.applyDelta(s, d.kpis, d.serverTime, d.events ?? 0);
  if (d.broadcasts?.length) broadcasts.mergeBroadcasts(s, d.broadcasts);
  if (d.broadcastRequests?.length) broadcasts.mergeRequests(s, d.broadcastRequests);
  flood.applyFloodDelta(s, d);
  s.seq = d.seq;
  s.serverTime = d.serverTime;
  s.lastMessageAt = now;
  return 'applied';
}

/**
 * A case reported between ticks, or the state a command's ack returned (the next delta carries it
 * again; upsert is idempotent and keeps the newest version).
 */
export function applyCaseReported(s: LiveStore, c: CaseSummary, now = Date.now()): void {
  // The feed shows it now: so does 今日上报 (the KPIs in the next delta come after it).
  kpis.countNewCases(s, cases.applyDelta(s, [c], now), s.serverTime);
}
export const applyCase = applyCaseReported;

/** Devices provisioned, changed or retired (`devices:changed`): the layers grow or change at once. */
export function applyDevicesChanged(s: LiveStore, list: readonly RegisteredDevice[]): void {
  registry.mergeRegistry(s, list);
}

/** Boundaries an import drew (GET /api/boundaries on connect, `boundaries:redrawn` live): the map redraws them. */
export function applyBoundariesRedrawn(s: LiveStore, list: readonly Boundary[]): void {
  geography.mergeBoundaries(s, list);
}

/** An import changed the emergency resources (`resources:changed`): the screen asks for its list again. */
export function applyResourcesChanged(s: LiveStore): void {
  geography.noteResourcesChanged(s);
}

export function applyWhistle(s: LiveStore, w: WhistleState): void {
  whistles.applyOne(s, w);
}

export function applyAlarm(s: LiveStore, a: AlarmState): void {
  alarms.applyOne(s, a);
}

/** Device counts to show: the store's own (exact, in dataset order), falling back to server KPIs. */
export function deviceCounts(s: LiveStore): Record<DeviceKind, StatusCounts> {
  if (s.seq < 0 && s.kpis) return s.kpis.devices;
  if (s.seq < 0) return devices.perKind(() => emptyStatusCounts());
  return s.counts;
}
