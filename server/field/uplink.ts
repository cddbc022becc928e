// What happens to one uplink MQTT message, whichever broker carried it: parse the topic and the
// JSON payload, hand the records to the stream's handler (which commits them), and count and
// report what was rejected. Throws only when the records could not be committed: the message
// must then stay unacknowledged so the gateway sends it again.
import type { FastifyBaseLogger } from 'fastify';
import { parseTopic, uplinkRecords, UPLINK_STREAMS, type UplinkStream } from '../../core/field.ts';
import { ERROR_CODES, MAX_BATCH_RECORDS, type RecordError } from '../../core/protocol.ts';
import type { UplinkHandler } from './link.ts';
import { envelopeError } from '../ingest/streams.ts';
import { parseJsonText, pollutedRecords } from '../ingest/json-text.ts';

export interface UplinkStats {
  messages: number;
  recordsAccepted: number;
  recordsRejected: number;
  /** Whole messages refused: unreadable JSON, wrong envelope, unknown topic, stream not served. */
  messagesRejected: number;
  /** Rejections by error code (records and whole messages). */
  rejectedByCode: Record<string, number>;
  /** Messages left unacknowledged because the store could not commit them. */
  notCommitted: number;
  /** The latest of those and why (e.g. "event store cannot write: database or disk is full"); null when none yet. */
  lastNotCommitted: { at: number; gateway: string; topic: string; reason: string } | null;
  byStream: Record<string, number>;
}

export interface UplinkOutcome {
  /** What to tell the gateway on linkage/down/<gateway>/rejected (empty: nothing to report). */
  rejected: RecordError[];
}

export class UplinkRouter {
  private readonly handlers = new Map<UplinkStream, UplinkHandler>();
  readonly stats: UplinkStats = { messages: 0, recordsAccepted: 0, recordsRejected: 0, messagesRejected: 0, rejectedByCode: {}, notCommitted: 0, lastNotCommitted: null, byStream: {} };
  private logBudget = 50;

  constructor(private readonly log: FastifyBaseLogger) {
    setInterval(() => (this.logBudget = 50), 60_000).unref();
  }

  on(stream: UplinkStream, handler: UplinkHandler): void {
    if (!UPLINK_STREAMS.includes(stream)) throw new Error(`unknown uplink stream "${stream}"`);
    if (this.handlers.has(stream)) throw new Error(`uplink stream "${stream}" already has a handler`);
    this.handlers.set(stream, handler);
  }

  private count(errors: readonly RecordError[], whole: boolean): void {
    if (whole) this.stats.messagesRejected++;
    else this.stats.recordsRejected += errors.length;
    for (const e of errors) this.stats.rejectedByCode[e.code] = (this.stats.rejectedByCode[e.code] ?? 0) + 1;
  }

  private refuse(gateway: string, topic: string, message: string, code: string = ERROR_CODES.invalidRecord): UplinkOutcome {
    const error = { ...envelopeError(message), code };
    this.count([error], true);
    if (this.logBudget-- > 0) this.log.warn({ gateway, topic, reason: message }, 'MQTT message rejected');
    return { rejected: [error] };
  }

  /** `gateway` is the authenticated sender; the topic's gateway must be the same one. */
  async handle(gateway: string, topic: string, payload: Buffer): Promise<UplinkOutcome> {
    this.stats.messages++;
    const parsed = parseTopic(topic);
    if (!parsed || parsed.dir !== 'up') return this.refuse(gateway, topic, `"${topic}" is not an uplink topic (linkage/up/<gateway>/<stream>)`, ERROR_CODES.badRequest);
    if (parsed.gateway !== gateway) return this.refuse(gateway, topic, `gateway "${gateway}" may publish only under linkage/up/${gateway}/`, ERROR_CODES.unauthorized);
    this.stats.byStream[parsed.stream] = (this.stats.byStream[parsed.stream] ?? 0) + 1;
    const handler = this.handlers.get(parsed.stream);
    if (!handler) return this.refuse(gateway, topic, `stream "${parsed.stream}" is not served by this server`, ERROR_CODES.badRequest);
    // Parsed once by secure-json-parse, as HTTP bodies are: a clean message (nearly every one) is not
    // scanned again; in one it refuses, the records carrying a forbidden key are found here and
    // refused one by one by the handler (a key in a batch's envelope is an unexpected key below).
    let json: unknown;
    let clean: boolean;
    try {
      ({ value: json, clean } = parseJsonText(payload.toString('utf8')));
    } catch (error) {
      return this.refuse(gateway, topic, `payload is not JSON: ${(error as Error).message}`);
    }
    const envelope = uplinkRecords(json);
    if (!envelope.ok) return this.refuse(gateway, topic, envelope.message);
    // As over HTTP (IngestBatchSchema): a batch is {"records": [...]} alone, of at most MAX_BATCH_RECORDS.
    if ((json as { records?: unknown }).records !== undefined) {
      const extra = Object.keys(json as object).find((k) => k !== 'records');
      if (extra !== undefined) return this.refuse(gateway, topic, `a batch is {"records": [...]} only: unexpected key "${extra.slice(0, 64)}"`);
      if (envelope.records.length > MAX_BATCH_RECORDS) return this.refuse(gateway, topic, `"records" holds ${envelope.records.length} records: at most ${MAX_BATCH_RECORDS} per message`);
    }
    let result;
    try {
      result = await handler(envelope.records, { gateway, polluted: clean ? null : pollutedRecords(envelope.records) });
    } catch (error) {
      this.stats.notCommitted++;
      this.stats.lastNotCommitted = { at: Date.now(), gateway, topic, reason: (error as Error).message };
      throw error;
    }
    this.stats.recordsAccepted += result.accepted;
    if (result.rejected.length > 0) {
      this.count(result.rejected, false);
      if (this.logBudget-- > 0) this.log.warn({ gateway, topic, rejected: result.rejected.length, first: result.rejected[0] }, 'MQTT records rejected');
    }
    return { rejected: result.rejected };
  }
}
