// Realtime baseline with raw `ws` (the library socket.io itself runs on; imported from the copy
// that engine.io installed). Two modes, each its own child process; argv[2] is the mode, argv[3] a
// JSON config:
//   server:  replays a delta log (per socket.io delta seen by one client: [ms offset, size of each
//            websocket frame...]), looping, broadcast to every connected client, one buffer per
//            frame shared by all sends. `frames: false` sends each delta as ONE binary message of
//            the same total size; `frames: true` sends the same frames as socket.io did (header +
//            one per binary attachment). The first frame carries Date.now() (8 bytes) and the
//            frame count (4 bytes).
//   clients: `count` raw ws clients; latency = arrival of a delta's last frame − embedded send time.
// Each prints one JSON line and exits after measureTo.
import { readFileSync } from 'node:fs';
import { WebSocket, WebSocketServer } from 'ws';

const mode = process.argv[2];
const cfg = JSON.parse(process.argv[3]) as {
  port: number;
  count: number;
  measureFrom: number;
  measureTo: number;
  logFile?: string;
  periodMs?: number;
  frames?: boolean;
};
const inWindow = (t: number) => t >= cfg.measureFrom && t < cfg.measureTo;

if (mode === 'server') {
  const log = JSON.parse(readFileSync(cfg.logFile!, 'utf8')) as number[][];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: cfg.port });
  let sent = 0;
  let sentBytes = 0;
  const start = Date.now();
  let k = 0;
  let loop = 0;
  const period = cfg.periodMs!;
  const next = () => {
    if (Date.now() >= cfg.measureTo) return finish();
    if (k >= log.length) {
      k = 0;
      loop++;
    }
    const [offset, ...sizes] = log[k];
    const wait = start + loop * period + offset - Date.now();
    if (wait > 0) return void setTimeout(next, wait);
    const frames = cfg.frames ? sizes : [sizes.reduce((a, b) => a + b, 0)];
    const bufs = frames.map((n, j) => Buffer.alloc(j === 0 ? Math.max(12, n) : n));
    bufs[0].writeDoubleLE(Date.now(), 0);
    bufs[0].writeUInt32LE(bufs.length, 8);
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) for (const b of bufs) c.send(b, { binary: true });
    if (inWindow(Date.now())) {
      sent++;
      sentBytes += bufs.reduce((a, b) => a + b.length, 0);
    }
    k++;
    setImmediate(next);
  };
  const finish = () => {
    process.stdout.write(JSON.stringify({ clients: wss.clients.size, messagesSent: sent, bytesPerMessage: sent ? Math.round(sentBytes / sent) : 0 }) + '\n');
    for (const c of wss.clients) c.terminate();
    wss.close();
    setTimeout(() => process.exit(0), 1500);
  };
  wss.on('listening', () => next());
} else {
  const latency: number[] = [];
  const bytes: number[] = new Array(cfg.count).fill(0);
  let connected = 0;
  const errors: string[] = [];
  const sockets: WebSocket[] = [];
  for (let i = 0; i < cfg.count; i++) {
    let expect = 0; // frames still to come for the current delta
    let sentAt = 0;
    const connect = (attempt: number) => {
      const ws = new WebSocket(`ws://127.0.0.1:${cfg.port}`);
      ws.on('open', () => {
        connected++;
        sockets.push(ws);
      });
      ws.on('error', (e) => {
        if (attempt < 20) setTimeout(() => connect(attempt + 1), 100); // the server may still be starting
        else if (errors.length < 5) errors.push(e.message);
      });
      ws.on('message', (data: Buffer) => {
        const now = Date.now();
        if (expect === 0) {
          sentAt = data.readDoubleLE(0);
          expect = data.readUInt32LE(8);
        }
        if (--expect === 0 && inWindow(now)) latency.push(now - sentAt);
        if (inWindow(now)) bytes[i] += data.length;
      });
    };
    connect(0);
  }
  setTimeout(() => {
    for (const s of sockets) s.terminate();
    const seconds = (cfg.measureTo - cfg.measureFrom) / 1000;
    process.stdout.write(JSON.stringify({ clients: cfg.count, connected, latencyMs: latency, bytesPerSec: bytes.map((b) => b / seconds), errors }) + '\n');
    process.exit(0);
  }, Math.max(0, cfg.measureTo + 1000 - Date.now()));
}
