// The simulator's MQTT connection, as a field gateway would hold one: telemetry and video events
// go up as QoS 1 batches on linkage/up/<gateway>/<stream> (a record counts as delivered when the
// PUBACK, sent by the server after commit, arrives), commands come down on linkage/cmd/<kind>/+,
// and rejections of our own records come back on linkage/down/<gateway>/rejected.
import { setTimeout as sleep } from 'node:timers/promises';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { commandFilter, parseTopic, rejectedTopic, uplinkTopic, type CommandKind, type UplinkStream } from '../core/field.ts';
import type { RecordError } from '../core/protocol.ts';
import type { FieldChannel } from './field.ts';
import { BatchingSender } from './transport.ts';


export interface MqttLinkOptions {
  url: string;
  gateway: string;
  key: string;
  log?: Logger;
  onFatal?: (err: Error) => void;
}

/** One authenticated connection shared by the senders and the command channel. */
export class MqttLink implements FieldChannel {
  private rejectionSinks = new Map<string, (errors: RecordError[]) => void>();
  private commandHandlers = new Map<CommandKind, (deviceId: string, payload: unknown) => void>();
  private constructor(
    readonly client: MqttClient,
    private readonly o: MqttLinkOptions,
  ) {}

  static async connect(o: MqttLinkOptions): Promise<MqttLink> {
    let client: MqttClient | undefined;
    for (let attempt = 0; !client; attempt++) {
      try {
        client = await connectAsync(o.url, { username: o.gateway, password: o.key, clientId: `linkage-sim-${o.gateway}-${process.pid}`, reconnectPeriod: 1000, connectTimeout: 10_000 }, false);
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 4 || code === 5) throw new Error(`MQTT broker ${o.url} refused gateway "${o.gateway}": check GATEWAY_NAME and GATEWAY_KEY (${(err as Error).message})`);
        if (attempt % 5 === 0) o.log?.warn({ url: o.url, err: (err as Error).message }, 'waiting for the MQTT broker');
        await sleep(1000);
      }
    }
    const link = new MqttLink(client, o);
    client.on('error', (err) => {
      const code = (err as { code?: number }).code;
      if (code === 4 || code === 5) o.onFatal?.(new Error(`MQTT broker refused gateway "${o.gateway}": ${err.message}`));
      else o.log?.warn({ err: err.message }, 'MQTT connection error');
    });
    client.on('offline', () => o.log?.warn({ url: o.url }, 'MQTT broker unreachable: messages wait for the reconnect'));
    client.on('message', (topic, payload) => link.onMessage(topic, payload));
    await client.subscribeAsync(rejectedTopic(o.gateway), { qos: 1 });
    o.log?.info({ url: o.url, gateway: o.gateway }, 'connected to the MQTT broker');
    return link;
  }

  private onMessage(topic: string, payload: Buffer): void {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.o.log?.error({ topic }, 'unreadable MQTT message');
      return;
    }
    const parsed = parseTopic(topic);
    if (parsed?.dir === 'cmd') this.commandHandlers.get(parsed.kind)?.(parsed.deviceId, body);
    else if (parsed?.dir === 'down' && parsed.what === 'rejected') {
      const r = body as { topic: string; rejected: RecordError[] };
      this.rejectionSinks.get(r.topic)?.(r.rejected ?? []);
    }
  }

  /** Where rejections of messages on `topic` are reported. */
  onRejected(topic: string, sink: (errors: RecordError[]) => void): void {
    this.rejectionSinks.set(topic, sink);
  }

  async publish(stream: UplinkStream, records: object[]): Promise<void> {
    await this.client.publishAsync(uplinkTopic(this.o.gateway, stream), JSON.stringify({ records }), { qos: 1 });
  }

  onCommand(kind: CommandKind, handler: (deviceId: string, payload: unknown) => void): void {
    this.commandHandlers.set(kind, handler);
    this.client.subscribe(commandFilter(kind), { qos: 1 }, (err) => err && this.o.log?.error({ kind, err: err.message }, 'command subscription refused'));
  }

  topic(stream: UplinkStream): string {
    return uplinkTopic(this.o.gateway, stream);
  }

  /**
   * Ends the connection. A graceful end waits for every in-flight message's PUBACK, which a broker
   * that is gone (or stuck) never sends: disconnected, the end is forced; connected, the socket is
   * dropped after 5 s (mqtt.js ignores a forced end while a graceful one is pending). Callers drain first.
   */
  async close(): Promise<void> {
    if (!this.client.connected) return void (await this.client.endAsync(true));
    if (!(await Promise.race([this.client.endAsync().then(() => true), sleep(5000, false, { ref: false })]))) this.client.stream.destroy();
  }
}

export interface MqttSenderOptions {
  maxBatch?: number;
  flushMs?: number;
  /** Messages awaiting their PUBACK at once. */
  inFlight?: number;
  maxQueued?: number;
  log?: Logger;
}

/** Batches one stream's records into QoS 1 messages; mqtt.js resends unacknowledged ones after a reconnect. */
export class MqttSender extends BatchingSender {
  private logBudget = 20;
  private readonly log?: Logger;

  constructor(
    private readonly link: MqttLink,
    private readonly stream: UplinkStream,
    opts: MqttSenderOptions = {},
  ) {
    // inFlight: messages awaiting their PUBACK at once.
    super({ maxBatch: opts.maxBatch ?? 2000, flushMs: opts.flushMs ?? 250, concurrency: opts.inFlight ?? 8, maxQueued: opts.maxQueued ?? 2_000_000, log: opts.log, what: stream });
    this.log = opts.log;
    link.onRejected(link.topic(stream), (errors) => {
      this.stats.rejected += errors.length;
      this.stats.accepted -= errors.length;
      if (this.logBudget-- > 0) opts.log?.error({ stream, rejected: errors.length, sample: errors.slice(0, 5) }, 'MQTT ingest rejected records (simulator bug)');
    });
  }

  protected async sendBatch(parts: string[]): Promise<void> {
    this.began();
    this.stats.sent += parts.length;
    this.stats.requests++;
    try {
      await this.link.client.publishAsync(this.link.topic(this.stream), `{"records":[${parts.join(',')}]}`, { qos: 1 });
      this.stats.accepted += parts.length;
    } catch (err) {
      // Only a closed client fails a QoS 1 publish; the records are lost with it.
      this.stats.failed += parts.length;
      this.log?.error({ stream: this.stream, err: (err as Error).message }, 'MQTT publish failed');
    } finally {
      this.settled();
    }
  }

  resetLogBudget(): void {
    this.logBudget = 20;
  }
}
