import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUIET, ruleFor, runRule, sensorRulesFrom, stepRule, type SensorRule } from './sensor-rules.ts';

const defaults = () => JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', 'data', 'sensor-rules.json'), 'utf8'));
const above: SensorRule = { direction: 'above', raise: 10, clear: 5 };
const below: SensorRule = { direction: 'below', raise: 20, clear: 40 };
const raised = (states: { raised: boolean }[]) => states.map((s) => (s.raised ? 1 : 0));

describe('stepRule', () => {
  it('raises on crossing, holds between clear and raise, clears only past clear', () => {
    expect(raised(runRule(above, [1, 9.9, 10, 7, 5.1, 9, 5, 4, 9.9]))).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0]);
  });

  it('does not flap when the value wobbles around the raise threshold', () => {
    const wobble = [9.8, 10.2, 9.7, 10.1, 9.9, 10.3, 9.6, 10.0, 9.5];
    const states = runRule(above, wobble);
    expect(raised(states)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1]);
    // one raise edge, no clear edge
    const edges = states.filter((s, i) => s.raised !== (states[i - 1]?.raised ?? false)).length;
    expect(edges).toBe(1);
  });

  it('does not flap around the clear threshold either', () => {
    expect(raised(runRule(above, [12, 5.2, 4.9, 5.3, 6, 9.9, 4.8]))).toEqual([1, 1, 0, 0, 0, 0, 0]);
  });

  it('needs N consecutive readings when set; an in-between reading resets the count', () => {
    const r = { ...above, consecutive: 3 };
    expect(raised(runRule(r, [11, 12, 9, 11, 12, 13, 2]))).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(runRule(r, [11, 12]).at(-1)).toEqual({ raised: false, streak: 2 });
  });

  it('works for a falling metric (direction below)', () => {
    expect(raised(runRule(below, [50, 21, 20, 30, 39, 40, 19]))).toEqual([0, 0, 1, 1, 1, 0, 1]);
  });

  it('ignores non-finite values', () => {
    const s = stepRule(above, { raised: true, streak: 0 }, NaN);
    expect(s.raised).toBe(true);
    expect(stepRule(above, QUIET, Infinity)).toBe(QUIET);
  });
});

describe('sensorRulesFrom', () => {
  it('accepts the shipped defaults and picks the class override over the metric rule', () => {
    const rules = sensorRulesFrom(defaults());
    expect(ruleFor(rules, '0602', 'water-level')).toMatchObject({ consecutive: 2 });
    expect(ruleFor(rules, '0103', 'water-level')).toMatchObject({ raise: 0.8, clear: 0.6 });
    expect(ruleFor(rules, '0602', 'gas')).toMatchObject({ raise: 10 });
    expect(ruleFor(rules, '0117', 'humidity')).toBeNull();
  });

  it('names the field of a bad value', () => {
    const d = defaults();
    d.metrics.gas.raise = 'ten';
    expect(() => sensorRulesFrom(d)).toThrow(/^sensorRules\.metrics\.gas\.raise: /);
    const e = defaults();
    e.metrics.smoke.direction = 'sideways';
    expect(() => sensorRulesFrom(e)).toThrow(/^sensorRules\.metrics\.smoke\.direction/);
    const f = defaults();
    delete f.metrics['lamp-power'];
    expect(() => sensorRulesFrom(f)).toThrow(/^sensorRules\.metrics/);
  });

  it('refuses a clear threshold on the wrong side of raise, unknown classes and mismatched metrics', () => {
    const d = defaults();
    d.metrics['cover-tilt'].clear = 12;
    expect(() => sensorRulesFrom(d)).toThrow('sensorRules.metrics.cover-tilt.clear: must be at or below raise (10) for direction "above", got 12');
    const e = defaults();
    e.classes['9999'] = { metric: 'gas', direction: 'above', raise: 1, clear: 0 };
    expect(() => sensorRulesFrom(e)).toThrow('sensorRules.classes.9999: unknown component class code');
    const f = defaults();
    f.classes['0602'].metric = 'gas';
    expect(() => sensorRulesFrom(f)).toThrow(/sensorRules\.classes\.0602\.metric: class 0602 .* measures water-level, not gas/);
  });
});
