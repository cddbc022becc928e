// Threshold rules with hysteresis for sensor readings: an alarm is raised when a value crosses
// `raise` (for `consecutive` readings in a row) and cleared only once a value comes back past
// `clear`, so a reading wobbling around one threshold cannot make an alarm flap. Rules are per
// metric, optionally overridden per component class (a flood wall on the Yangtze embankment rises
// slowly and is confirmed by two readings; a storm drain at a low point is not). Pure.
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { COMPONENT_CLASS_BY_CODE, type SensorMetric } from './taxonomy.ts';

export const SENSOR_METRICS = ['water-level', 'cover-tilt', 'smoke', 'gas', 'lamp-power'] as const satisfies readonly SensorMetric[];

export const SensorRuleSchema = Type.Object(
  {
    direction: Type.Union([Type.Literal('above'), Type.Literal('below')]),
    raise: Type.Number(),
    clear: Type.Number(),
    /** Readings in a row past `raise` before the alarm is raised (default 1). */
    consecutive: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
export type SensorRule = Static<typeof SensorRuleSchema>;

const ClassRuleSchema = Type.Object(
  {
    metric: Type.Union(SENSOR_METRICS.map((m) => Type.Literal(m))),
    direction: Type.Union([Type.Literal('above'), Type.Literal('below')]),
    raise: Type.Number(),
    clear: Type.Number(),
    consecutive: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const SensorRulesSchema = Type.Object(
  {
    metrics: Type.Object(Object.fromEntries(SENSOR_METRICS.map((m) => [m, SensorRuleSchema])) as Record<SensorMetric, typeof SensorRuleSchema>, { additionalProperties: false }),
    /** Per component class (4-digit code) overrides, naming the metric they apply to. */
    classes: Type.Optional(Type.Record(Type.String({ pattern: '^\\d{4}$' }), ClassRuleSchema)),
  },
  { additionalProperties: false },
);
export type SensorRules = Static<typeof SensorRulesSchema>;

const checker = Compile(SensorRulesSchema);

/** Validates a rules document; throws an error naming the first bad field (`sensorRules.metrics.gas.raise: ...`). */
export function sensorRulesFrom(json: unknown): SensorRules {
  if (!checker.Check(json)) {
    const errors = [...checker.Errors(json)] as Array<{ instancePath: string; message: string }>;
    const e = errors.find((x) => x.instancePath !== '') ?? errors[0];
    const field = (e?.instancePath ?? '').split('/').filter(Boolean).join('.');
    throw new Error(`sensorRules${field ? '.' + field : ''}: ${e?.message ?? 'invalid'}`);
  }
  const rules = json as SensorRules;
  const check = (where: string, r: SensorRule) => {
    if (!Number.isFinite(r.raise) || !Number.isFinite(r.clear)) throw new Error(`sensorRules.${where}: raise and clear must be finite numbers`);
    const ok = r.direction === 'above' ? r.clear <= r.raise : r.clear >= r.raise;
    if (!ok) throw new Error(`sensorRules.${where}.clear: must be ${r.direction === 'above' ? 'at or below' : 'at or above'} raise (${r.raise}) for direction "${r.direction}", got ${r.clear}`);
  };
  for (const m of SENSOR_METRICS) check(`metrics.${m}`, rules.metrics[m]);
  for (const [code, r] of Object.entries(rules.classes ?? {})) {
    const cls = COMPONENT_CLASS_BY_CODE.get(code);
    if (!cls) throw new Error(`sensorRules.classes.${code}: unknown component class code`);
    if (cls.sensor !== r.metric) throw new Error(`sensorRules.classes.${code}.metric: class ${code} (${cls.name}) measures ${cls.sensor ?? 'nothing'}, not ${r.metric}`);
    check(`classes.${code}`, r);
  }
  return rules;
}

/** The rule for a reading of `metric` from a component of `classCode`, or null for an unknown metric. */
export function ruleFor(rules: SensorRules, classCode: string, metric: string): SensorRule | null {
  const cls = rules.classes?.[classCode];
  if (cls && cls.metric === metric) return cls;
  return (rules.metrics as Record<string, SensorRule>)[metric] ?? null;
}

/** Per-sensor state: raised or not, and how many readings in a row have been past the raise threshold. */
export interface RuleState {
  raised: boolean;
  streak: number;
}

export const QUIET: RuleState = { raised: false, streak: 0 };

const past = (direction: SensorRule['direction'], value: number, threshold: number) => (direction === 'above' ? value >= threshold : value <= threshold);

/** The state after one reading. Raising needs `consecutive` readings past `raise`; clearing one reading past `clear`. */
export function stepRule(rule: SensorRule, state: RuleState, value: number): RuleState {
  if (!Number.isFinite(value)) return state;
  if (state.raised) {
    const back = rule.direction === 'above' ? value <= rule.clear : value >= rule.clear;
    return back ? QUIET : { raised: true, streak: 0 };
  }
  if (!past(rule.direction, value, rule.raise)) return QUIET;
  const streak = state.streak + 1;
  return streak >= (rule.consecutive ?? 1) ? { raised: true, streak: 0 } : { raised: false, streak };
}

/** Folds a sequence of readings from the quiet state (tests and tools). */
export function runRule(rule: SensorRule, values: readonly number[], from: RuleState = QUIET): RuleState[] {
  const out: RuleState[] = [];
  let s = from;
  for (const v of values) out.push((s = stepRule(rule, s, v)));
  return out;
}
