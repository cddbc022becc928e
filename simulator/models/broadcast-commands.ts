// The emergency broadcast platform's side: every point takes the commands sent to it
// (`linkage/cmd/broadcast/<id>`), plays the message and acknowledges on 'broadcast-receipts'.
// Offline points never answer; points with a fault, and a few healthy ones, fail with a reason.
import { playMs, type BroadcastCommand, type BroadcastReceipt } from '../../core/broadcast.ts';
import type { DeviceStatus } from '../../core/domain.ts';
import type { FieldChannel } from '../field.ts';
import type { Rng } from '../../core/random.ts';

export interface BroadcastAnswerConfig {
  /** Network and setup delay before a point starts playing, wall ms. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Chance that a healthy point still fails. */
  failShare: number;
  /** How often answered receipts are sent, batched (wall ms). */
  flushMs: number;
}

export const BROADCAST_ANSWERS: BroadcastAnswerConfig = { minDelayMs: 500, maxDelayMs: 5000, failShare: 0.025, flushMs: 250 };

/** Why a healthy point may still fail (a point with a fault always reports 功放故障). */
export const FAILURE_REASONS = ['网络超时', '功放故障', '音频解码失败', '设备忙（本地广播占用）'];

export interface BroadcastTimers {
  now(): number;
  after(ms: number, fn: () => void): void;
}

const realTimers: BroadcastTimers = { now: () => Date.now(), after: (ms, fn) => void setTimeout(fn, ms).unref?.() };

export class BroadcastCommandsModel {
  readonly stats = { commands: 0, unknown: 0, silent: 0, delivered: 0, failed: 0, publishErrors: 0 };
  private readonly indexOf: Map<string, number>;
  private pending: BroadcastReceipt[] = [];
  private flushing = false;

  constructor(
    private readonly field: FieldChannel,
    ids: readonly string[],
    /** The point's current status in the simulation (offline points never answer). */
    private readonly status: (index: number) => DeviceStatus,
    private readonly rng: Rng,
    /** Simulation speed: playing time runs this much faster; the network delay does not. */
    private readonly speed = 1,
    private readonly cfg: BroadcastAnswerConfig = BROADCAST_ANSWERS,
    private readonly timers: BroadcastTimers = realTimers,
  ) {
    this.indexOf = new Map(ids.map((id, i) => [id, i]));
    field.onCommand('broadcast', (pointId, payload) => this.command(pointId, payload));
  }

  private command(pointId: string, payload: unknown): void {
    this.stats.commands++;
    const i = this.indexOf.get(pointId);
    const cmd = payload as Partial<BroadcastCommand> | null;
    if (i === undefined || !cmd || typeof cmd.broadcastId !== 'string' || typeof cmd.text !== 'string') {
      this.stats.unknown++;
      return;
    }
    const status = this.status(i);
    if (status === 'offline') {
      this.stats.silent++;
      return;
    }
    const repeat = Math.min(10, Math.max(1, Number(cmd.repeat) || 1));
    const delay = this.cfg.minDelayMs + this.rng.next() * (this.cfg.maxDelayMs - this.cfg.minDelayMs) + (playMs(cmd.text) * repeat) / this.speed;
    const reason = status === 'fault' ? '功放故障' : this.rng.chance(this.cfg.failShare) ? FAILURE_REASONS[Math.floor(this.rng.next() * FAILURE_REASONS.length)] : null;
    const broadcastId = cmd.broadcastId;
    this.timers.after(delay, () => {
      this.pending.push({ broadcastId, pointId, ts: this.timers.now(), ok: reason === null, ...(reason ? { reason } : {}) });
      if (reason) this.stats.failed++;
      else this.stats.delivered++;
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    this.timers.after(this.cfg.flushMs, () => void this.flush());
  }

  /** Sends what has been answered as one batch; a failed publish is retried with the next flush. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      if (batch.length > 0) await this.field.publish('broadcast-receipts', batch);
    } catch {
      this.stats.publishErrors++;
      this.pending = batch.concat(this.pending);
    } finally {
      this.flushing = false;
      if (this.pending.length > 0) this.scheduleFlush();
    }
  }
}
