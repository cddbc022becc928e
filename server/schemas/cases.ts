// The closed loop's read models as the API answers them (core/cases/model.ts, core/whistle.ts,
// core/alarms.ts, core/cases/kpi.ts), each held to its interface by `exactly`.
import { Type } from 'typebox';
import type { AlarmState } from '../../core/alarms.ts';
import { CASE_COMMAND_TYPES, CASE_SOURCES, CASE_STAGES, RATINGS, URGENCIES, type ActorRef, type CaseEvent, type CaseState } from '../../core/cases/model.ts';
import type { KpiSet } from '../../core/cases/kpi.ts';
import { ROLES } from '../../core/org.ts';
import type { CaseDetail } from '../../core/protocol.ts';
import type { DepartmentScore, WhistleState } from '../../core/whistle.ts';
import { exactly, Nullable } from './exact.ts';

const Str = Type.String();
const Num = Type.Number();
const NullableNum = Nullable(Num);
const Stage = Type.Enum(CASE_STAGES);

export const ActorRefSchema = exactly<ActorRef>()(Type.Object({ id: Str, name: Str, role: Type.Enum(ROLES), org: Str }));

export const CaseSchema = exactly<CaseState>()(Type.Object({
  id: Str, source: Type.Enum(CASE_SOURCES), eventClass: Str, title: Str, description: Str, urgency: Type.Enum(URGENCIES),
  lon: Num, lat: Num, gridIndex: Num, townshipCode: Str, communityCode: Str, reportedAt: Num, reporter: Str,
  hotline: Nullable(Type.Object({
    line: Type.Enum(['12345', '12319'] as const), orderNo: Str, repliedAt: NullableNum, callbackAt: NullableNum,
    resolved: Nullable(Type.Boolean()), rating: Nullable(Type.Enum(RATINGS)),
  })),
  stage: Stage, owner: Str, assignee: Nullable(Str),
  filedAt: NullableNum, dispatchDueAt: NullableNum, dispatchedAt: NullableNum, acceptedAt: NullableNum, handledAt: NullableNum,
  rechecked: Type.Boolean(), closedAt: NullableNum, voidedAt: NullableNum, deadline: NullableNum, warnAt: NullableNum,
  pausedRemainingMs: NullableNum, resumeStage: Nullable(Stage),
  extension: Nullable(Type.Object({ hours: Num, reason: Str, by: Str, at: Num })),
  extensions: Num, returns: Num, reworks: Num, escalations: Num, onSpot: Type.Boolean(), whistleId: Nullable(Str),
  alarms: Num, attachments: Num, updatedAt: Num, version: Num,
}, { description: 'a case as the case book holds it' }));

export const ReportFactsSchema = Type.Object({
  id: Str, source: Type.Enum(CASE_SOURCES), eventClass: Str, title: Str, description: Type.Optional(Str), urgency: Type.Enum(URGENCIES),
  lon: Num, lat: Num, reportedAt: Num, reporter: Type.Optional(Str), hotlineOrderNo: Type.Optional(Str),
  gridIndex: Num, townshipCode: Str, communityCode: Str, owner: Str,
});

export const CaseEventDataSchema = Type.Object({
  report: Type.Optional(ReportFactsSchema), unit: Type.Optional(Str), deadline: Type.Optional(NullableNum), warnAt: Type.Optional(NullableNum),
  dispatchDueAt: Type.Optional(Num), owner: Type.Optional(Str), passed: Type.Optional(Type.Boolean()), resolved: Type.Optional(Type.Boolean()),
  rating: Type.Optional(Type.Enum(RATINGS)), hours: Type.Optional(Num), approved: Type.Optional(Type.Boolean()),
  pausedRemainingMs: Type.Optional(NullableNum), whistleId: Type.Optional(Str), alarmId: Type.Optional(Str),
  attachment: Type.Optional(Type.Object({ id: Str, type: Str, bytes: Num })),
}, { description: 'command facts: unit, deadline, owner, rating, the report on the first event...' });

export const CaseCommandNameSchema = Type.Enum([...CASE_COMMAND_TYPES, 'report', 'merge-alarm', 'attach', 'whistle'] as const);

export const CaseEventSchema = exactly<CaseEvent>()(Type.Object({
  caseId: Str, command: CaseCommandNameSchema, from: Nullable(Stage), to: Stage, at: Num, actor: ActorRefSchema, note: Type.Optional(Str),
  data: Type.Optional(CaseEventDataSchema),
}, { description: 'a step of a case as the log holds it' }));

export const CaseDetailSchema = exactly<CaseDetail>()(Type.Object({ case: CaseSchema, timeline: Type.Array(CaseEventSchema) }));

export const WhistleSchema = exactly<WhistleState>()(Type.Object({
  id: Str, caseId: Str, kind: Type.Enum(['quick', 'emergency', 'assault'] as const), blownAt: Num, blownBy: ActorRefSchema, center: Str, lead: Str,
  supporting: Type.Array(Type.Object({ unit: Str, reportedAt: NullableNum, by: Nullable(Str), rating: NullableNum })),
  deadline: Num, closedAt: NullableNum, note: Type.Optional(Str), closeNote: Type.Optional(Str), forced: Type.Optional(Type.Boolean()), version: Num,
}, { description: 'a whistle: its case, lead and supporting departments and their report-ins' }));

export const AlarmSchema = exactly<AlarmState>()(Type.Object({
  id: Str, kind: Type.Enum(['video', 'sensor'] as const), deviceKind: Type.Enum(['camera', 'component'] as const), deviceId: Str, deviceIndex: Num,
  eventClass: Str, metric: Nullable(Type.Enum(['water-level', 'cover-tilt', 'smoke', 'gas', 'lamp-power'] as const)), value: NullableNum, confidence: NullableNum,
  lon: Num, lat: Num, gridIndex: Num, townshipCode: Str, communityCode: Str, raisedAt: Num,
  status: Type.Enum(['active', 'acknowledged', 'cleared'] as const), repeats: Num,
  ackAt: NullableNum, ackBy: Nullable(Str), clearedAt: NullableNum, clearedBy: Nullable(Str), caseId: Nullable(Str), updatedAt: Num,
}, { description: 'a sensor or video alarm and where it stands' }));


export const KpiSetSchema = exactly<KpiSet>()(Type.Object({
  counts: Type.Object({
    reported: Num, decided: Num, filed: Num, voided: Num, dispatched: Num, dispatchedOnTime: Num, returned: Num, reworked: Num,
    dueToHandle: Num, handled: Num, handledOnTime: Num, dueToClose: Num, closed: Num, closedOnTime: Num, closedLate: Num,
    open: Num, overdue: Num, hotline: Num, dueToRespond: Num, respondedInTime: Num, callbacks: Num, resolved: Num, rated: Num, satisfied: Num,
  }),
  rates: Type.Object({
    closureRate: NullableNum, onTimeClosureRate: NullableNum, lateClosureRate: NullableNum, handlingRate: NullableNum, onTimeHandlingRate: NullableNum,
    validReportRate: NullableNum, onTimeDispatchRate: NullableNum, accurateDispatchRate: NullableNum, reworkRate: NullableNum,
    responseRate: NullableNum, resolutionRate: NullableNum, satisfactionRate: NullableNum,
  }, { description: 'fractions 0..1, null when nothing counts' }),
  avgMs: Type.Object({ reportToFile: NullableNum, fileToDispatch: NullableNum, dispatchToHandle: NullableNum, handleToClose: NullableNum, reportToClose: NullableNum }),
}));

export const KpiGroupSchema = exactly<{ key: string; kpis: KpiSet }>()(Type.Object({ key: Str, kpis: KpiSetSchema }));

export const DepartmentScoreSchema = exactly<DepartmentScore>()(Type.Object({
  department: Str, summoned: Num, due: Num, reportedIn: Num, reportedOnTime: Num, reportInRate: NullableNum, cooperation: NullableNum,
}, { description: 'one department: its report-in rate (报到率) and cooperation (配合度)' }));
