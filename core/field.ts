// The MQTT topic scheme between the server and field gateways (devices, drone docks, broadcast
// platforms, the simulator). Pure: names and parsing only. Payload schemas live with their
// context (DeviceRecordSchema and VideoEventSchema in protocol.ts, drone and broadcast schemas
// in their own modules).
//
//   linkage/up/<gateway>/<stream>     gateway → server, QoS 1. Payload: one record (a JSON object)
//                                     or a batch `{ "records": [...] }`. The PUBACK is sent only
//                                     after the accepted records are committed.
//   linkage/down/<gateway>/rejected   server → gateway: `{ topic, rejected: RecordError[] }` for
//                                     records that failed validation (they are acknowledged too:
//                                     resending a bad record cannot make it good).
//   linkage/cmd/<kind>/<deviceId>     server → device, QoS 1: commands (drone missions, broadcast
//                                     messages). Gateways subscribe to the kinds they serve.
//
// A gateway authenticates with its name as MQTT username and its gateway key as password; it may
// publish only under linkage/up/<its name>/ and subscribe only to linkage/down/<its name>/ and
// linkage/cmd/.

export const TOPIC_ROOT = 'linkage';

/** What a gateway may publish. Each stream has one handler on the server. */
export const UPLINK_STREAMS = ['devices', 'video-events', 'drone-missions', 'broadcast-receipts', 'weather'] as const;
export type UplinkStream = (typeof UPLINK_STREAMS)[number];

/** Device kinds that take commands. */
export const COMMAND_KINDS = ['drone', 'broadcast'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

export const isTopicName = (s: string): boolean => NAME.test(s);

export function uplinkTopic(gateway: string, stream: UplinkStream): string {
  return `${TOPIC_ROOT}/up/${gateway}/${stream}`;
}

export function rejectedTopic(gateway: string): string {
  return `${TOPIC_ROOT}/down/${gateway}/rejected`;
}

export function commandTopic(kind: CommandKind, deviceId: string): string {
  return `${TOPIC_ROOT}/cmd/${kind}/${deviceId}`;
}

/** Subscription filter for every command of one kind (a gateway serving all drones, say). */
export function commandFilter(kind: CommandKind): string {
  return `${TOPIC_ROOT}/cmd/${kind}/+`;
}

export type ParsedTopic =
  | { dir: 'up'; gateway: string; stream: UplinkStream }
  | { dir: 'down'; gateway: string; what: string }
  | { dir: 'cmd'; kind: CommandKind; deviceId: string };

/** Parses a concrete topic (no wildcards); null when it is not part of the scheme. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== TOPIC_ROOT || !isTopicName(parts[2])) return null;
  const [, dir, a, b] = parts;
  if (dir === 'up') return (UPLINK_STREAMS as readonly string[]).includes(b) ? { dir, gateway: a, stream: b as UplinkStream } : null;
  if (dir === 'down') return isTopicName(b) ? { dir, gateway: a, what: b } : null;
  if (dir === 'cmd') return (COMMAND_KINDS as readonly string[]).includes(a) && isTopicName(b) ? { dir, kind: a as CommandKind, deviceId: b } : null;
  return null;
}

/** Normalizes an uplink payload to its records: a batch `{records: [...]}` or a single record object. */
export function uplinkRecords(payload: unknown): { ok: true; records: unknown[] } | { ok: false; message: string } {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, message: 'payload must be a JSON object: one record, or {"records": [...]}' };
  }
  const records = (payload as { records?: unknown }).records;
  if (records === undefined) return { ok: true, records: [payload] };
  if (!Array.isArray(records)) return { ok: false, message: '"records" must be an array' };
  return { ok: true, records };
}
