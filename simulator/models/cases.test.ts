import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../core/protocol.ts';
import { EVENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';
import { FakeClock, tinyDataset } from '../fixture.ts';
import { Rng } from '../rng.ts';
import { CollectingSink } from '../types.ts';
import { World } from '../world.ts';
import { CasesModel } from './cases.ts';

const ORDER = ['reported', 'filed', 'dispatched', 'handling', 'handled', 'closed'];

function checkSequences(records: CaseRecord[]) {
  const byId = new Map<string, CaseRecord[]>();
  for (const r of records) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  for (const list of byId.values()) {
    expect(list[0].stage).toBe('reported');
    for (let k = 1; k < list.length; k++) {
      const prev = list[k - 1], cur = list[k];
      if (cur.stage === 'voided') expect(prev.stage).toBe('reported');
      else expect(ORDER.indexOf(cur.stage)).toBe(ORDER.indexOf(prev.stage) + 1);
      expect(cur.updatedAt).toBeGreaterThan(prev.updatedAt);
      expect(cur.reportedAt).toBe(list[0].reportedAt);
      if (ORDER.indexOf(cur.stage) >= 2) expect(cur.deadline).toBeDefined();
      else expect(cur.deadline).toBeUndefined();
      if (cur.stage === 'dispatched') {
        const limitMs = EVENT_CLASS_BY_CODE.get(cur.eventClass)!.limitHours * 3_600_000;
        expect(cur.deadline! - cur.updatedAt).toBeCloseTo(limitMs / 1, -1);
      }
    }
  }
  return byId;
}

describe('cases', () => {
  it('about 80 a day from all sources through the whole world, with legal stage sequences', () => {
    const ds = tinyDataset({ cameras: 40, components: 3000, sensorEvery: 3 });
    const totals: number[] = [];
    for (const seed of [1, 2, 3]) {
      const world = new World(ds, { seed, runTag: 't', shift: 'always' });
      const clock = new FakeClock();
      const out = new CollectingSink();
      world.start(clock.ctx(), out);
      out.clear();
      for (let t = 0; t < 86_400; t += 10) {
        world.tick(clock.step(10), out);
        out.devices.length = 0;
        out.videos.length = 0;
      }
      checkSequences(out.cases);
      const reported = out.cases.filter((c) => c.stage === 'reported');
      totals.push(reported.length);
      for (const c of reported) {
        expect(c.title).toMatch(/^(马山社区|龙山社区)/);
        if (c.source === 'hotline-12345') expect(c.hotlineOrderNo).toMatch(/^12345-2026112[34]-\d{6}$/);
      }
    }
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(mean).toBeGreaterThan(55);
    expect(mean).toBeLessThan(105);
  });

  it('closes ~85-90% on time, ~8% late, and patrol cases on the spot within minutes', () => {
    const ds = tinyDataset();
    const model = new CasesModel(ds, new Rng(4), 't');
    const clock = new FakeClock();
    const out = new CollectingSink();
    for (let t = 0; t < 20 * 86_400; t += 60) model.tick(clock.step(60), out);
    const byId = checkSequences(out.cases);
    const closed = out.cases.filter((c) => c.stage === 'closed');
    const late = closed.filter((c) => c.updatedAt > c.deadline!).length;
    expect(closed.length).toBeGreaterThan(1200);
    expect(late / closed.length).toBeGreaterThan(0.05);
    expect(late / closed.length).toBeLessThan(0.16);
    expect(model.stats.voided).toBeGreaterThan(0);
    const quick = [...byId.values()].filter((l) => l[0].source === 'patrol' && l.at(-1)!.stage === 'closed' && l.at(-1)!.updatedAt - l[0].reportedAt < 45 * 60_000);
    const patrol = [...byId.values()].filter((l) => l[0].source === 'patrol');
    expect(quick.length / patrol.length).toBeGreaterThan(0.45);
  });

  it('--speed scales durations and deadlines', () => {
    const ds = tinyDataset();
    const model = new CasesModel(ds, new Rng(4), 't');
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 0, 0, 0), 60);
    const out = new CollectingSink();
    for (let t = 0; t < 3600; t += 1) model.tick(clock.step(1), out); // one wall hour = 60 simulated hours
    const reported = out.cases.filter((c) => c.stage === 'reported').length;
    expect(reported).toBeGreaterThan(130);
    expect(reported).toBeLessThan(280);
    for (const c of out.cases.filter((x) => x.stage === 'dispatched')) {
      const limitMs = EVENT_CLASS_BY_CODE.get(c.eventClass)!.limitHours * 3_600_000;
      expect(Math.abs(c.deadline! - c.updatedAt - limitMs / 60)).toBeLessThan(2);
    }
  });
});
