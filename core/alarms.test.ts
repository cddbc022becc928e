import { describe, expect, it } from 'vitest';
import { defaultDepartment } from './org.ts';
import { sensorAlarmClass } from './alarms.ts';

describe('sensorAlarmClass', () => {
  it('titles an embankment gauge’s alarms as a river flood: 0506 超警戒, 0507 超保证', () => {
    expect(sensorAlarmClass('0601', 'water-level')).toBe('0506');
    expect(sensorAlarmClass('0601', 'water-level', true)).toBe('0507');
  });

  it('keeps a storm drain’s water as 道路积水 (0503) and other metrics at their class, with no severe alarm', () => {
    expect(sensorAlarmClass('0103', 'water-level')).toBe('0503');
    expect(sensorAlarmClass('0108', 'gas')).toBe('0505');
    expect(sensorAlarmClass('0103', 'water-level', true)).toBeNull();
    expect(sensorAlarmClass('0301', 'smoke', true)).toBeNull();
  });
});

describe('who a river flood case goes to', () => {
  it('超警戒 to the water bureau, 超保证 to emergency management (the flood command)', () => {
    expect(defaultDepartment('0506')).toBe('DEPT-SW');
    expect(defaultDepartment('0507')).toBe('DEPT-YJ');
  });
});
