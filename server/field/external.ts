// Ingest from an external broker (Mosquitto, EMQX): the server subscribes to every gateway's
// uplink through a shared subscription, so several ingest nodes split the load, and acknowledges
// a message only after its records are committed (mqtt.js sends the PUBACK when handleMessage
// calls back). Gateways authenticate against the broker, whose ACL must restrict each gateway to
// linkage/up/<its username>/ (README shows a Mosquitto ACL); the topic then names the gateway.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectAsync, type MqttClient } from 'mqtt';
import type { FastifyBaseLogger } from 'fastify';
import { parseTopic, rejectedTopic, TOPIC_ROOT } from '../../core/field.ts';
import type { UplinkRouter } from './uplink.ts';

export interface ExternalBrokerOptions {
  url: string;
  username?: string;
  password?: string;
  /** Shared-subscription group: every ingest node of one deployment uses the same one. */
  shareGroup: string;
  /** A stable id per node, so the broker keeps its session (and unacknowledged messages) across restarts. */
  clientId?: string;
  router: UplinkRouter;
  log: FastifyBaseLogger;
}

export class ExternalBroker {
  private client!: MqttClient;

  constructor(private readonly o: ExternalBrokerOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const { router, log } = this.o;
    const clientId = this.o.clientId ?? `linkage-ingest-${os.hostname()}`.slice(0, 64);
    this.client = await connectAsync(this.o.url, {
      clientId, clean: false, username: this.o.username, password: this.o.password, reconnectPeriod: 2000, connectTimeout: 10_000,
    });
    this.client.on('error', (error) => log.error({ err: error.message }, 'MQTT broker connection error'));
    this.client.on('reconnect', () => log.warn({ url: this.o.url }, 'MQTT broker: reconnecting'));
    this.client.handleMessage = (packet, callback) => {
      const parsed = parseTopic(packet.topic);
      if (!parsed || parsed.dir !== 'up') return callback(); // not ours: acknowledge and ignore
      router.handle(parsed.gateway, packet.topic, packet.payload as Buffer).then(
        (outcome) => {
          if (outcome.rejected.length > 0) void this.publish(rejectedTopic(parsed.gateway), { topic: packet.topic, rejected: outcome.rejected }).catch(() => {});
          callback();
        },
        (error: Error) => {
          // Not committed: drop the connection without a PUBACK; the broker redelivers to the session.
          log.error({ topic: packet.topic, err: error.message }, 'MQTT message not committed: reconnecting without acknowledging it');
          this.client.stream.destroy();
        },
      );
    };
    const filter = `$share/${this.o.shareGroup}/${TOPIC_ROOT}/up/+/+`;
    const granted = await this.client.subscribeAsync(filter, { qos: 1 });
    if (granted.some((g) => g.qos > 2)) throw new Error(`the MQTT broker refused the subscription ${filter}: check the server user's ACL`);
    log.info({ url: this.o.url, filter, clientId }, 'subscribed to the external MQTT broker');
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  }

  /**
   * A graceful end waits for PUBACKs a gone (or stuck) broker never sends: disconnected, the end is
   * forced; connected, the socket is dropped after 5 s (mqtt.js ignores a forced end while a graceful one is pending).
   */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (!client.connected) return void (await client.endAsync(true));
    if (!(await Promise.race([client.endAsync().then(() => true), sleep(5000, false, { ref: false })]))) client.stream.destroy();
  }
}
