// The embedded MQTT broker (aedes) on its own TCP port: gateways authenticate with their name and
// gateway key, may publish only under linkage/up/<name>/ and subscribe only to their own down
// topics and to device commands. An uplink message is committed inside authorizePublish, because
// aedes writes the QoS 1 PUBACK right after that callback: the PUBACK therefore means "committed".
// Every connection passes a PacketGuard (packet-guard.ts), which bounds packet sizes and login time.
import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { Aedes, type Client } from 'aedes';
import type { FastifyBaseLogger } from 'fastify';
import { rejectedTopic, TOPIC_ROOT } from '../../core/field.ts';
import type { UplinkRouter } from './uplink.ts';
import { DEFAULT_PACKET_LIMITS, PacketGuard, type CutReason, type PacketLimits } from './packet-guard.ts';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** Gateway name by key (the same keys as HTTP ingest). */
  gatewayKeys: ReadonlyMap<string, string>;
  router: UplinkRouter;
  log: FastifyBaseLogger;
  /** Defaults: packet-guard.ts, with MQTT_CONNECT_TIMEOUT_MS from the environment. */
  limits?: Partial<PacketLimits>;
}

/** Name of the gateway a key belongs to, compared in constant time. */
function gatewayOf(keys: ReadonlyMap<string, string>, username: string | undefined, password: Buffer | undefined): string | null {
  if (!username || !password) return null;
  for (const [key, name] of keys) {
    const k = Buffer.from(key);
    if (name === username && k.length === password.length && timingSafeEqual(k, password)) return name;
  }
  return null;
}

const gatewayName = new WeakMap<Client, string>();

/** Where gateway publishes end up after the server has handled them: outside every topic a gateway may subscribe to. */
const SINK_TOPIC = `${TOPIC_ROOT}/handled`;

export class EmbeddedBroker {
  private broker!: Aedes;
  private server!: net.Server;
  private readonly limits: PacketLimits;
  private readonly guards = new WeakMap<object, PacketGuard>();
  private cutLogs = { windowStart: 0, left: 0 };
  connections = 0;
  /** Connections the guard cut, by reason. */
  readonly connectionsCut: Record<CutReason, number> = { notMqtt: 0, tooLarge: 0, connectTimeout: 0 };

  constructor(private readonly o: EmbeddedBrokerOptions) {
    this.limits = { ...DEFAULT_PACKET_LIMITS, ...o.limits };
  }

  async start(): Promise<{ port: number }> {
    const { router, log } = this.o;
    this.broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const name = gatewayOf(this.o.gatewayKeys, username, password);
        if (!name) {
          log.warn({ clientId: client.id, username }, 'MQTT login refused');
          const error = Object.assign(new Error('bad gateway name or key'), { returnCode: 4 as const });
          return done(error, false);
        }
        gatewayName.set(client, name);
        this.guards.get(client.conn)?.accepted();
        done(null, true);
      },
      authorizeSubscribe: (client, sub, done) => {
        const name = gatewayName.get(client);
        const own = `${TOPIC_ROOT}/down/${name}/`;
        const ok = sub.topic.startsWith(own) || sub.topic.startsWith(`${TOPIC_ROOT}/cmd/`);
        if (!ok) log.warn({ gateway: name, topic: sub.topic }, 'MQTT subscription refused');
        done(null, ok ? sub : null); // null: the SUBACK grants 128 (refused) for this topic
      },
      authorizePublish: (client, packet, done) => {
        if (!client) return done(null); // the server's own publishes
        const name = gatewayName.get(client)!;
        const { topic } = packet;
        // Everything a gateway publishes is for the server alone: once handled (or refused), aedes would
        // still forward it to subscribers of its topic, so a gateway could send commands to devices on
        // linkage/cmd/... or forge another gateway's rejections (and retain them for later subscribers).
        // It goes to a topic nobody may subscribe to instead, never retained.
        packet.topic = SINK_TOPIC;
        packet.retain = false;
        router.handle(name, topic, packet.payload as Buffer).then(
          (outcome) => {
            if (outcome.rejected.length > 0) this.publish(rejectedTopic(name), { topic, rejected: outcome.rejected });
            done(null);
          },
          (error: Error) => {
            // Not committed: no PUBACK. aedes closes the connection; the gateway resends after reconnecting.
            log.error({ gateway: name, topic, err: error.message }, 'MQTT message not committed: connection closed so the gateway resends');
            done(error);
          },
        );
      },
    });
    this.broker.on('client', () => this.connections++);
    this.broker.on('clientDisconnect', () => this.connections--);
    this.broker.on('clientError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'MQTT client error'));
    this.server = net.createServer((socket) => {
      this.guards.set(socket, new PacketGuard(socket, this.limits, (reason, detail) => this.onCut(socket, reason, detail)));
      this.broker.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => resolve());
    });
    return { port: (this.server.address() as net.AddressInfo).port };
  }

  private onCut(socket: net.Socket, reason: CutReason, detail: string): void {
    this.connectionsCut[reason]++;
    // At most 50 lines a minute: a flood of bad connections must not flood the log too.
    const now = Date.now();
    if (now - this.cutLogs.windowStart > 60_000) this.cutLogs = { windowStart: now, left: 50 };
    if (this.cutLogs.left-- > 0) this.o.log.warn({ remote: socket.remoteAddress, reason, detail, cut: this.connectionsCut }, 'MQTT connection cut');
  }

  publish(topic: string, payload: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.broker.publish(
        { cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  /** Closes the connections of a gateway whose key was revoked; returns how many. */
  disconnectGateway(name: string): number {
    let n = 0;
    for (const client of Object.values((this.broker as unknown as { clients: Record<string, Client> }).clients)) {
      if (gatewayName.get(client) === name) {
        client.close();
        n++;
      }
    }
    return n;
  }

  /** Stops taking connections and closes the clients (their unacknowledged messages come again later). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
