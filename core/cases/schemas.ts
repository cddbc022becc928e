// TypeBox schemas for what crosses the edge about cases, whistles and alarms: new reports, actors,
// commands. One schema per shape gives the validator and the TypeScript type.
import { Type, type Static } from 'typebox';
import { ROLES } from '../org.ts';
import { CASE_SOURCES, RATINGS, URGENCIES } from './model.ts';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Millis = Type.Integer({ minimum: 1_577_836_800_000, maximum: 4_102_444_800_000 });
const Note = Type.String({ maxLength: 2000 });
const RequiredNote = Type.String({ minLength: 1, maxLength: 2000 });

export const ActorSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
    role: Type.Enum(ROLES),
    org: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
);

/** A new case from a gateway (grid app, hotline platform, City Brain) or an operator. */
export const CaseReportSchema = Type.Object(
  {
    id: Id,
    source: Type.Enum(CASE_SOURCES),
    eventClass: Type.String({ pattern: '^\\d{4}$' }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    urgency: Type.Enum(URGENCIES),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    reportedAt: Millis,
    reporter: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    hotlineOrderNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type CaseReportInput = Static<typeof CaseReportSchema>;

const cmd = <T extends string, P extends Record<string, import('typebox').TSchema>>(type: T, props: P) =>
  Type.Object({ type: Type.Literal(type), ...props }, { additionalProperties: false });

export const CaseCommandSchema = Type.Union([
  cmd('file', { note: Type.Optional(Note) }),
  cmd('void', { note: RequiredNote }),
  cmd('dispatch', { unit: Type.String({ minLength: 1, maxLength: 32 }), note: Type.Optional(Note) }),
  cmd('accept', { note: Type.Optional(Note) }),
  cmd('return', { note: RequiredNote }),
  cmd('feedback', { note: RequiredNote }),
  cmd('recheck', { passed: Type.Boolean(), note: Type.Optional(Note) }),
  cmd('close', { note: Type.Optional(Note) }),
  cmd('reply', { note: RequiredNote }),
  cmd('callback', { resolved: Type.Boolean(), rating: Type.Enum(RATINGS), note: Type.Optional(Note) }),
  cmd('request-extension', { hours: Type.Integer({ minimum: 1, maximum: 240 }), note: RequiredNote }),
  cmd('decide-extension', { approved: Type.Boolean(), note: Type.Optional(Note) }),
  cmd('defer', { note: RequiredNote }),
  cmd('park', { note: RequiredNote }),
  cmd('resume', { note: Type.Optional(Note) }),
  cmd('close-on-spot', { note: RequiredNote }),
]);

/** HTTP body of POST /api/cases/:id/commands. `escalate` is the system's alone and not accepted here. */
export const CaseCommandRequestSchema = Type.Object(
  { actor: ActorSchema, command: CaseCommandSchema, expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export type CaseCommandRequest = Static<typeof CaseCommandRequestSchema>;

/** HTTP body of POST /api/cases: an operator or field worker reports a case. */
export const CaseReportRequestSchema = Type.Object({ actor: ActorSchema, report: CaseReportSchema }, { additionalProperties: false });
export type CaseReportRequest = Static<typeof CaseReportRequestSchema>;

export const WHISTLE_KIND_VALUES = ['quick', 'emergency', 'assault'] as const;

export const WhistleCommandSchema = Type.Union([
  cmd('blow', {
    whistleId: Id,
    caseId: Id,
    kind: Type.Enum(WHISTLE_KIND_VALUES),
    lead: Type.String({ minLength: 1, maxLength: 32 }),
    supporting: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: 12 }),
    note: Type.Optional(Note),
  }),
  cmd('report-in', { note: Type.Optional(Note) }),
  cmd('close', { ratings: Type.Record(Type.String(), Type.Integer({ minimum: 1, maximum: 5 })), force: Type.Optional(Type.Boolean()), note: Type.Optional(Note) }),
]);
export const WhistleCommandRequestSchema = Type.Object({ actor: ActorSchema, command: WhistleCommandSchema }, { additionalProperties: false });
export type WhistleCommandRequest = Static<typeof WhistleCommandRequestSchema>;

export const AlarmCommandSchema = Type.Union([cmd('acknowledge', { note: Type.Optional(Note) }), cmd('clear', { note: Type.Optional(Note) })]);
export const AlarmCommandRequestSchema = Type.Object({ actor: ActorSchema, command: AlarmCommandSchema }, { additionalProperties: false });
export type AlarmCommandRequest = Static<typeof AlarmCommandRequestSchema>;

/** HTTP body of POST /api/cases/:id/attachments: the file as base64 (at most 5 MB decoded). */
export const AttachmentRequestSchema = Type.Object(
  {
    actor: ActorSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.String({ minLength: 1, maxLength: 64 }),
    data: Type.String({ minLength: 4, maxLength: 7_000_000 }),
  },
  { additionalProperties: false },
);
