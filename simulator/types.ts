// What every model shares: the tick context and the sink records go to.
import type { CaseRecord, DeviceRecord, VideoEvent } from '../core/protocol.ts';
import type { WeatherObservation } from '../core/weather.ts';

/**
 * One step of the simulation. `now` is the wall clock (every record's ts); `sim` is simulated time,
 * which runs `speed` times faster and drives everything that *happens* (failures, repairs, walks,
 * flights, cases, working hours). Periodic reports (heartbeats, positions, readings) follow the wall
 * clock, so `--speed` makes the district busier without multiplying the heartbeat load.
 */
export interface TickContext {
  now: number; // wall ms
  sim: number; // simulated ms
  dtWall: number; // wall seconds since the previous tick
  dtSim: number; // simulated seconds since the previous tick (dtWall * speed)
  speed: number;
}

export interface Sink {
  device(r: DeviceRecord): void;
  video(e: VideoEvent): void;
  case(c: CaseRecord): void;
  weather(o: WeatherObservation): void;
}

export interface Model {
  readonly name: string;
  /** The full status pass at start. */
  start(ctx: TickContext, out: Sink): void;
  tick(ctx: TickContext, out: Sink): void;
}

/** A sink that keeps everything (tests, dry runs). */
export class CollectingSink implements Sink {
  devices: DeviceRecord[] = [];
  videos: VideoEvent[] = [];
  cases: CaseRecord[] = [];
  observations: WeatherObservation[] = [];
  device(r: DeviceRecord) {
    this.devices.push(r);
  }
  video(e: VideoEvent) {
    this.videos.push(e);
  }
  case(c: CaseRecord) {
    this.cases.push(c);
  }
  weather(o: WeatherObservation) {
    this.observations.push(o);
  }
  clear() {
    this.observations = [];
    this.devices = [];
    this.videos = [];
    this.cases = [];
  }
}

/** Converts a simulated duration to the wall duration it takes at this speed. */
export const wallMs = (simMs: number, speed: number) => simMs / speed;
