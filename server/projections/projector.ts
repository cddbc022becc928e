// Applies committed events to the in-memory projections, in sequence order. The same code
// serves the live path (after each commit) and the rebuild from the log at start.
import type { CaseSummary, Clock } from '../../core/domain.ts';
import type { CaseRecord, DeviceRecord, VideoEvent } from '../../core/protocol.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { District } from '../district.ts';
import { CaseBoard } from './case-board.ts';
import { DeviceState, type DeviceStateCheckpoint } from './device-state.ts';

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
  devices: DeviceState;
  cases: CaseBoard;
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
          this.devices.apply(e.data as DeviceRecord, e.index);
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

  /**
   * Serializes the projections as of lastSeq, tagged with the dataset they index into: a
   * checkpoint from another dataset is ignored at start (indices would not match).
   */
  checkpoint(): string {
    return JSON.stringify({ v: 1, dataset: this.district.fingerprint, seq: this.seq, devices: this.devices.exportState(), cases: this.cases.exportState() });
  }

  /** Back to the empty state (before a full rebuild from the log). */
  reset(): void {
    this.devices = new DeviceState(this.district.index, this.district.startPositions);
    this.cases = new CaseBoard(this.district.resolvePlace);
    this.seq = 0;
  }

  /** Restores a checkpoint; returns false (and changes nothing) when it belongs to another dataset or format. */
  restore(body: string): boolean {
    const cp = JSON.parse(body) as { v: number; dataset: string; seq: number; devices: DeviceStateCheckpoint; cases: CaseSummary[] };
    if (cp.v !== 1 || cp.dataset !== this.district.fingerprint) return false;
    this.devices.importState(cp.devices);
    this.cases.importState(cp.cases);
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
