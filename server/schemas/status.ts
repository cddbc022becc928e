// Audit entries, the field link's status and device health as the API answers them
// (core/audit.ts, server/plugins/field.ts, core/device-health.ts).
import { Type } from 'typebox';
import type { AuditEntry, Json } from '../../core/audit.ts';
import type { HealthSeries } from '../../core/device-health.ts';
import { DEVICE_KINDS, type DeviceKind } from '../../core/domain.ts';
import type { FieldStatus } from '../plugins/field.ts';
import { exactly, Nullable } from './exact.ts';

const N = Type.Number();
const Counts = Type.Record(Type.String(), N);
/** Any JSON value: before/after are small JSON the recorder chose. */
const JsonValue = Type.Unsafe<Json>(Type.Unknown({ description: 'any JSON value, or null' }));

export const AuditEntrySchema = exactly<AuditEntry>()(Type.Object({
  seq: N, at: N, actor: Nullable(Type.Object({ id: Type.String(), name: Type.String(), role: Type.String(), org: Type.String() })),
  action: Type.String(), scope: Type.String(), subject: Type.String(), before: JsonValue, after: JsonValue, eventSeq: Nullable(N),
  prevHash: Type.String(), hash: Type.String({ description: 'chains the entry to the one before' }),
}, { description: 'an audit entry: who did what, where, when, before and after' }));

export const FieldStatusSchema = exactly<FieldStatus>()(Type.Object({
  mode: Type.Enum(['embedded', 'external', 'off'] as const), port: Nullable(N), url: Nullable(Type.String()), connections: Nullable(N),
  connected: Type.Boolean(), commandsPublished: N,
  connectionsCut: Nullable(Type.Record(Type.String(), N, { description: 'embedded broker: connections cut on an oversized or invalid packet, by reason' })),
  messages: N, recordsAccepted: N, recordsRejected: N, messagesRejected: N, rejectedByCode: Counts, notCommitted: N,
  lastNotCommitted: Nullable(Type.Object({ at: N, gateway: Type.String(), topic: Type.String(), reason: Type.String() })),
  byStream: Counts,
}, { description: 'the MQTT field link: broker mode, connections, messages, rejections by reason, the last not committed' }));

const HealthPoint = Type.Object({
  t: Type.Number({ description: 'bucket start, UTC ms' }), onlineRate: Nullable(N), minOnlineRate: Nullable(N), fault: Nullable(N), alarm: Nullable(N), samples: N,
});
const Series = Type.Optional(Type.Array(HealthPoint));
export const HealthSeriesSchema = exactly<HealthSeries>()(Type.Object(
  Object.fromEntries(DEVICE_KINDS.map((k) => [k, Series])) as Record<DeviceKind, typeof Series>,
  { description: 'per device kind: its buckets; null figures where there were no samples' },
));
