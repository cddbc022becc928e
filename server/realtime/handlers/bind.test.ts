// The one wrapper around socket handlers: whatever a client sends, the ack is found at the end,
// the payload is checked before the typed handler runs, the allowance is taken first, and a
// handler that throws answers UNAVAILABLE instead of taking the socket down.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../core/protocol.ts';
import { CommandBucket } from '../command-limit.ts';
import type { LinkageSocket } from '../hub.ts';
import { bindHandlers } from './bind.ts';
import type { Handlers, SocketContext } from './define.ts';
import { CHECKS } from './index.ts';

const session: Session = { actor: { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' }, scope: '340803' };

/** A socket that only registers and delivers events (all the wrapper touches). */
function fakeSocket() {
  const emitter = new EventEmitter();
  const socket = { on: (event: string, fn: (...args: unknown[]) => void) => emitter.on(event, fn), id: 's1', data: { session } };
  const send = (event: string, ...args: unknown[]) => emitter.emit(event, ...args);
  /** Sends with an ack last and resolves with what the ack was given. */
  const ask = (event: string, ...args: unknown[]) => new Promise<unknown>((resolve) => send(event, ...args, resolve));
  return { ctx: { socket: socket as unknown as LinkageSocket, session } satisfies SocketContext, send, ask, emitter };
}

const checks = CHECKS;

describe('bindHandlers', () => {
  it('finds the ack after junk, refuses a bad payload before the handler, and answers without a payload for ack-only events', async () => {
    const seen: unknown[] = [];
    const { ctx, ask } = fakeSocket();
    const handlers: Handlers = {
      'case:detail': async ({ caseId }, reply) => {
        seen.push(caseId);
        reply({ ok: false, code: 'NOT_FOUND', message: `no case ${caseId}` });
      },
      'replay:stop': (reply) => reply({ ok: true, data: null }),
    };
    bindHandlers(ctx, [handlers], { checks, now: () => 0 });
    expect(await ask('case:detail', { caseId: 'C1' }, 'junk', 42)).toEqual({ ok: false, code: 'NOT_FOUND', message: 'no case C1' });
    expect(await ask('case:detail')).toEqual({ ok: false, code: 'INVALID_COMMAND', message: 'payload must be an object with a caseId' });
    expect(await ask('case:detail', [1, 2])).toMatchObject({ ok: false, code: 'INVALID_COMMAND' });
    expect(await ask('replay:stop', { junk: true }, null)).toEqual({ ok: true, data: null });
    expect(seen).toEqual(['C1']);
  });

  it('a handler that throws or rejects answers UNAVAILABLE; one without an ack breaks nothing', async () => {
    const { ctx, ask, send } = fakeSocket();
    bindHandlers(ctx, [{
      'case:detail': async () => {
        throw new Error('store down');
      },
      'replay:range': () => {
        throw new Error('sync failure');
      },
    }], { checks, now: () => 0 });
    expect(await ask('case:detail', { caseId: 'C1' })).toEqual({ ok: false, code: 'UNAVAILABLE', message: 'store down' });
    expect(await ask('replay:range')).toEqual({ ok: false, code: 'UNAVAILABLE', message: 'sync failure' });
    expect(() => send('case:detail', { caseId: 'C1' })).not.toThrow();
    expect(() => send('replay:range')).not.toThrow();
  });

  it('takes the allowance before anything else: over it, RATE_LIMITED and the handler does not run', async () => {
    let runs = 0;
    let now = 1_000;
    const { ctx, ask } = fakeSocket();
    bindHandlers(ctx, [{ 'replay:stop': (reply) => { runs++; reply({ ok: true, data: null }); } }], {
      checks, now: () => now, limit: { bucket: new CommandBucket(2, 6, now), perSecond: 2 },
    });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await ask('replay:stop'));
    expect(runs).toBe(6);
    expect(answers[6]).toEqual({ ok: false, code: 'RATE_LIMITED', message: 'more than 2 commands a second from this screen: slow down' });
    now += 1_000;
    expect(await ask('replay:stop')).toEqual({ ok: true, data: null });
  });

  it('refuses to bind one event twice', () => {
    const { ctx } = fakeSocket();
    const stop: Handlers = { 'replay:stop': (reply) => reply({ ok: true, data: null }) };
    expect(() => bindHandlers(ctx, [stop, stop], { checks, now: () => 0 })).toThrow('replay:stop has two handlers');
  });
});
