// The seam between bounded contexts and the field: contexts register a handler per uplink stream
// and publish commands to devices; the MQTT plugin (embedded aedes broker, or an external broker
// with shared subscriptions) implements it. Contexts never touch MQTT themselves.
import type { RecordError } from '../../core/protocol.ts';
import type { UplinkStream } from '../../core/field.ts';
import type { PollutedRecords } from '../ingest/json-text.ts';

export interface UplinkResult {
  /** Records committed (or recognised as already committed). */
  accepted: number;
  rejected: RecordError[];
}

/**
 * Validates and commits one uplink message's records. Resolves only after the accepted ones are
 * committed (the broker acknowledges the message then); throws StoreUnavailableError when
 * nothing could be committed, so the message is not acknowledged and the sender retries.
 * `polluted`: the records that carry `__proto__` or `constructor.prototype` (null: none; the
 * message was parsed once by secure-json-parse and only a message it refused is looked into).
 */
export type UplinkHandler = (records: unknown[], ctx: { gateway: string; polluted: PollutedRecords | null }) => Promise<UplinkResult>;

export interface FieldLink {
  onUplink(stream: UplinkStream, handler: UplinkHandler): void;
  /** Publishes a command (QoS 1, not retained); resolves once the broker has taken it. */
  publish(topic: string, payload: unknown): Promise<void>;
}
