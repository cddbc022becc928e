// Slow consumers: a dashboard that stops reading (a frozen tab, a dead Wi-Fi link that TCP has not
// noticed yet) would make the server queue every delta for it — Engine.IO's writeBuffer and the
// ws send buffer grow until the heartbeat gives up (pingInterval + pingTimeout, ~20 s, and then
// ws waits up to 30 s more for the closing handshake). This watchdog bounds that: a connection
// whose queued bytes exceed `maxBufferedBytes`, or whose transport has not been writable for
// `maxStalledMs`, is cut (the TCP socket is destroyed, its queue freed). The dashboard reconnects
// and resyncs from a fresh snapshot, so it loses nothing but the wait.
import type { LinkageServer } from './hub.ts';

export interface BackpressureLimits {
  /** Bytes queued for one connection (Engine.IO write buffer + ws/TCP user-space buffer). */
  maxBufferedBytes: number;
  /** How long a connection's transport may stay unwritable (a send not yet taken by the kernel). */
  maxStalledMs: number;
  /** How often connections are checked. */
  everyMs: number;
}

/**
 * Defaults; mutable so tests can tighten them before a server starts. Generous on purpose: Chromium
 * stops reading a websocket while the page's main thread is busy (flow control), and a wall screen
 * may stall for seconds (a 4K software-rendered frame, a long GC) without being a lost client.
 */
export const backpressureLimits: BackpressureLimits = { maxBufferedBytes: 16 * 1024 * 1024, maxStalledMs: 30_000, everyMs: 250 };

/** Counters for the bench and tests. */
export const backpressureStats = { cut: 0 };

/** What Engine.IO keeps to itself: its write buffer, and the ws socket under a websocket transport. */
interface EngineInternals {
  writeBuffer?: { data?: unknown }[];
  transport?: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
}

const packetBytes = (data: unknown): number =>
  typeof data === 'string' ? data.length : data && typeof (data as ArrayBufferLike).byteLength === 'number' ? (data as ArrayBufferLike).byteLength : 0;

/** Bytes queued in user space for one Engine.IO connection. */
export function queuedBytes(conn: unknown): number {
  const c = conn as EngineInternals;
  let n = 0;
  for (const p of c.writeBuffer ?? []) n += packetBytes(p.data);
  if (c.transport?.name === 'websocket') n += c.transport.socket?.bufferedAmount ?? 0;
  return n;
}

/** Starts checking every connection of `io`; returns a stop function. */
export function watchBackpressure(io: LinkageServer, limits: BackpressureLimits = backpressureLimits, log?: (msg: string) => void): () => void {
  const stalledSince = new WeakMap<object, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of io.of('/').sockets.values()) {
      const conn = socket.conn;
      if (conn.transport.writable) stalledSince.delete(conn);
      else if (!stalledSince.has(conn)) stalledSince.set(conn, now);
      const bytes = queuedBytes(conn);
      const stalledMs = now - (stalledSince.get(conn) ?? now);
      if (bytes <= limits.maxBufferedBytes && stalledMs <= limits.maxStalledMs) continue;
      backpressureStats.cut++;
      log?.(`cutting slow connection ${socket.id} (${socket.data.session?.actor.id}): ${bytes} bytes queued, not writable for ${stalledMs} ms`);
      // Destroying the socket frees its queue now; a polite close would wait for the queue to drain.
      const ws = conn.transport.name === 'websocket' ? (conn.transport as EngineInternals['transport'])?.socket : undefined;
      if (ws?.terminate) ws.terminate();
      else conn.close(true);
    }
  }, limits.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
