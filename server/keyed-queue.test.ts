import { describe, expect, it } from 'vitest';
import { KeyedQueue, SerialQueue } from './keyed-queue.ts';

const tick = () => new Promise<void>((r) => setImmediate(r));

/** A task that records its start and end and finishes when `release` is called. */
function gate(log: string[], name: string) {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    release = () => resolve(name);
    fail = reject;
  });
  const task = async () => {
    log.push(`start ${name}`);
    try {
      return await done;
    } finally {
      log.push(`end ${name}`);
    }
  };
  return { task, release: () => release(), fail: (e: Error) => fail(e) };
}

describe('KeyedQueue', () => {
  it('runs the tasks of one key one after the other, in order', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const pa = q.run('k', a.task);
    const pb = q.run('k', b.task);
    await tick();
    expect(log).toEqual(['start a']);
    b.release(); // b cannot finish before it has started
    await tick();
    expect(log).toEqual(['start a']);
    a.release();
    expect(await pa).toBe('a');
    expect(await pb).toBe('b');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('runs tasks of different keys concurrently', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const pa = q.run('x', a.task);
    const pb = q.run('y', b.task);
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.release();
    expect(await pb).toBe('b');
    a.release();
    expect(await pa).toBe('a');
  });

  it('a failure is its own caller\'s: the next task of the key still runs', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    const pa = q.run('k', a.task);
    const pb = q.run('k', async () => 'b');
    const pc = q.run('k', () => {
      throw new Error('sync throw');
    });
    const pd = q.run('k', async () => 'd');
    a.fail(new Error('boom'));
    await expect(pa).rejects.toThrow('boom');
    expect(await pb).toBe('b');
    await expect(pc).rejects.toThrow('sync throw');
    expect(await pd).toBe('d');
  });

  it('forgets a key once its work has settled', async () => {
    const q = new KeyedQueue<number>();
    const log: string[] = [];
    const a = gate(log, 'a');
    const pa = q.run(1, a.task);
    const pb = q.run(2, async () => 'b');
    expect(q.size).toBe(2);
    await pb;
    await tick();
    expect(q.size).toBe(1);
    a.release();
    await pa;
    await tick();
    expect(q.size).toBe(0);
  });
});

describe('SerialQueue', () => {
  it('runs every task after the previous one', async () => {
    const q = new SerialQueue();
    const order: number[] = [];
    const runs = [30, 10, 20].map((ms, i) => q.run(() => new Promise<number>((r) => setTimeout(() => (order.push(i), r(i)), ms))));
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(order).toEqual([0, 1, 2]);
  });
});
