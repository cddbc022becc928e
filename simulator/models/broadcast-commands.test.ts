import { describe, expect, it } from 'vitest';
import type { BroadcastReceipt } from '../../core/broadcast.ts';
import type { CommandKind, UplinkStream } from '../../core/field.ts';
import type { DeviceStatus } from '../../core/domain.ts';
import type { FieldChannel } from '../field.ts';
import { Rng } from '../../core/random.ts';
import { BROADCAST_ANSWERS, BroadcastCommandsModel, type BroadcastTimers } from './broadcast-commands.ts';

/** An in-memory field channel: the test sends commands, the model publishes receipts. */
class FakeChannel implements FieldChannel {
  published: Array<{ stream: UplinkStream; records: object[] }> = [];
  handlers = new Map<CommandKind, (id: string, payload: unknown) => void>();
  failNext = 0;
  async publish(stream: UplinkStream, records: object[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker unavailable');
    }
    this.published.push({ stream, records });
  }
  onCommand(kind: CommandKind, handler: (id: string, payload: unknown) => void) {
    this.handlers.set(kind, handler);
  }
  receipts(): BroadcastReceipt[] {
    return this.published.flatMap((p) => p.records as BroadcastReceipt[]);
  }
}

/** Timers driven by the test. */
class ManualTimers implements BroadcastTimers {
  t = 1_800_000_000_000;
  private queue: Array<{ at: number; fn: () => void }> = [];
  now = () => this.t;
  after(ms: number, fn: () => void) {
    this.queue.push({ at: this.t + ms, fn });
  }
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.t = next.at;
      next.fn();
      await Promise.resolve();
    }
    this.t = end;
  }
}

const N = 500;
const ids = Array.from({ length: N }, (_, i) => `BC-${String(i + 1).padStart(4, '0')}`);

function setup(status: (i: number) => DeviceStatus) {
  const field = new FakeChannel();
  const timers = new ManualTimers();
  const model = new BroadcastCommandsModel(field, ids, status, new Rng(11), 1, BROADCAST_ANSWERS, timers);
  const send = (pointId: string, payload: unknown) => field.handlers.get('broadcast')!(pointId, payload);
  return { field, timers, model, send };
}

describe('broadcast points answer commands', () => {
  const cmd = { broadcastId: 'B-1', text: '请注意：今晚有强降雨', priority: 'urgent', repeat: 2 };
  // 10 characters play for 3 s; twice = 6 s.

  it('online points answer after 0.5–5 s plus the playing time of every repeat, batched on broadcast-receipts; ~2.5% fail with a reason', async () => {
    const { field, timers, model, send } = setup(() => 'online');
    for (const id of ids) send(id, cmd);
    await timers.advance(6000 + 400);
    expect(field.receipts()).toEqual([]); // nobody answers before 0.5 s + playing time
    await timers.advance(5000);
    const receipts = field.receipts();
    expect(receipts).toHaveLength(N);
    expect(new Set(receipts.map((r) => r.pointId)).size).toBe(N);
    expect(field.published.every((p) => p.stream === 'broadcast-receipts')).toBe(true);
    expect(field.published.length).toBeLessThan(60); // batched, not one message per point
    const failed = receipts.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.length).toBeLessThanOrEqual(30);
    for (const r of failed) expect(r.reason).toMatch(/.+/);
    expect(model.stats).toMatchObject({ commands: N, delivered: N - failed.length, failed: failed.length, silent: 0 });
  });

  it('offline points never answer; points with a fault fail with 功放故障; unknown points are ignored', async () => {
    const { field, timers, model, send } = setup((i) => (i % 10 === 0 ? 'offline' : i % 10 === 1 ? 'fault' : 'online'));
    for (const id of ids.slice(0, 20)) send(id, cmd);
    send('BC-9999', cmd);
    send('BC-0003', { nonsense: true });
    await timers.advance(60_000);
    const byPoint = new Map(field.receipts().map((r) => [r.pointId, r]));
    expect(byPoint.has('BC-0001')).toBe(false);
    expect(byPoint.has('BC-0011')).toBe(false);
    expect(byPoint.get('BC-0002')).toMatchObject({ ok: false, reason: '功放故障' });
    expect(byPoint.size).toBe(18);
    expect(model.stats).toMatchObject({ silent: 2, unknown: 2 });
  });

  it('receipts that could not be published are sent with the next batch', async () => {
    const { field, timers, send } = setup(() => 'online');
    field.failNext = 1;
    for (const id of ids.slice(0, 5)) send(id, cmd);
    await timers.advance(30_000);
    expect(field.receipts().map((r) => r.pointId).sort()).toEqual(ids.slice(0, 5));
  });
});
