// Bounds what one MQTT connection can make the embedded broker hold. mqtt-packet (aedes's parser)
// keeps every byte of a packet until all of it has arrived and has no size limit, so a client that
// declares a 200 MB packet gets 200 MB buffered. The guard decodes each packet's fixed header (type
// byte, then the "remaining length" varint) from the socket's bytes as they arrive, before aedes
// parses them, and destroys the socket as soon as a declared length is over the bound: the body is
// never waited for. It also cuts connections that do not log in in time or do not speak MQTT.
import type net from 'node:net';

/** Before login only a CONNECT may come: client id, gateway name and key (and a will, if any) fit in a few KB. */
export const MAX_PACKET_BEFORE_LOGIN = 16 * 1024;
/**
 * After login: an uplink batch (up to 10,000 records) as large as an HTTP ingest body may be
 * (`bodyLimit` in server/routes/ingest.ts: 32 MiB), plus room for the topic around the payload.
 */
export const MAX_PACKET_AFTER_LOGIN = 32 * 1024 * 1024 + 64 * 1024;
export const CONNECT_TIMEOUT_MS = 10_000;

export interface PacketLimits {
  /** Largest remaining length (bytes after the fixed header) of a packet read before login. */
  maxBeforeLogin: number;
  /** The same after login. */
  maxAfterLogin: number;
  /** Time from TCP connect to an accepted login; then the connection is cut. */
  connectTimeoutMs: number;
}

export type CutReason = 'notMqtt' | 'tooLarge' | 'connectTimeout';

/** The limits a broker starts with; MQTT_CONNECT_TIMEOUT_MS reaches it through the config (server/config.ts). */
export const DEFAULT_PACKET_LIMITS: PacketLimits = { maxBeforeLogin: MAX_PACKET_BEFORE_LOGIN, maxAfterLogin: MAX_PACKET_AFTER_LOGIN, connectTimeoutMs: CONNECT_TIMEOUT_MS };

/** CONNECT (type 1, flags 0): the only valid first byte of an MQTT connection. */
const CONNECT = 0x10;

export class PacketGuard {
  private loggedIn = false;
  private cut = false;
  private first = true;
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly socket: net.Socket,
    private readonly limits: PacketLimits,
    private readonly onCut: (reason: CutReason, detail: string) => void,
  ) {
    // aedes pulls with read(), which emits 'data' before aedes parses the chunk: the guard sees every byte first.
    socket.on('data', (chunk: Buffer) => this.inspect(chunk));
    this.timer = setTimeout(() => this.stop('connectTimeout', `no accepted login within ${limits.connectTimeoutMs} ms`), limits.connectTimeoutMs);
    socket.once('close', () => clearTimeout(this.timer));
  }

  /** The CONNECT was accepted: larger packets are allowed from now on, and the login clock stops. */
  accepted(): void {
    this.loggedIn = true;
    clearTimeout(this.timer);
  }

  private inspect(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && !this.cut) {
      if (this.state === 'body') {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++];
      if (this.state === 'type') {
        if (this.first && byte !== CONNECT) return this.stop('notMqtt', `first byte 0x${byte.toString(16).padStart(2, '0')} is not a CONNECT`);
        this.first = false;
        this.state = 'length';
        this.length = 0;
        this.lengthBytes = 0;
        continue;
      }
      // Remaining length: 7 bits a byte, least significant first, at most 4 bytes. A partial value
      // only grows, so it is checked at every byte.
      this.length += (byte & 0x7f) * 128 ** this.lengthBytes++;
      const max = this.loggedIn ? this.limits.maxAfterLogin : this.limits.maxBeforeLogin;
      if (this.length > max) return this.stop('tooLarge', `packet declares at least ${this.length} bytes, more than ${max}${this.loggedIn ? '' : ' before login'}`);
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return this.stop('notMqtt', 'remaining length longer than 4 bytes');
        continue;
      }
      this.bodyLeft = this.length;
      this.state = this.length > 0 ? 'body' : 'type';
    }
  }

  private stop(reason: CutReason, detail: string): void {
    if (this.cut || this.socket.destroyed) return;
    this.cut = true;
    clearTimeout(this.timer);
    this.onCut(reason, detail);
    this.socket.destroy();
  }
}
