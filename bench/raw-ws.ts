// Realtime baseline with raw `ws` (the library socket.io itself runs on; imported from the copy
// that engine.io installed). Two modes, each its own child process; argv[2] is the mode, argv[3] a
// JSON config:
//   server:  replays a delta log ([ms offset, bytes] per socket.io delta seen by one client),
//            looping, as one binary message per delta with Date.now() in its first 8 bytes,
//            broadcast to every connected client (one buffer shared by all sends).
//   clients: `count` raw ws clients; latency = receive time − embedded send time; payload bytes.
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
};
const inWindow = (t: number) => t >= cfg.measureFrom && t < cfg.measureTo;

if (mode === 'server') {
  const log = JSON.parse(readFileSync(cfg.logFile!, 'utf8')) as Array<[number, number]>;
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
    const due = start + loop * period + log[k][0];
    const wait = due - Date.now();
    if (wait > 0) return void setTimeout(next, wait);
    const buf = Buffer.alloc(Math.max(8, log[k][1]));
    buf.writeDoubleLE(Date.now(), 0);
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(buf, { binary: true });
    if (inWindow(Date.now())) {
      sent++;
      sentBytes += buf.length;
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
  wss.on('listening', () => {
    process.stderr.write(`raw ws server listening on ${cfg.port}\n`);
    next();
  });
} else {
  const latency: number[] = [];
  const bytes: number[] = new Array(cfg.count).fill(0);
  let connected = 0;
  const errors: string[] = [];
  const sockets: WebSocket[] = [];
  for (let i = 0; i < cfg.count; i++) {
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
        if (!inWindow(now)) return;
        bytes[i] += data.length;
        latency.push(now - data.readDoubleLE(0));
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
