import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../../core/alarms.ts';
import { AlarmBook } from './alarm-book.ts';

const T = Date.UTC(2026, 10, 23, 2, 0);
const alarm = (over: Partial<AlarmState> = {}): AlarmState => ({
  id: 'AL-1', kind: 'video', deviceKind: 'camera', deviceId: 'CAM-00001', deviceIndex: 0, eventClass: '0402', metric: null, value: null, confidence: 0.8,
  lon: 117, lat: 30.5, gridIndex: 0, townshipCode: '340803001', communityCode: '340803001002', raisedAt: T, status: 'active', repeats: 0,
  ackAt: null, ackBy: null, clearedAt: null, clearedBy: null, caseId: null, updatedAt: T, ...over,
});

describe('AlarmBook', () => {
  it('follows active → acknowledged → cleared and forgets the device’s open alarm when cleared', () => {
    const b = new AlarmBook();
    b.apply({ type: 'raised', alarm: alarm() });
    expect(b.openOfDevice('CAM-00001')?.id).toBe('AL-1');
    b.apply({ type: 'repeated', alarmId: 'AL-1', at: T + 1000 });
    b.apply({ type: 'acknowledged', alarmId: 'AL-1', at: T + 2000, by: 'd1' });
    expect(b.get('AL-1')).toMatchObject({ status: 'acknowledged', repeats: 1, ackBy: 'd1' });
    b.apply({ type: 'cleared', alarmId: 'AL-1', at: T + 3000, by: 'd1' });
    expect(b.openOfDevice('CAM-00001')).toBeUndefined();
    expect(b.takeChanged().map((a) => a.status)).toEqual(['cleared']);
    expect(b.visible(() => true, T + 3000)).toHaveLength(1);
    expect(b.visible(() => true, T + 2 * 3_600_000)).toHaveLength(0);
  });

  it('moves updatedAt forward even when the device clock ran ahead of the server', () => {
    const b = new AlarmBook();
    b.apply({ type: 'raised', alarm: alarm({ raisedAt: T + 60_000, updatedAt: T + 60_000 }) });
    const acked = b.apply({ type: 'acknowledged', alarmId: 'AL-1', at: T, by: 'd1' })!;
    expect(acked.updatedAt).toBeGreaterThan(T + 60_000);
    const cleared = b.apply({ type: 'cleared', alarmId: 'AL-1', at: T + 1, by: 'd1' })!;
    expect(cleared.updatedAt).toBeGreaterThan(acked.updatedAt);
  });
});
