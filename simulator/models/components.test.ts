import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleFor, sensorRulesFrom, stepRule, QUIET, type RuleState } from '../../core/sensor-rules.ts';
import { COMPONENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';
import { FakeClock, tinyDataset } from '../fixture.ts';
import { Rng } from '../../core/random.ts';
import { CollectingSink } from '../types.ts';
import { ComponentsModel } from './components.ts';

const rules = sensorRulesFrom(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'data', 'sensor-rules.json'), 'utf8')));

describe('sensorized components', () => {
  it('never report status alarm; their readings cross the server rules once per excursion and clear after', () => {
    const ds = tinyDataset({ components: 3000, sensorEvery: 3 });
    // Many excursions in a simulated day, so the comparison means something.
    const model = new ComponentsModel(ds, new Rng(7), { damagePerDay: 20, repairMedianH: 6, readingS: 300, alarmsPerDay: 400, alarmMedianMin: 20 });
    let excursions = 0;
    model.onAlarm = () => excursions++;
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12), 4);
    const out = new CollectingSink();
    model.start(clock.ctx(), out);
    for (let t = 0; t < 86_400 / 4; t += 10) model.tick(clock.step(10), out);
    const codeIndex = new Map(ds.components.code.map((c, i) => [c, i]));
    const state = new Map<string, RuleState>();
    let raises = 0;
    let clears = 0;
    expect(out.devices.filter((r) => r.status === 'alarm')).toEqual([]);
    for (const r of out.devices) {
      if (r.metric === undefined || r.value === undefined) continue;
      const cls = ds.components.classCode[codeIndex.get(r.id)!];
      if (COMPONENT_CLASS_BY_CODE.get(cls)?.sensor !== r.metric) throw new Error(`${r.id} sent ${r.metric}`);
      const before = state.get(r.id) ?? QUIET;
      const after = stepRule(ruleFor(rules, cls, r.metric)!, before, r.value);
      if (after.raised && !before.raised) raises++;
      if (!after.raised && before.raised) clears++;
      state.set(r.id, after);
    }
    expect(excursions).toBeGreaterThan(100);
    // Every excursion of a sensor that was not damaged meanwhile is exactly one server alarm.
    expect(raises).toBeLessThanOrEqual(excursions);
    expect(raises).toBeGreaterThan(excursions * 0.9);
    expect(clears).toBeGreaterThan(raises * 0.8);
  });
});
