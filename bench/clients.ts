// Measuring clients child process: `count` socket.io-client connections (websocket transport).
// Per client: bytes received on the underlying ws (payload bytes from 'message', wire bytes from
// the TCP socket), probe-case latency (first arrival by case:reported or whole in a delta − case.reportedAt,
// the load generator's send time), delta delivery latency (receive time − delta.serverTime, the hub's emit time), seq gaps.
// The first client (when recordDeltas) logs each delta's total size and arrival time for the raw
// ws replay. argv[2]: JSON config. Prints one JSON line, then exits.
// Start-up: the clients connect (at most CONNECTING handshakes at a time, a failed one tried again)
// until each has its snapshot or `connectS` has passed; the process then writes `readyFile` and
// waits for the parent's `goFile` ({measureFrom, measureTo}), written once every clients process
// is ready, so the load meets every screen that could connect and the window is known only then.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { decodeDelta, type ClientToServerEvents, type ServerToClientEvents } from '../core/protocol.ts';
import { exitAfterOutput } from './exit.ts';

type LinkageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;


interface Config {
  url: string;
  count: number;
  probePrefix: string;
  recordDeltas: boolean;
  /** Seconds to connect every client and take its snapshot; whoever has not by then is reported. */
  connectS: number;
  readyFile: string;
  goFile: string;
}
const cfg = JSON.parse(process.argv[2]) as Config & { measureFrom: number; measureTo: number };
/** The measurement window, from the parent's go file (none until then). */
cfg.measureFrom = Infinity;
cfg.measureTo = Infinity;
/** Handshakes in flight at once: a thousand at once time out while the server builds their snapshots. */
const CONNECTING = 20;
const CONNECT_TRIES = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
/** Clients that had a snapshot (each counted once). */
let connected = 0;
let connectRetries = 0;
/** Clients that had their first snapshot before the window was set. */
let snapshotsBeforeLoad = 0;
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
  wireReaders[i] = sock;
}
/** Clients that had their snapshot: only they count in the per-client figures. */
const hasSnapshot: boolean[] = new Array(cfg.count).fill(false);
/** Per client, the TCP bytes its websocket has read so far (sampled at the window's edges). */
const wireReaders: Array<() => number> = new Array(cfg.count).fill(() => 0);

/** Connects client i; resolves true once its first snapshot arrived, false when it could not connect. */
function connectClient(i: number, tries = 1): Promise<boolean> {
  const socket: LinkageSocket = io(cfg.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
  let lastSeq = -1;
  let settle: (ok: boolean | Promise<boolean>) => void = () => {};
  const settled = new Promise<boolean>((resolve) => (settle = resolve));
  socket.io.on('open', () => hook(i, socket)); // before the CONNECT packet, so the snapshot is seen whole
  socket.on('disconnect', (reason) => {
    if (closing) return;
    disconnects++;
    const when = cfg.measureFrom === Infinity ? 'before the window' : `at ${Date.now() - cfg.measureFrom} ms of the window`;
    if (errors.length < 5) errors.push(`client ${i} disconnected ${when}: ${reason}`);
  });
  socket.on('connect_error', (e) => {
    socket.close();
    if (tries < CONNECT_TRIES) {
      connectRetries++;
      settle(connectClient(i, tries + 1));
      return;
    }
    if (errors.length < 5) errors.push(`client ${i}: ${e.message} (${tries} tries)`);
    settle(false);
  });
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
    if (!hasSnapshot[i]) {
      connected++;
      hasSnapshot[i] = true;
      if (cfg.measureFrom === Infinity) snapshotsBeforeLoad++;
      settle(true);
    }
    lastSeq = s.seq;
  });
  socket.on('delta:sent', (wire) => {
    // The server flushes pending changes to the room just before a newcomer's snapshot: like the
    // dashboard, a client without its snapshot yet sets such a delta aside.
    if (!hasSnapshot[i]) return;
    const now = Date.now();
    if (i === 0 && inWindow(now)) {
      for (const [k, v] of Object.entries(wire)) addPart(`delta.${k}`, ArrayBuffer.isView(v) || v instanceof ArrayBuffer ? size(v) : JSON.stringify(v).length + k.length + 4);
    }
    const d = decodeDelta(wire); // a real dashboard decodes every delta, so the bench does too
    if (d.prevSeq !== lastSeq) seqGaps++;
    lastSeq = d.seq;
    if (!inWindow(now)) return;
    deltas++;
    deliveryMs.push(now - d.serverTime);
    for (const c of d.cases) probe(c, now);
  });
  sockets.push(socket);
  return settled;
}

// Connect everyone, CONNECTING at a time, within connectS.
const connectStart = Date.now();
const connectDeadline = connectStart + cfg.connectS * 1000;
let nextClient = 0;
await Promise.all(
  Array.from({ length: Math.min(CONNECTING, cfg.count) }, async () => {
    while (nextClient < cfg.count && Date.now() < connectDeadline) {
      const i = nextClient++;
      await Promise.race([connectClient(i), sleep(Math.max(0, connectDeadline - Date.now()))]);
    }
  }),
);
const connectSeconds = (Date.now() - connectStart) / 1000;
writeFileSync(cfg.readyFile, JSON.stringify({ requested: cfg.count, snapshots: snapshotsBeforeLoad, connectSeconds }));
while (!existsSync(cfg.goFile)) await sleep(50);
const go = JSON.parse(readFileSync(cfg.goFile, 'utf8')) as { measureFrom: number; measureTo: number };
cfg.measureFrom = go.measureFrom;
cfg.measureTo = go.measureTo;
setTimeout(() => wireReaders.forEach((read, i) => (wireAtFrom[i] = read())), Math.max(0, cfg.measureFrom - Date.now()));
setTimeout(() => wireReaders.forEach((read, i) => (wireAtTo[i] = read())), Math.max(0, cfg.measureTo - Date.now()));

await new Promise((r) => setTimeout(r, Math.max(0, cfg.measureTo + 1500 - Date.now())));
const connectedAtEnd = sockets.filter((s) => s.connected).length;
closing = true;
for (const s of sockets) s.close();
const seconds = (cfg.measureTo - cfg.measureFrom) / 1000;
process.stdout.write(
  JSON.stringify({
    clients: cfg.count,
    connected,
    snapshotsBeforeLoad,
    connectSeconds,
    connectRetries,
    connectedAtEnd,
    deltas,
    seqGaps,
    disconnects,
    probeMs,
    deliveryMs,
    bytesPerSec: bytes.flatMap((b, i) => (hasSnapshot[i] ? [b / seconds] : [])),
    wireBytesPerSec: wireAtTo.flatMap((b, i) => (hasSnapshot[i] ? [(b - wireAtFrom[i]) / seconds] : [])),
    deltaLog,
    snapshotBytes,
    partBytesPerSec: Object.fromEntries(Object.entries(partBytes).map(([k, n]) => [k, Math.round(n / seconds)])),
    errors,
  }) + '\n',
);
exitAfterOutput(0);
