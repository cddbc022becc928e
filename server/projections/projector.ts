// Applies committed events to the in-memory projections, in sequence order. The same code
// serves the live path (after each commit) and the rebuild from the log at start.
import type { Clock } from '../../core/domain.ts';
import type { CaseRecord, DeviceRecord, VideoEvent } from '../../core/protocol.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { District } from '../district.ts';
import { CaseBoard } from './case-board.ts';
import { DeviceState } from './device-state.ts';

export interface Discrete {
  caseReported(summaryId: string): void;
  videoDetected(seq: number, event: VideoEvent): void;
}

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
  readonly devices: DeviceState;
  readonly cases: CaseBoard;
  private seq = 0;
  private readonly rate = new RateWindow(10);
  /** Events applied since the hub last asked. */
  private pendingEvents = 0;
  discrete: Discrete | null = null;

  constructor(
    readonly district: District,
    private readonly clock: Clock,
  ) {
    this.devices = new DeviceState(district.index, district.startPositions);
    this.cases = new CaseBoard(district.resolvePlace);
  }

  get lastSeq(): number {
    return this.seq;
  }

  apply(events: readonly StoredEvent[], live: boolean): void {
    for (const e of events) {
      switch (e.type) {
        case 'device:reported':
          this.devices.apply(e.data as DeviceRecord);
          break;
        case 'case:reported': {
          const isNew = this.cases.apply(e.data as CaseRecord);
          if (isNew && live) this.discrete?.caseReported(e.subject);
          break;
        }
        case 'video:detected':
          if (live) this.discrete?.videoDetected(e.seq, e.data as VideoEvent);
          break;
      }
      this.seq = e.seq;
    }
    if (live) {
      this.rate.add(this.clock.now(), events.length);
      this.pendingEvents += events.length;
    }
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
