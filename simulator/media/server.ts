// The simulator's media server: what a deployment's media gateway does for the center, with
// real video. GET /hls/<deviceId>/index.m3u8 starts one ffmpeg for that camera, lookout or
// drone on first request and serves its live HLS playlist and segments; a stream nobody asked
// for in `idleS` seconds is stopped and its files removed. GET /hls lists the running streams.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { ffmpegArgs, ffmpegPath, pictureLabel, probeTextSupport, TIME_TEXT, VIDEO_TZ, type TextSupport } from './ffmpeg.ts';

export type VideoKind = 'camera' | 'lookout' | 'drone';

export interface VideoSource {
  id: string;
  name: string;
  kind: VideoKind;
}

export interface MediaServerOptions {
  sources: Iterable<VideoSource>;
  port: number;
  host?: string;
  maxStreams: number;
  idleS: number;
  /** A stream with no request for this long is no longer watched (an HLS player asks for the
   * playlist every segment, ~1 s): when every slot is taken, the stalest such stream gives its slot
   * to a new one, as a tour moves on or a wall changes page. Default 5. */
  unwatchedS?: number;
  log: Logger;
  /** How long a first playlist request waits for ffmpeg's first segment before answering 503. */
  readyTimeoutMs?: number;
  ffmpeg?: string;
  text?: TextSupport;
  /** Where stream directories are made (default: the system temp dir). */
  workDir?: string;
}

interface Stream {
  source: VideoSource;
  dir: string;
  child: ChildProcess;
  startedAt: number;
  lastRequestAt: number;
  stderr: string;
  stopping: boolean;
}

/** Picture size by kind: lookouts are wide panoramas. */
export function pictureSize(kind: VideoKind): { width: number; height: number; fps: number } {
  return kind === 'lookout' ? { width: 1280, height: 360, fps: 15 } : { width: 640, height: 360, fps: 15 };
}

const CONTENT_TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.m4s': 'video/iso.segment', '.mp4': 'video/mp4' };
const SEGMENT_NAME = /^(init\.mp4|seg\d{5,}\.m4s)$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ffmpeg runs under a small shell that also watches the pipe to this process: when the
// simulator exits (even killed with SIGKILL) the pipe closes and ffmpeg is stopped with it, so
// no encoder (nor its files) outlives the process that started it. Closing stdin is also how a stream is stopped.
// (A background job's stdin is /dev/null in sh, hence the copy on fd 3.)
const WATCHDOG = 'exec 3<&0; "$@" </dev/null 3<&- & c=$!; (read _ <&3; kill $c 2>/dev/null; sleep 1; rm -rf "$LINKAGE_HLS_DIR") & wait $c';

export class MediaServer {
  private readonly sources = new Map<string, VideoSource>();
  private readonly streams = new Map<string, Stream>();
  private readonly server: http.Server;
  private readonly text: TextSupport;
  private readonly ffmpeg: string;
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: MediaServerOptions) {
    for (const s of opts.sources) this.sources.set(s.id, s);
    this.ffmpeg = opts.ffmpeg ?? ffmpegPath;
    this.text = opts.text ?? probeTextSupport(this.ffmpeg);
    if (!this.text.drawtext) opts.log.warn('this ffmpeg has no drawtext filter: streams show the test pattern without name and time');
    else if (!this.text.cjkFont) opts.log.warn('no CJK font found (fonts-noto-cjk): streams are labelled with the device id');
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** Listens; resolves with the port actually bound (useful with port 0). */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const every = Math.max(200, Math.min(5000, (this.opts.idleS * 1000) / 4));
    this.sweepTimer = setInterval(() => this.sweepIdle(), every);
    const port = (this.server.address() as AddressInfo).port;
    this.opts.log.info({ port, maxStreams: this.opts.maxStreams, idleS: this.opts.idleS, sources: this.sources.size, text: this.text }, 'media server listening');
    return port;
  }

  /** Stops every stream (ffmpeg killed, files removed) and the HTTP server. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await Promise.all([...this.streams.values()].map((s) => this.stopStream(s, 'media server stopping')));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Synchronous last resort for process exit: kill what is left. */
  killAll(): void {
    for (const s of this.streams.values()) {
      s.child.kill('SIGKILL');
      rmSync(s.dir, { recursive: true, force: true });
    }
    this.streams.clear();
  }

  active(): { id: string; kind: VideoKind; startedAt: number; lastRequestAt: number }[] {
    return [...this.streams.values()].map((s) => ({ id: s.source.id, kind: s.source.kind, startedAt: s.startedAt, lastRequestAt: s.lastRequestAt }));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The dashboard is served from another origin (the server's port).
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    if (req.method === 'OPTIONS') return void res.writeHead(204, { 'Access-Control-Max-Age': '600' }).end();
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.json(res, 405, { error: 'METHOD_NOT_ALLOWED', message: 'only GET' });
    const url = new URL(req.url ?? '/', 'http://media');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'hls') return this.json(res, 404, { error: 'NOT_FOUND', message: 'streams are at /hls/<deviceId>/index.m3u8' });
    if (parts.length === 1) return this.json(res, 200, { maxStreams: this.opts.maxStreams, idleS: this.opts.idleS, streams: this.active() });
    const [, id, file] = parts;
    const source = this.sources.get(id);
    if (!source) return this.json(res, 404, { error: 'UNKNOWN_DEVICE', message: `no camera, lookout or drone with id "${id}"` });
    if (parts.length !== 3 || !(file === 'index.m3u8' || SEGMENT_NAME.test(file))) {
      return this.json(res, 404, { error: 'NOT_FOUND', message: `unknown file "${parts.slice(2).join('/')}": the playlist is /hls/${id}/index.m3u8` });
    }
    let stream = this.streams.get(id);
    if (!stream) {
      if (file !== 'index.m3u8') return this.json(res, 404, { error: 'NOT_STREAMING', message: `${id} is not streaming: request /hls/${id}/index.m3u8 first` });
      if (this.closed) return this.json(res, 503, { error: 'STOPPING', message: 'the media server is stopping' });
      if (this.streams.size >= this.opts.maxStreams) await this.freeUnwatchedSlot();
      if (this.streams.size >= this.opts.maxStreams) {
        res.setHeader('Retry-After', '5');
        return this.json(res, 503, { error: 'TOO_MANY_STREAMS', message: `all ${this.opts.maxStreams} streams are in use (--max-streams); every one is being watched; close a video or wait` });
      }
      // While a slot was freed, another request may have started this very stream.
      stream = this.streams.get(id) ?? this.startStream(source);
    }
    stream.lastRequestAt = Date.now();
    if (file === 'index.m3u8') {
      const playlist = await this.readyPlaylist(stream);
      if (playlist === null) {
        res.setHeader('Retry-After', '1');
        return this.json(res, 503, { error: 'STARTING', message: `the stream of ${id} is starting; retry in a second` });
      }
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.m3u8'], 'Cache-Control': 'no-cache' });
      return void res.end(req.method === 'HEAD' ? undefined : playlist);
    }
    const full = path.join(stream.dir, file);
    let size: number;
    try {
      size = statSync(full).size;
    } catch {
      return this.json(res, 404, { error: 'GONE', message: `${file} is no longer (or not yet) in the live window of ${id}` });
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)], 'Content-Length': size, 'Cache-Control': 'max-age=30' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(full).on('error', () => res.destroy()).pipe(res);
  }

  /** Waits until ffmpeg has written a playlist with at least one segment; null on timeout or exit. */
  private async readyPlaylist(stream: Stream): Promise<string | null> {
    const deadline = Date.now() + (this.opts.readyTimeoutMs ?? 10_000);
    for (;;) {
      try {
        const text = readFileSync(path.join(stream.dir, 'index.m3u8'), 'utf8');
        // ffmpeg rewrites the playlist in place: only a complete one ends with a segment name.
        if (text.includes('#EXTINF') && /\.m4s\s*$/.test(text)) return text;
      } catch {
        // not written yet
      }
      if (stream.stopping || Date.now() > deadline) return null;
      await sleep(100);
    }
  }

  private startStream(source: VideoSource): Stream {
    const dir = mkdtempSync(path.join(this.opts.workDir ?? os.tmpdir(), `linkage-hls-${source.id}-`));
    const labelFile = path.join(dir, 'label.txt');
    const timeFile = path.join(dir, 'time.txt');
    writeFileSync(labelFile, pictureLabel(source.name, source.id, this.text));
    writeFileSync(timeFile, TIME_TEXT);
    const args = ffmpegArgs({ ...pictureSize(source.kind), labelFile, timeFile, outDir: dir, text: this.text });
    const child = spawn('sh', ['-c', WATCHDOG, 'ffmpeg', this.ffmpeg, ...args], {
      env: { ...process.env, TZ: VIDEO_TZ, LINKAGE_HLS_DIR: dir },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const stream: Stream = { source, dir, child, startedAt: Date.now(), lastRequestAt: Date.now(), stderr: '', stopping: false };
    child.stderr?.on('data', (d) => {
      stream.stderr = (stream.stderr + String(d)).slice(-2000);
    });
    child.stdin?.on('error', () => {}); // the shell may be gone already
    child.once('exit', (code, signal) => {
      if (this.streams.get(source.id) === stream) this.streams.delete(source.id);
      child.stdin?.destroy();
      rmSync(dir, { recursive: true, force: true });
      if (!stream.stopping) this.opts.log.warn({ id: source.id, code, signal, stderr: stream.stderr.split('\n').filter((l) => !/rename on non file/.test(l)).join('\n').trim() }, 'video stream ended by itself');
    });
    this.streams.set(source.id, stream);
    this.opts.log.info({ id: source.id, kind: source.kind, name: source.name, active: this.streams.size, ...pictureSize(source.kind) }, 'video stream started');
    return stream;
  }

  private async stopStream(stream: Stream, reason: string): Promise<void> {
    if (stream.stopping) return;
    stream.stopping = true;
    const exited = new Promise<void>((r) => (stream.child.exitCode !== null || stream.child.signalCode !== null ? r() : stream.child.once('exit', () => r())));
    stream.child.stdin?.end(); // the watchdog stops ffmpeg
    const timer = setTimeout(() => stream.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    if (this.streams.get(stream.source.id) === stream) this.streams.delete(stream.source.id);
    rmSync(stream.dir, { recursive: true, force: true });
    this.opts.log.info({ id: stream.source.id, reason, ranS: Math.round((Date.now() - stream.startedAt) / 1000), active: this.streams.size }, 'video stream stopped');
  }

  /** Stops the stream nobody has watched the longest, if one has been unwatched for `unwatchedS`. */
  private async freeUnwatchedSlot(): Promise<void> {
    const cutoff = Date.now() - (this.opts.unwatchedS ?? 5) * 1000;
    const stalest = [...this.streams.values()].filter((s) => !s.stopping && s.lastRequestAt < cutoff).sort((a, b) => a.lastRequestAt - b.lastRequestAt)[0];
    if (stalest) await this.stopStream(stalest, 'its slot went to a new stream (unwatched)');
  }

  private sweepIdle(): void {
    const cutoff = Date.now() - this.opts.idleS * 1000;
    for (const s of this.streams.values()) if (s.lastRequestAt < cutoff) void this.stopStream(s, `no request for ${this.opts.idleS} s`);
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}
