// Infrastructure plugin: the MQTT side of the field link. By default an embedded broker (aedes)
// listens on MQTT_PORT; with MQTT_URL the server instead subscribes to an external broker. Either
// way contexts see only `app.field` (server/field/link.ts): uplink handlers and command publishing.
import fp from 'fastify-plugin';
import type { UplinkStream } from '../../core/field.ts';
import type { FieldLink, UplinkHandler } from '../field/link.ts';
import { UplinkRouter, type UplinkStats } from '../field/uplink.ts';
import { EmbeddedBroker } from '../field/embedded.ts';
import { ExternalBroker } from '../field/external.ts';

export interface FieldStatus extends UplinkStats {
  mode: 'embedded' | 'external' | 'off';
  /** Embedded broker: its port; external: the broker URL. */
  port: number | null;
  url: string | null;
  connections: number | null;
  connected: boolean;
  commandsPublished: number;
  /** Embedded broker: connections cut before or while reading an oversized or invalid packet, by reason. */
  connectionsCut: Record<string, number> | null;
}

export interface Field extends FieldLink {
  status(): FieldStatus;
  /** Closes the MQTT connections of a gateway (its key was revoked); 0 with an external broker, which checks keys itself. */
  disconnectGateway(name: string): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    field: Field;
  }
}

export interface FieldPluginOptions {
  gatewayKeys: ReadonlyMap<string, string>;
  host: string;
  /** Embedded broker port (0: any free port); null: no embedded broker. */
  port: number | null;
  /** External broker URL; when set, no embedded broker runs. */
  url: string | null;
  username?: string;
  password?: string;
  shareGroup: string;
  clientId?: string;
  /** Embedded broker: how long a new connection has to log in. */
  connectTimeoutMs?: number;
}

export const fieldPlugin = fp<FieldPluginOptions>(
  async (app, opts) => {
    const router = new UplinkRouter(app.log);
    const embedded = !opts.url && opts.port !== null ? new EmbeddedBroker({ host: opts.host, port: opts.port, gatewayKeys: opts.gatewayKeys, router, log: app.log, ...(opts.connectTimeoutMs ? { limits: { connectTimeoutMs: opts.connectTimeoutMs } } : {}) }) : null;
    const external = opts.url ? new ExternalBroker({ url: opts.url, username: opts.username, password: opts.password, shareGroup: opts.shareGroup, clientId: opts.clientId, router, log: app.log }) : null;
    let port: number | null = null;
    let published = 0;
    const field: Field = {
      onUplink: (stream: UplinkStream, handler: UplinkHandler) => router.on(stream, handler),
      publish: async (topic, payload) => {
        if (embedded) await embedded.publish(topic, payload);
        else if (external) await external.publish(topic, payload);
        else throw new Error('no MQTT broker: set MQTT_PORT or MQTT_URL to reach field devices');
        published++;
      },
      status: () => ({
        ...router.stats,
        mode: embedded ? 'embedded' : external ? 'external' : 'off',
        port,
        url: opts.url,
        connections: embedded ? embedded.connections : null,
        connected: embedded ? true : (external?.connected ?? false),
        commandsPublished: published,
        connectionsCut: embedded ? { ...embedded.connectionsCut } : null,
      }),
      disconnectGateway: (name) => embedded?.disconnectGateway(name) ?? 0,
    };
    app.decorate('field', field);
    // Contexts register their uplink handlers while the app loads; the broker opens when it is ready.
    app.addHook('onReady', async () => {
      if (embedded) {
        port = (await embedded.start()).port;
        app.log.info({ port, host: opts.host }, 'MQTT broker listening');
      }
      if (external) await external.start();
    });
    // Before the store closes: stop taking messages (an unacknowledged one is resent later).
    app.addHook('preClose', async () => {
      if (port !== null) await embedded?.close();
      await external?.close();
    });
  },
  { name: 'linkage-field', dependencies: ['linkage-store'] },
);
