// Screens that survive a node's death (child of bench/cluster.ts): `count` socket.io clients through
// HAProxy, WebSocket only, reconnecting as the dashboard does (client/src/realtime/connection.ts:
// delay 500 ms up to 4 s, no page reload). Each resyncs like the dashboard: deltas before the
// connection's snapshot are set aside; after it a delta whose prevSeq is not the last seq is a gap
// (counted, then a snapshot is requested, as the dashboard does). Which node a screen is on comes
// from HAProxy's LKNODE cookie on the WebSocket upgrade answer (the screen never sends it back, so
// a reconnect is balanced afresh). Runs until SIGTERM; prints one JSON line: per outage (a
// disconnect) the node before and after, and when it reconnected, got its snapshot, applied its
// next delta; gaps, stale deltas, deltas per node.
import { NodeWebSocket } from 'engine.io-client';
import { io, type Socket } from 'socket.io-client';
import { decodeDelta, type ClientToServerEvents, type ServerToClientEvents } from '../../core/protocol.ts';

const cfg = JSON.parse(process.argv[2]) as { url: string; count: number };

// The upgrade answer is seen only by the `ws` object engine.io creates: note its cookie on the engine.
type Upgrade = { on(ev: 'upgrade', fn: (res: { headers: Record<string, string | string[] | undefined> }) => void): void };
const proto = NodeWebSocket.prototype as unknown as { createSocket(this: { socket: { lkNode?: string } }, ...a: unknown[]): Upgrade };
const create = proto.createSocket;
proto.createSocket = function (...a) {
  const ws = create.apply(this, a);
  ws.on('upgrade', (res) => {
    const m = /LKNODE=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''));
    this.socket.lkNode = m?.[1] ?? '?';
  });
  return ws;
};

interface Outage { screen: number; node: string; at: number; reason: string; reconnectAt?: number; newNode?: string; snapshotAt?: number; deltaAt?: number }
const outages: Outage[] = [];
const deltasByNode: Record<string, number> = {};
let gaps = 0;
let stale = 0;
let setAside = 0;
let connected = 0;
const gapLog: string[] = [];
const sockets: Array<Socket<ServerToClientEvents, ClientToServerEvents>> = [];
let closing = false;

for (let i = 0; i < cfg.count; i++) {
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(cfg.url, { transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 4000, timeout: 20_000 });
  sockets.push(s);
  let node = '?';
  let lastSeq = -1;
  let awaiting = true; // no snapshot yet on this connection
  let open: Outage | null = null;
  const ask = () => s.timeout(5000).emit('snapshot:request', () => undefined);
  s.on('connect', () => {
    connected++;
    node = (s.io.engine as unknown as { lkNode?: string }).lkNode ?? '?';
    awaiting = true;
    if (open) {
      open.reconnectAt = Date.now();
      open.newNode = node;
    }
    setTimeout(() => s.connected && awaiting && ask(), 1500); // the dashboard asks if none came
  });
  s.on('disconnect', (reason) => {
    if (closing) return;
    connected--;
    open = { screen: i, node, at: Date.now(), reason };
    outages.push(open);
  });
  s.on('snapshot:sent', (snap) => {
    lastSeq = snap.seq;
    awaiting = false;
    if (open && !open.snapshotAt) open.snapshotAt = Date.now();
  });
  s.on('delta:sent', (wire) => {
    const d = decodeDelta(wire);
    if (awaiting) return void setAside++;
    if (d.seq <= lastSeq) return void stale++;
    if (d.prevSeq !== lastSeq) {
      gaps++;
      if (gapLog.length < 10) gapLog.push(`screen ${i} on ${node}: prevSeq ${d.prevSeq} after ${lastSeq}`);
      awaiting = true;
      return ask();
    }
    lastSeq = d.seq;
    deltasByNode[node] = (deltasByNode[node] ?? 0) + 1;
    if (open && !open.deltaAt) {
      open.deltaAt = Date.now();
      open = null;
    }
  });
  if (i % 10 === 9) await new Promise((r) => setTimeout(r, 50));
}

process.on('SIGTERM', () => {
  closing = true;
  for (const s of sockets) s.close();
  process.stdout.write(JSON.stringify({ screens: cfg.count, connectedAtEnd: connected, gaps, stale, setAside, gapLog, deltasByNode, outages }) + '\n');
  process.exit(0);
});
