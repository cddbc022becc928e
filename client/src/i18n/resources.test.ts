import { describe, expect, it } from 'vitest';
import { CASE_COMMAND_TYPES, CASE_SOURCES, CASE_STAGES, RATINGS } from '../../../core/cases/model.ts';
import { ROLES } from '../../../core/org.ts';
import { WHISTLE_KIND_IDS } from '../../../core/whistle.ts';
import { INDICATORS, STAGE_TIMES } from '../panels/kpiRows.ts';
import { en, zhCN } from './resources.ts';

describe('UI strings', () => {
  it('name every stage, command, role, source, rating, whistle kind and indicator in both languages', () => {
    for (const r of [zhCN, en]) {
      for (const s of CASE_STAGES) expect(r.stage[s], s).toBeTruthy();
      for (const c of [...CASE_COMMAND_TYPES, 'report', 'merge-alarm', 'attach', 'whistle'] as const) expect(r.command[c], c).toBeTruthy();
      for (const x of ROLES) expect(r.role[x], x).toBeTruthy();
      for (const x of CASE_SOURCES) expect(r.source[x], x).toBeTruthy();
      for (const x of RATINGS) expect(r.form.ratings[x], x).toBeTruthy();
      for (const x of WHISTLE_KIND_IDS) expect(r.whistle.kinds[x], x).toBeTruthy();
      for (const x of INDICATORS) expect(r.loop.rates[x.id], x.id).toBeTruthy();
      for (const x of STAGE_TIMES) expect(r.loop.stages[x], x).toBeTruthy();
    }
  });
});
