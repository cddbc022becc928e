// Emergency broadcasts as the API answers them (core/broadcast.ts); the message and the selection
// reuse core's request schemas, which are their types.
import { Type } from 'typebox';
import { BROADCAST_STATUSES, BroadcastMessageSchema, POINT_STATUSES, SelectionSchema, type BroadcastState, type BroadcastSummary } from '../../core/broadcast.ts';
import { REQUEST_STATUSES, type BroadcastRequestView } from '../../core/broadcast-approval.ts';
import { ActorRefSchema } from './cases.ts';
import { exactly, Nullable } from './exact.ts';

const N = Type.Number();
const summary = {
  id: Type.String(), message: BroadcastMessageSchema, selection: SelectionSchema, actor: ActorRefSchema, sentAt: N,
  deadline: Type.Number({ description: 'points still pending then are marked no-answer' }),
  status: Type.Enum(BROADCAST_STATUSES), completedAt: Nullable(N),
  places: Type.Array(Type.String(), { description: 'admin codes the targets lie in' }),
  progress: Type.Object({ targets: N, pending: N, delivered: N, failed: N, noAnswer: N }),
};

export const BroadcastSummarySchema = exactly<BroadcastSummary>()(Type.Object(summary, { description: 'a broadcast sent, with its progress' }));

export const BroadcastSchema = exactly<BroadcastState>()(Type.Object({
  ...summary,
  points: Type.Record(Type.String(), Type.Object({ status: Type.Enum(POINT_STATUSES), at: Type.Optional(N), reason: Type.Optional(Type.String()) }), { description: 'every point\'s answer, by point id' }),
}, { description: 'a broadcast with its message, selection, points and their answers' }));

export const BroadcastRequestSchema = exactly<BroadcastRequestView>()(Type.Object({
  id: Type.String(), message: BroadcastMessageSchema, selection: SelectionSchema,
  places: Type.Array(Type.String(), { description: 'admin codes the targets lie in' }),
  requestedBy: ActorRefSchema, requestedAt: N,
  expiresAt: Type.Number({ description: 'undecided then, the request expires' }),
  status: Type.Enum(REQUEST_STATUSES), decidedBy: Nullable(ActorRefSchema), decidedAt: Nullable(N),
  reason: Nullable(Type.String()), pointCount: Type.Integer({ description: 'how many broadcast points it reaches' }),
}, { description: 'a request for an urgent broadcast and its leader\'s decision' }));
