// The one wrapper around every socket handler. Socket.IO hands a listener whatever the client
// sent, so the listener registered here trusts nothing: the ack is the last argument if it is a
// function (a client that sends no payload, or junk before the ack, still gets its answer; one that
// sends no ack gets none and breaks nothing), the connection's command allowance is taken, the
// payload is checked, and only then does the typed handler run. A handler that throws or rejects
// is answered UNAVAILABLE with the error's message; the socket never goes down with it.
import { ERROR_CODES } from '../../../core/protocol.ts';
import type { CommandBucket } from '../command-limit.ts';
import { refuse, type Check, type Checks, type EventName, type Handlers, type SocketContext } from './define.ts';

export interface BindOptions {
  /** The shape of every event's payload. */
  checks: Checks;
  now: () => number;
  /** The connection's command allowance (none: unlimited) and the rate it stands for, for the refusal. */
  limit?: { bucket: CommandBucket; perSecond: number };
}

/** Registers every context's handlers on the connection, each wrapped once; an event answered twice is a bug. */
export function bindHandlers(ctx: SocketContext, contexts: readonly Handlers[], opts: BindOptions): void {
  const isEvent = (name: string): name is EventName => Object.hasOwn(opts.checks, name);
  const bound = new Set<string>();
  for (const handlers of contexts) {
    for (const [event, handler] of Object.entries(handlers)) {
      if (!handler) continue;
      if (!isEvent(event)) throw new Error(`socket event ${event} has no payload check`);
      if (bound.has(event)) throw new Error(`socket event ${event} has two handlers`);
      bound.add(event);
      ctx.socket.on(event, wrap(handler, opts.checks[event], ctx, opts));
    }
  }
}

function wrap(handler: Handlers[EventName] & object, check: Check | 'no payload', ctx: SocketContext, opts: BindOptions): (...args: unknown[]) => void {
  return (...args) => {
    const last = args[args.length - 1];
    let answered = false;
    const reply = (r: unknown): void => {
      if (answered) return;
      answered = true;
      if (typeof last === 'function') last(r);
    };
    const failed = (err: unknown) => reply(refuse(ERROR_CODES.unavailable, err instanceof Error ? err.message : String(err)));
    // Over the allowance: not run, and the sender is told why (if it asked for an answer).
    if (opts.limit && !opts.limit.bucket.take(opts.now())) {
      return reply(refuse(ERROR_CODES.rateLimited, `more than ${opts.limit.perSecond} commands a second from this screen: slow down`));
    }
    try {
      let result: unknown;
      if (check === 'no payload') result = Reflect.apply(handler, undefined, [reply]);
      else {
        const payload = typeof args[0] === 'function' ? undefined : args[0];
        const refused = check(payload, { session: ctx.session, now: opts.now() });
        if (refused) return reply(refused);
        // The check vouches for the payload's declared type.
        result = Reflect.apply(handler, undefined, [payload, reply]);
      }
      if (result instanceof Promise) result.catch(failed);
    } catch (err) {
      failed(err);
    }
  };
}
