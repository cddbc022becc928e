// Measuring clients child process: `count` socket.io-client connections (websocket transport).
// Per client: bytes received on the underlying ws (payload bytes from 'message', wire bytes from
// the TCP socket), probe-case latency (first arrival by case:reported or whole in a delta − case.reportedAt,
// the load generator's send time), delta delivery latency (receive time − delta.serverTime, the hub's emit time), seq gaps.
// The first client (when recordDeltas) logs each delta's total size and arrival time for the raw
// ws replay. argv[2]: JSON config. Prints one JSON line, then exits.
import { io, type Socket } from 'socket.io-client';
import { decodeDelta, type ClientToServerEvents, type ServerToClientEvents } from '../core/protocol.ts';
import { exitAfterOutput } from './exit.ts';

type LinkageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;


interface Config {
  url: string;
  count: number;
  measureFrom: number;
  measureTo: number;
  probePrefix: string;
  recordDeltas: boolean;
}
const cfg = JSON.parse(process.argv[2]) as Config;

const probeMs: number[] = [];
const deliveryMs: number[] = [];
const bytes: number[] = new Array(cfg.count).fill(0);
const wireAtFrom: number[] = new Array(cfg.count).fill(0);
const wireAtTo: number[] = new Array(cfg.count).fill(0);
const deltaLog: number[][] = []; // [ms since measureFrom, size of each websocket frame of the delta...]
let deltas = 0;
let disconnects = 0;
let closing = false;
let snapshotBytes = 0;
/** Client 0's bytes per second by what they carried: each top-level field of a delta as JSON, the packed binary blob, and each other event. */
const partBytes: Record<string, number> = {};
const addPart = (k: string, n: number) => (partBytes[k] = (partBytes[k] ?? 0) + n);
let seqGaps = 0;
let connected = 0;
const errors: string[] = [];
const sockets: LinkageSocket[] = [];
const inWindow = (t: number) => t >= cfg.measureFrom && t < cfg.measureTo;
const size = (d: unknown) => (typeof d === 'string' ? Buffer.byteLength(d) : Array.isArray(d) ? d.reduce((s, b) => s + b.length, 0) : ((d as ArrayBuffer | Buffer).byteLength ?? 0));

interface RawWs {
  on(ev: 'message', fn: (data: unknown, isBinary: boolean) => void): void;
  _socket?: { bytesRead: number };
}

function hook(i: number, socket: LinkageSocket): void {
  const ws = (socket.io.engine.transport as unknown as { ws?: RawWs }).ws;
  if (!ws) {
    errors.push(`client ${i}: no underlying ws`);
    return;
  }
  // Client 0 groups frames into socket.io packets: a text header `45<N>-["event",...` followed
  // by N binary attachment frames (`42[...` when there are none).
  let group = -1;
  let groupBytes = 0;
  let groupFrames: number[] = [];
  let groupAt = 0;
  let groupEvent = '';
  const done = () => {
    if (groupEvent === 'snapshot:sent' && snapshotBytes === 0) snapshotBytes = groupBytes;
    if (groupEvent === 'delta:sent' && cfg.recordDeltas && inWindow(groupAt)) deltaLog.push([groupAt - cfg.measureFrom, ...groupFrames]);
  };
  ws.on('message', (data, isBinary) => {
    const now = Date.now();
    const n = size(data);
    if (inWindow(now)) bytes[i] += n;
    if (i !== 0) return;
    if (!isBinary) {
      const head = (data as Buffer).subarray(0, 48).toString();
      const m = /^4[25](\d*)-?\["([a-z:]+)"/.exec(head);
      if (!m) return;
      groupAt = now;
      groupBytes = n;
      groupFrames = [n];
      groupEvent = m[2];
      group = m[1] ? Number(m[1]) : 0;
      if (group === 0) done();
    } else if (group > 0) {
      groupBytes += n;
      groupFrames.push(n);
      if (--group === 0) done();
    }
  });
  const sock = () => ws._socket?.bytesRead ?? 0;
  setTimeout(() => (wireAtFrom[i] = sock()), Math.max(0, cfg.measureFrom - Date.now()));
  setTimeout(() => (wireAtTo[i] = sock()), Math.max(0, cfg.measureTo - Date.now()));
}

for (let i = 0; i < cfg.count; i++) {
  const socket: LinkageSocket = io(cfg.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
  sockets.push(socket);
  let lastSeq = -1;
  socket.io.on('open', () => hook(i, socket)); // before the CONNECT packet, so the snapshot is seen whole
  socket.on('connect', () => connected++);
  socket.on('disconnect', (reason) => {
    if (closing) return;
    disconnects++;
    if (errors.length < 5) errors.push(`client ${i} disconnected at ${Date.now() - cfg.measureFrom} ms of the window: ${reason}`);
  });
  socket.on('connect_error', (e) => errors.length < 5 && errors.push(`client ${i}: ${e.message}`));
  // A new case reaches a screen once: by case:reported, or whole in a delta when none was announced.
  const probesSeen = new Set<string>();
  const probe = (c: { id: string; version: number; reportedAt: number }, now: number) => {
    if (!c.id.startsWith(cfg.probePrefix) || probesSeen.has(c.id)) return;
    probesSeen.add(c.id);
    if (c.reportedAt >= cfg.measureFrom && c.reportedAt < cfg.measureTo && inWindow(now)) probeMs.push(now - c.reportedAt);
  };
  socket.on('case:reported', (c) => probe(c, Date.now()));
  if (i === 0) {
    for (const ev of ['case:reported', 'alarm:raised', 'whistle:blown'] as const) {
      socket.on(ev, (x: unknown) => {
        if (inWindow(Date.now())) addPart(ev, JSON.stringify(x).length);
      });
    }
  }
  socket.on('snapshot:sent', (s) => {
    lastSeq = s.seq;
  });
  socket.on('delta:sent', (wire) => {
    const now = Date.now();
    if (i === 0 && inWindow(now)) {
      for (const [k, v] of Object.entries(wire)) addPart(`delta.${k}`, ArrayBuffer.isView(v) || v instanceof ArrayBuffer ? size(v) : JSON.stringify(v).length + k.length + 4);
    }
    const d = decodeDelta(wire); // a real dashboard decodes every delta, so the bench does too
    if (lastSeq >= 0 && d.prevSeq !== lastSeq) seqGaps++;
    lastSeq = d.seq;
    if (!inWindow(now)) return;
    deltas++;
    deliveryMs.push(now - d.serverTime);
    for (const c of d.cases) probe(c, now);
  });
  if (i % 10 === 9) await new Promise((r) => setTimeout(r, 20));
}

await new Promise((r) => setTimeout(r, Math.max(0, cfg.measureTo + 1500 - Date.now())));
closing = true;
for (const s of sockets) s.close();
const seconds = (cfg.measureTo - cfg.measureFrom) / 1000;
process.stdout.write(
  JSON.stringify({
    clients: cfg.count,
    connected,
    deltas,
    seqGaps,
    disconnects,
    probeMs,
    deliveryMs,
    bytesPerSec: bytes.map((b) => b / seconds),
    wireBytesPerSec: wireAtTo.map((b, i) => (b - wireAtFrom[i]) / seconds),
    deltaLog,
    snapshotBytes,
    partBytesPerSec: Object.fromEntries(Object.entries(partBytes).map(([k, n]) => [k, Math.round(n / seconds)])),
    errors,
  }) + '\n',
);
exitAfterOutput(0);
