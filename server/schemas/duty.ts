// The duty context's read models as the API answers them (core/duty.ts): shifts, the pool, the duty
// log and handover reports. The pool and a note's input reuse core's own schemas.
import { Type } from 'typebox';
import { DutyNoteSchema, DutyPoolSchema, HANDOVER_SECTIONS, type DutyNote, type DutyPool, type DutyShift, type HandoverFacts, type HandoverItem, type HandoverListItem, type HandoverReport, type HandoverSignature } from '../../core/duty.ts';
import { ActorRefSchema } from './cases.ts';
import { exactly, Nullable } from './exact.ts';

const Person = DutyPoolSchema.properties.leaders.items;

export const DutyPoolResponse = exactly<DutyPool>()(Type.Object(DutyPoolSchema.properties, { description: 'the people the roster rotates through' }));

export const ShiftSchema = exactly<DutyShift>()(Type.Object({
  start: Type.Number(), end: Type.Number(), leader: Person, dispatchers: Type.Array(Person), stationed: Type.Array(Person),
  source: Type.Enum(['rotation', 'assigned'] as const),
}, { description: 'a shift and who is on duty in it (source: the rotation, or assigned by someone)' }));

export const NoteSchema = exactly<DutyNote>()(Type.Object({
  ...DutyNoteSchema.properties, id: Type.String(), at: Type.Number(), actor: ActorRefSchema,
}, { description: 'a duty log entry' }));

const Facts = exactly<HandoverFacts>()(Type.Object({
  whistleKind: Type.Optional(Type.String()), droneAction: Type.Optional(Type.String()), broadcastPoints: Type.Optional(Type.Number()),
  eventClass: Type.Optional(Type.String()), deviceId: Type.Optional(Type.String()),
}, { description: 'codes the screen words in its language' }));
const Item = exactly<HandoverItem>()(Type.Object({ seq: Type.Number(), at: Type.Number(), subject: Type.String(), caseId: Nullable(Type.String()), text: Type.String(), facts: Type.Optional(Facts) }));
const Items = Type.Array(Item);
const Signature = exactly<HandoverSignature>()(Type.Object({
  role: Type.Enum(['outgoing', 'incoming'] as const), actor: ActorRefSchema, at: Type.Number(), note: Type.Optional(Type.String()),
}));

export const HandoverReportSchema = exactly<HandoverReport>()(Type.Object({
  shift: Type.Object({ start: Type.Number(), end: Type.Number() }),
  duty: ShiftSchema,
  next: ShiftSchema,
  sections: Type.Object(Object.fromEntries(HANDOVER_SECTIONS.map((s) => [s, Items])) as Record<(typeof HANDOVER_SECTIONS)[number], typeof Items>, { description: 'per section, the events of the shift in time order' }),
  attention: Type.Object({ overdueCases: Items, urgentCases: Items, openWhistles: Items, activeAlarms: Items }, { description: 'still open when drafted' }),
  notes: Type.Array(NoteSchema),
  draftedAt: Type.Number(),
  signatures: Type.Array(Signature),
}, { description: 'a handover report; frozen from the first signature on' }));

export const HandoverListItemSchema = exactly<HandoverListItem>()(Type.Object({
  start: Type.Number(), end: Type.Number(), leader: Type.String(), signatures: Type.Array(Signature),
  beforeGoLive: Type.Boolean({ description: 'the shift ended before the log began: nobody could sign it' }),
  counts: Nullable(Type.Record(Type.String(), Type.Number())),
}, { description: 'a shift: its signatures and, once frozen, its counts per section' }));
