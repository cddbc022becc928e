// What the city platform reads (core/exchange.ts): the steps of every case and a day's indicators.
import { Type } from 'typebox';
import type { CityCaseEvent, DailyIndicators } from '../../core/exchange.ts';
import { CASE_STAGES } from '../../core/cases/model.ts';
import { CaseCommandNameSchema, CaseEventDataSchema, KpiSetSchema, ReportFactsSchema } from './cases.ts';
import { exactly, Nullable } from './exact.ts';

export const CityCaseEventSchema = exactly<CityCaseEvent>()(Type.Object({
  seq: Type.Integer({ description: 'the log\'s sequence number: the consumer\'s cursor' }), at: Type.Number(), caseId: Type.String(),
  command: CaseCommandNameSchema, from: Nullable(Type.Enum(CASE_STAGES)), to: Type.Enum(CASE_STAGES),
  actor: Type.Object({ role: Type.String(), org: Type.String() }, { description: 'who acted, by role and organisation (names stay in the district)' }),
  note: Type.Optional(Type.String()),
  report: Type.Optional(Type.Omit(ReportFactsSchema, ['reporter'], { description: 'the report, on the first event of a case (without the reporter\'s contact)' })),
  facts: Type.Optional(Type.Omit(CaseEventDataSchema, ['report'], { description: 'command facts: the unit dispatched to, the deadline, a callback\'s rating...' })),
}, { description: 'a step of a case' }));

export const DailyIndicatorsSchema = exactly<DailyIndicators>()(Type.Object({
  day: Type.String({ description: 'YYYY-MM-DD, Asia/Shanghai' }), from: Type.Number(), to: Type.Number(),
  asOf: Type.Number({ description: 'when computed: a day still running, or with cases open, may change' }),
  district: KpiSetSchema, townships: Type.Array(Type.Object({ code: Type.String(), kpis: KpiSetSchema })),
}));
