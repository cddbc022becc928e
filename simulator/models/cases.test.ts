import { describe, expect, it } from 'vitest';
import { CaseReportSchema } from '../../core/cases/schemas.ts';
import { Compile } from 'typebox/compile';
import { FakeClock, tinyDataset } from '../fixture.ts';
import { Rng } from '../../core/random.ts';
import { CollectingSink } from '../types.ts';
import { World } from '../world.ts';
import { CasesModel } from './cases.ts';

const checkReport = Compile(CaseReportSchema);

describe('case intake', () => {
  it('reports ~66 a day itself (video-AI and sensor cases are the server’s), valid and with the right shares', () => {
    const ds = tinyDataset({ cameras: 40, components: 3000, sensorEvery: 3 });
    const totals: number[] = [];
    const bySource: Record<string, number> = {};
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
      totals.push(out.cases.length);
      for (const c of out.cases) {
        expect(checkReport.Check(c)).toBe(true);
        bySource[c.source] = (bySource[c.source] ?? 0) + 1;
        expect(c.title).toMatch(/^(马山社区|龙山社区)/);
        const hotline = c.source === 'hotline-12345' || c.source === 'hotline-12319';
        expect(c.hotlineOrderNo !== undefined).toBe(hotline);
        if (c.source === 'hotline-12345') expect(c.hotlineOrderNo).toMatch(/^12345-2026112[34]-\d{6}$/);
        // The reporting grid worker is named: only they may close the case on the spot.
        if (c.source === 'patrol') expect(c.reporter).toBe(ds.grids.find((g) => g.props.workerId === c.reporter)?.props.workerId);
        else expect(c.reporter).toBeUndefined();
      }
    }
    expect(bySource['video-ai'] ?? 0).toBe(0);
    expect(bySource.sensor ?? 0).toBe(0);
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(mean).toBeGreaterThan(50);
    expect(mean).toBeLessThan(85);
    const all = totals.reduce((a, b) => a + b, 0);
    expect(bySource.patrol / all).toBeGreaterThan(0.55);
    expect(bySource.patrol / all).toBeLessThan(0.78);
  });

  it('patrol never reports emergencies (05xx) and hotline order numbers increase within a day', () => {
    const model = new CasesModel(tinyDataset(), new Rng(9), 't');
    const clock = new FakeClock();
    const out = new CollectingSink();
    for (let t = 0; t < 5 * 86_400; t += 60) model.tick(clock.step(60), out);
    expect(out.cases.length).toBeGreaterThan(250);
    for (const c of out.cases.filter((x) => x.source === 'patrol')) expect(c.eventClass.startsWith('05')).toBe(false);
    const nos = out.cases.filter((c) => c.source === 'hotline-12345').map((c) => c.hotlineOrderNo!);
    for (let i = 1; i < nos.length; i++) if (nos[i].slice(6, 14) === nos[i - 1].slice(6, 14)) expect(nos[i] > nos[i - 1]).toBe(true);
  });

  it('--speed multiplies the intake rate', () => {
    const model = new CasesModel(tinyDataset(), new Rng(4), 't');
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 0, 0, 0), 60);
    const out = new CollectingSink();
    for (let t = 0; t < 3600; t += 1) model.tick(clock.step(1), out); // one wall hour = 60 simulated hours
    expect(out.cases.length).toBeGreaterThan(110);
    expect(out.cases.length).toBeLessThan(240);
    expect(model.stats.reported).toBe(out.cases.length);
  });
});
