// The vocabulary of socket handlers. Every command a dashboard may send is declared once, in
// core/protocol.ts ClientToServerEvents; a bounded context answers some of them with a factory
// returning `Partial<ClientToServerEvents>` (typed payload in, typed ack out), and checks what each
// payload must look like. bind.ts wraps them all once: ack taken off the end of the arguments,
// rate limit, payload check, errors answered as `{ ok: false, code, message }`.
import { ERROR_CODES, type ClientToServerEvents, type ErrorCode, type Session } from '../../../core/protocol.ts';
import type { LinkageSocket } from '../hub.ts';

export type EventName = keyof ClientToServerEvents;
/** What a bounded context answers. */
export type Handlers = Partial<ClientToServerEvents>;
export type Refusal = { ok: false; code: ErrorCode; message: string };

/** The connection a factory builds its handlers for. */
export interface SocketContext {
  socket: LinkageSocket;
  session: Session;
}
/** Builds one context's handlers for a new connection. */
export type HandlerFactory = (ctx: SocketContext) => Handlers;

/** What a check sees besides the payload: the connection's session and the time the command arrived. */
export interface CheckContext {
  session: Session;
  now: number;
}
/**
 * Null when the payload is what the event declares (so the handler may trust its type), else the
 * refusal. Checks only the shape; who may do what, and where, is the handler's business.
 */
export type Check = (payload: unknown, ctx: CheckContext) => Refusal | null;
/** One entry per event: its check, or `'no payload'` for an event that takes only the ack. */
export type Checks<E extends EventName = EventName> = { readonly [K in E]: Check | 'no payload' };

export const refuse = (code: ErrorCode, message: string): Refusal => ({ ok: false, code, message });
/** A malformed command: INVALID_COMMAND with what is wrong. */
export const invalid = (message: string): Refusal => refuse(ERROR_CODES.invalidCommand, message);

/** Whether the payload is a plain object (arrays and primitives are not payloads). */
export function isPayloadObject(p: unknown): p is Record<string, unknown> {
  return !!p && typeof p === 'object' && !Array.isArray(p);
}
