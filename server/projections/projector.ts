// Applies committed events to the in-memory projections, in sequence order. The same code
// serves the live path (after each commit) and the rebuild from the log at start.
import { STATUS_CODE, statusName, type Clock } from '../../core/domain.ts';
import type { AlarmState } from '../../core/alarms.ts';
import type { CaseEvent, CaseState } from '../../core/cases/model.ts';
import type { DeviceRecord, VideoEvent } from '../../core/protocol.ts';
import type { WhistleEvent, WhistleState } from '../../core/whistle.ts';
import { placeInScope } from '../../core/org.ts';
import { createNanoEvents, type Unsubscribe } from 'nanoevents';
import type { StoredEvent } from '../store/event-store.ts';
import type { District } from '../district.ts';
import { WorkerVisibility } from '../realtime/worker-privacy.ts';
import { AlarmBook, type AlarmEvent } from './alarm-book.ts';
import { CaseBook } from './case-book.ts';
import { WhistleBook } from './whistle-book.ts';
import { BroadcastBook } from './broadcast-book.ts';
import type { BroadcastEvent, BroadcastState } from '../../core/broadcast.ts';
import { BroadcastRequestBook } from './broadcast-request-book.ts';
import { REQUEST_EVENT_TYPES, type BroadcastRequestEvent, type BroadcastRequestState } from '../../core/broadcast-approval.ts';
import { DeviceState, type DeviceStateCheckpoint } from './device-state.ts';
import { SensorBook, type SensorBookCheckpoint } from './sensor-book.ts';
import { WorkerTracks, type WorkerTracksCheckpoint } from './worker-tracks.ts';
import { deviceSettings, type DeviceSettings } from '../devices/settings.ts';
import { DroneBook, type DroneBookCheckpoint, type DroneEvent } from '../drones/book.ts';
import { floodAlarmRule, floodGuaranteeRule, GAUGE_CLASS, levelsOf } from '../../core/flood.ts';
import type { WeatherObservation } from '../../core/weather.ts';
import { GaugeBook } from './gauge-book.ts';
import { WeatherBook } from './weather-book.ts';
import { DeviceRegistry } from './device-registry.ts';
import { BOUNDARY_EVENT_TYPE, type Boundary, type BoundaryEvent } from '../../core/boundaries.ts';
import { REGISTRY_EVENT_TYPES, type RegisteredDevice, type RegistryEvent } from '../../core/registry.ts';

/**
 * What the projector announces on the live path (never during a rebuild), to any number of
 * subscribers: the hub sends the first three to screens at once; the case services react to the
 * telemetry ones with new events (alarms, the cases they open), which are logged, so a rebuild
 * reads them instead of re-deriving them.
 */
export interface ProjectionEvents {
  'case:reported': (c: CaseState) => void;
  'alarm:raised': (a: AlarmState) => void;
  'whistle:blown': (w: WhistleState) => void;
  'video:detected': (event: VideoEvent, cameraIndex: number) => void;
  /** A sensorized component's readings crossed its rule into alarm. */
  'sensor:alarmed': (componentIndex: number, record: DeviceRecord) => void;
  /** ... and back out of it. */
  'sensor:restored': (componentIndex: number, record: DeviceRecord) => void;
  /** A component's severe rule (a gauge's guarantee level) raised / lowered. */
  'sensor:escalated': (componentIndex: number, record: DeviceRecord) => void;
  'sensor:deescalated': (componentIndex: number, record: DeviceRecord) => void;
  /** Devices provisioned, updated or retired (core/registry.ts): every screen hears it at once. */
  'devices:changed': (devices: RegisteredDevice[]) => void;
  /** Townships, communities or grids drawn by an import (core/boundaries.ts): the district locates by them at once. */
  'boundaries:redrawn': (boundaries: Boundary[]) => void;
}

// 3: sensor rule state, readings rings and worker tracks joined the checkpoint.
const CHECKPOINT_VERSION = 3;
const ALARM = STATUS_CODE.alarm;

/** Counts events per second over a sliding window of one-second buckets. */
class RateWindow {
  private readonly buckets: number[];
  private readonly seconds: number[];
  constructor(private readonly span: number) {
    this.buckets = new Array(span).fill(0);
    this.seconds = new Array(span).fill(-1);
  }
  add(now: number, n: number): void {
    const s = Math.floor(now / 1000);
    const slot = s % this.span;
    if (this.seconds[slot] !== s) {
      this.seconds[slot] = s;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] += n;
  }
  /** Average over the last `span` full seconds before now. */
  rate(now: number): number {
    const s = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < this.span; i++) {
      if (this.seconds[i] >= s - this.span && this.seconds[i] < s) sum += this.buckets[i];
    }
    return sum / this.span;
  }
}

export class Projector {
  devices: DeviceState;
  /** Devices provisioned, updated or retired through the log, over the dataset's. */
  registry: DeviceRegistry;
  cases = new CaseBook();
  whistles = new WhistleBook();
  alarms = new AlarmBook();
  drones: DroneBook;
  broadcasts = new BroadcastBook();
  /** Requests for urgent broadcasts awaiting (or past) a leader's approval. */
  broadcastRequests = new BroadcastRequestBook();
  /** Events of an older format met during a rebuild (logged once at start). */
  skippedLegacy = 0;
  private seq = 0;
  private readonly rate = new RateWindow(10);
  /** Events applied since the hub last asked. */
  private pendingEvents = 0;
  private readonly emitter = createNanoEvents<ProjectionEvents>();
  /** Sensor rule state (alarms derived from readings) and recent readings of sensorized components. */
  sensors: SensorBook;
  /** Patrol tracks of grid workers in the current shift. */
  tracks: WorkerTracks;
  /** The embankment gauges' latest stages (flood panel). */
  readonly gauges: GaugeBook;
  /** Weather observations by station. */
  weather = new WeatherBook();
  /** Which workers' positions a screen of a scope may see. */
  readonly workerVisibility: WorkerVisibility;
  readonly settings: DeviceSettings;

  constructor(
    readonly district: District,
    private readonly clock: Clock,
    settings?: DeviceSettings,
    /**
     * Whether this projector draws imported boundaries into the district (shared by every
     * projector of the process): the live one does; a replay cursor's, at some past moment, must not.
     */
    private readonly drawsGeography = true,
  ) {
    this.devices = new DeviceState(district.index, district.startPositions);
    this.registry = new DeviceRegistry(district, this.devices);
    this.drones = new DroneBook(district.drones);
    this.settings = settings ?? deviceSettings();
    this.sensors = this.newSensorBook();
    this.gauges = new GaugeBook(this.gaugeIndices(), () => this.sensors);
    this.tracks = new WorkerTracks(district.index.worker.size, this.settings.shifts);
    this.workerVisibility = new WorkerVisibility(district, district.index.worker.size);
  }

  private newSensorBook(): SensorBook {
    const d = this.district;
    const info = (i: number) => d.deviceInfo('component', i) as { id: string; classCode: string; sensorized: boolean };
    const flood = this.settings.floodLevels;
    // A gauge's alarm is raised at its own warning level (core/flood.ts), not by the class rule; its severe one at the guarantee level.
    const own = (i: number) => (info(i).classCode === GAUGE_CLASS ? floodAlarmRule(flood, levelsOf(flood, info(i).id)) : null);
    const severe = (i: number) => (info(i).classCode === GAUGE_CLASS ? floodGuaranteeRule(flood, levelsOf(flood, info(i).id)) : null);
    return new SensorBook((i) => (info(i).sensorized ? info(i).classCode : null), d.index.component.size, this.settings.sensorRules, own, JSON.stringify(flood), severe);
  }

  /** Sensorized components of the gauge class. */
  private gaugeIndices(): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < this.district.index.component.size; i++) {
      const c = this.district.deviceInfo('component', i) as { classCode: string; sensorized: boolean };
      if (c.sensorized && c.classCode === GAUGE_CLASS) out.add(i);
    }
    return out;
  }

  /** Subscribes to a live announcement; the returned function unsubscribes. */
  on<K extends keyof ProjectionEvents>(event: K, listener: ProjectionEvents[K]): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  get lastSeq(): number {
    return this.seq;
  }

  apply(events: readonly StoredEvent[], live: boolean): void {
    for (const e of events) {
      if (e.type === 'device:reported') this.applyDevice(e.data as DeviceRecord, e.index, live);
      else if (e.type === 'video:detected') {
        if (live) {
          const event = e.data as VideoEvent;
          this.emitter.emit('video:detected', event, this.devices.indexOf('camera', event.cameraId) ?? -1);
        }
      } else if (REGISTRY_EVENT_TYPES.includes(e.type)) {
        const d = this.registry.apply(e.data as RegistryEvent);
        if (d && live) this.emitter.emit('devices:changed', [d]);
      } else if (e.type === BOUNDARY_EVENT_TYPE) {
        const b = (e.data as BoundaryEvent).boundary;
        if (this.drawsGeography) this.district.drawBoundary(b);
        if (live) this.emitter.emit('boundaries:redrawn', [b]);
      } else if (e.type.startsWith('case:')) {
        const ce = e.data as CaseEvent;
        // Version-1 logs held gateway upserts ({stage, updatedAt}) instead of lifecycle events.
        if (typeof ce?.command !== 'string') this.skippedLegacy++;
        else {
          const { state, isNew } = this.cases.apply(ce);
          if (isNew && live) this.emitter.emit('case:reported', state);
        }
      } else if (e.type.startsWith('whistle:')) {
        const w = this.whistles.apply(e.data as WhistleEvent);
        if (live && (e.data as WhistleEvent).type === 'blown') this.emitter.emit('whistle:blown', w);
      } else if (e.type.startsWith('alarm:')) {
        const a = this.alarms.apply(e.data as AlarmEvent);
        if (a && live && (e.data as AlarmEvent).type === 'raised') this.emitter.emit('alarm:raised', a);
      } else if (e.type.startsWith('drone:')) this.drones.apply(e.data as DroneEvent);
      else if (e.type === 'weather:observed') this.weather.apply(e.data as WeatherObservation);
      else if (REQUEST_EVENT_TYPES.includes(e.type)) this.broadcastRequests.apply(e.data as BroadcastRequestEvent);
      else if (e.type.startsWith('broadcast:')) {
        this.broadcasts.apply(e.data as BroadcastEvent);
      }
      this.seq = e.seq;
    }
    if (live) {
      this.rate.add(this.clock.now(), events.length);
      this.pendingEvents += events.length;
    }
  }

  /** A whistle belongs where its case is. */
  whistleInScope(scope: string, w: WhistleState): boolean {
    const c = this.cases.get(w.caseId);
    return c !== undefined && placeInScope(scope, c);
  }

  private applyDevice(r: DeviceRecord, index: number | undefined, live: boolean): void {
    if (r.kind === 'drone') this.drones.telemetry(r);
    if (r.kind === 'worker') {
      const w = index ?? this.devices.indexOf('worker', r.id);
      if (w !== undefined) this.tracks.apply(w, r);
    }
    if (r.kind !== 'component') {
      this.devices.apply(r, index);
      return;
    }
    const i = index ?? this.devices.indexOf('component', r.id);
    if (i === undefined) return;
    const before = this.devices.status.component[i];
    const severeBefore = this.sensors.severeRaised[i];
    // The server, not the device, decides a sensor alarm: the rule state of the readings sets the status.
    const status = this.sensors.apply(i, r, statusName(before));
    if (r.value !== undefined) this.gauges.read(i);
    this.devices.apply(status === r.status ? r : { ...r, status }, i);
    if (!live) return;
    const after = this.devices.status.component[i];
    const cameIntoAlarm = after === ALARM && before !== ALARM;
    if (cameIntoAlarm) this.emitter.emit('sensor:alarmed', i, r);
    else if (before === ALARM && after !== ALARM) this.emitter.emit('sensor:restored', i, r);
    const severeAfter = this.sensors.severeRaised[i];
    // Back in alarm with the severe rule still raised (a fault in between cleared both alarms): escalated again too.
    if (severeAfter && (!severeBefore || cameIntoAlarm)) this.emitter.emit('sensor:escalated', i, r);
    else if (severeBefore && !severeAfter) this.emitter.emit('sensor:deescalated', i, r);
  }

  /**
   * Serializes the projections as of lastSeq, tagged with the dataset they index into: a
   * checkpoint from another dataset is ignored at start (indices would not match).
   */
  checkpoint(): string {
    return JSON.stringify({
      v: CHECKPOINT_VERSION, dataset: this.district.fingerprint, seq: this.seq, devices: this.devices.exportState(),
      cases: this.cases.exportState(), whistles: this.whistles.exportState(), alarms: this.alarms.exportState(),
      sensors: this.sensors.exportState(), tracks: this.tracks.exportState(),
      drones: this.drones.exportState(),
      broadcasts: this.broadcasts.exportState(),
      broadcastRequests: this.broadcastRequests.exportState(),
      weather: this.weather.exportState(),
      registry: this.registry.exportState(),
      boundaries: this.district.drawnBoundaries(),
    });
  }

  /** Back to the empty state (before a full rebuild from the log). */
  reset(): void {
    if (this.drawsGeography) this.district.resetBoundaries();
    this.devices = new DeviceState(this.district.index, this.district.startPositions);
    this.registry = new DeviceRegistry(this.district, this.devices);
    this.cases = new CaseBook();
    this.whistles = new WhistleBook();
    this.alarms = new AlarmBook();
    this.sensors = this.newSensorBook();
    this.tracks = new WorkerTracks(this.district.index.worker.size, this.settings.shifts);
    this.drones = new DroneBook(this.district.drones);
    this.broadcasts = new BroadcastBook();
    this.broadcastRequests = new BroadcastRequestBook();
    this.weather = new WeatherBook();
    this.seq = 0;
  }

  /** Restores a checkpoint; returns false (and changes nothing) when it belongs to another dataset or format. */
  restore(body: string): boolean {
    const cp = JSON.parse(body) as {
      v: number; dataset: string; seq: number; devices: DeviceStateCheckpoint; cases: CaseState[]; whistles: WhistleState[]; alarms: AlarmState[];
      sensors: SensorBookCheckpoint; tracks: WorkerTracksCheckpoint; drones?: DroneBookCheckpoint; broadcasts?: BroadcastState[];
      broadcastRequests?: BroadcastRequestState[]; weather?: WeatherObservation[]; registry?: RegisteredDevice[];
      boundaries?: Boundary[];
    };
    if (cp.v !== CHECKPOINT_VERSION || cp.dataset !== this.district.fingerprint) return false;
    // Alarm states derived under other sensor rules would not match a rebuild: rebuild instead.
    if (!this.sensors.importState(cp.sensors)) return false;
    this.tracks.importState(cp.tracks);
    // Provisioned devices first: they size the status arrays the checkpoint holds (none before the registry).
    this.registry.importState(cp.registry ?? []);
    this.devices.importState(cp.devices);
    this.cases.importState(cp.cases);
    this.whistles.importState(cp.whistles);
    this.alarms.importState(cp.alarms);
    // Checkpoints from before drone missions have none: the book then holds telemetry only from what follows.
    if (cp.drones) this.drones.importState(cp.drones);
    // Checkpoints from before broadcasts existed hold none (their log has none either).
    this.broadcasts.importState(cp.broadcasts ?? []);
    // Checkpoints from before approvals hold no requests (their log has none either).
    this.broadcastRequests.importState(cp.broadcastRequests ?? []);
    // Checkpoints from before the weather station hold no observations (their log has none either).
    this.weather.importState(cp.weather ?? []);
    // Checkpoints from before boundary imports hold none (their log has none either).
    if (this.drawsGeography) {
      this.district.resetBoundaries();
      for (const b of cp.boundaries ?? []) this.district.drawBoundary(b);
    }
    this.seq = cp.seq;
    return true;
  }

  takeEventCount(): number {
    const n = this.pendingEvents;
    this.pendingEvents = 0;
    return n;
  }

  eventsPerSecond(): number {
    return Math.round(this.rate.rate(this.clock.now()));
  }
}
