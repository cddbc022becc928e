import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { DeviceRecordSchema } from '../core/protocol.ts';
import { tinyDataset } from './fixture.ts';
import { LoadGenerator } from './load.ts';

describe('LoadGenerator', () => {
  it('builds valid device records over every kind with ~10% status flips', () => {
    const gen = new LoadGenerator(tinyDataset(), 1);
    const check = Compile(DeviceRecordSchema);
    const first = JSON.parse(gen.body(20_000, 1_800_000_000_000)).records as any[];
    for (const r of first) expect(check.Check(r)).toBe(true);
    const kinds = new Set(first.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['camera', 'component', 'drone', 'worker']); // the tiny dataset has no lookouts/broadcast
    const down = first.filter((r) => r.status !== 'online').length / first.length;
    expect(down).toBeGreaterThan(0.02);
    expect(down).toBeLessThan(0.6);
    expect(gen.produced).toBe(20_000);
  });
});
