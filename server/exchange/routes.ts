// Bounded context: the exchange with the city platform (对上承接城市大脑), under /api/exchange. Orders
// come down through ingest; here is the way up: the closed loop of every case as a feed read by
// cursor (the log's sequence numbers: no gap, no duplicate, across restarts of either side), and the
// indicators of a day. District-wide on purpose: the city oversees the whole district. Each consumer
// has its own key (CITY_FEED_KEYS), sent as x-consumer-key.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../core/domain.ts';
import { cityCaseEvent, dailyIndicators, type CityCaseEvent } from '../../core/exchange.ts';
import { shanghaiDate } from '../../core/time.ts';
import { Ok, replies, sendFailure } from '../http-errors.ts';
import { CityCaseEventSchema, DailyIndicatorsSchema } from '../schemas/exchange.ts';

export interface ExchangeOptions {
  clock: Clock;
  /** key → consumer name. */
  consumerKeys: ReadonlyMap<string, string>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The city platform consumer whose key the request carried (exchange routes only). */
    consumer?: string;
  }
}

/** The most events one page reads from the log (a page may hold fewer case events: telemetry is skipped). */
const MAX_PAGE = 5000;
const Key = Type.Object({ 'x-consumer-key': Type.String({ description: 'the consumer\'s key (CITY_FEED_KEYS)' }) });

export const exchangeRoutes: FastifyPluginAsync<ExchangeOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exchange'];

  app.addHook('onRequest', async (req, reply) => {
    const key = req.headers['x-consumer-key'];
    const consumer = typeof key === 'string' ? opts.consumerKeys.get(key) : undefined;
    if (!consumer) {
      const why = opts.consumerKeys.size === 0 ? 'no city platform consumer is configured here (CITY_FEED_KEYS)' : 'missing or unknown x-consumer-key header';
      return sendFailure(reply, 'UNAUTHORIZED', why);
    }
    req.consumer = consumer;
  });

  app.get('/exchange/case-events', {
    config: { read: 'exchange' },
    schema: {
      summary: 'The closed loop of every case, after a cursor: pass back `next` as `after` to read on (a page may be empty while `next` moves past telemetry)',
      tags,
      headers: Key,
      querystring: Type.Object({
        after: Type.Optional(Type.Integer({ minimum: 0, description: 'the cursor: the last sequence number read (default 0: from the beginning)' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, description: 'log events to read at most (default 1000)' })),
      }, { additionalProperties: false }),
      response: replies(Ok(Type.Object({
        events: Type.Array(CityCaseEventSchema),
        next: Type.Integer({ description: 'the cursor to pass as `after` next time' }),
        head: Type.Integer({ description: 'the newest sequence number of the log: caught up when next equals it' }),
      }))),
    },
  }, async (req) => {
    const { after = 0, limit = 1000 } = req.query;
    // The head first: every event up to it is committed, so a read that starts after it sees them all.
    const head = app.store.lastSeq();
    const read = await app.store.readOperationsAfter(after, limit);
    const events: CityCaseEvent[] = [];
    for (const e of read) {
      const c = cityCaseEvent(e);
      if (c) events.push(c);
    }
    const last = read.length > 0 ? read[read.length - 1].seq : after;
    // A full page: read on from its last event. Fewer: nothing operational is left up to the head
    // (telemetry between is skipped), so the cursor may jump there.
    const next = read.length === limit ? last : Math.max(after, head, last);
    return { ok: true as const, data: { events, next, head } };
  });

  app.get('/exchange/indicators', {
    config: { read: 'exchange' },
    schema: {
      summary: 'The standard indicators (GB/T 30428) of the cases reported on a local day, for the district and each township',
      tags,
      headers: Key,
      querystring: Type.Object({
        day: Type.Optional(Type.String({ description: 'YYYY-MM-DD in Asia/Shanghai (default: today)' })),
      }, { additionalProperties: false }),
      response: replies(Ok(DailyIndicatorsSchema)),
    },
  }, async (req, reply) => {
    const now = opts.clock.now();
    const day = req.query.day ?? shanghaiDate(now);
    const d = dailyIndicators(app.projector.cases.all(), day, now);
    if (!d) return sendFailure(reply, 'BAD_REQUEST', `day "${day}" is not a calendar date YYYY-MM-DD`);
    if (d.from > now) return sendFailure(reply, 'BAD_REQUEST', `day ${day} has not begun`);
    return { ok: true as const, data: d };
  });
};
