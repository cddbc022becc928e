import { describe, expect, it } from 'vitest';
import { DeviceRecordSchema } from '../../core/protocol.ts';
import { describeErrors, recordChecker } from './record-check.ts';

describe('recordChecker', () => {
  const check = recordChecker(DeviceRecordSchema);
  it('accepts a valid record and returns it typed', () => {
    const r = check({ kind: 'drone', id: 'UAV-1', ts: 1_800_000_000_000, lon: 117, lat: 30.5, alt: 100, battery: 80 }, 0);
    expect(r).toEqual({ ok: true, value: { kind: 'drone', id: 'UAV-1', ts: 1_800_000_000_000, lon: 117, lat: 30.5, alt: 100, battery: 80 } });
  });
  it('names the field of the first problem', () => {
    expect(check({ kind: 'camera', id: 'C 1', ts: 1_800_000_000_000 }, 7)).toEqual({
      ok: false,
      error: { index: 7, id: 'C 1', field: '/id', code: 'INVALID_RECORD', message: 'must match pattern "^[A-Za-z0-9_.:-]+$"' },
    });
    expect(check({ kind: 'camera', id: 'C1', ts: 1_800_000_000_000, extra: 1 }, 0)).toMatchObject({ ok: false, error: { field: '/extra', message: 'is not an allowed property' } });
    expect(check({ kind: 'camera', id: 'C1', ts: 12 }, 0)).toMatchObject({ ok: false, error: { field: '/ts', message: 'must be >= 1577836800000' } });
  });
});

describe('describeErrors', () => {
  it('summarises a union of constants as the list of allowed values', () => {
    const errors = [
      { keyword: 'const', instancePath: '/k', message: 'x', params: { allowedValue: 'a' } },
      { keyword: 'const', instancePath: '/k', message: 'x', params: { allowedValue: 'b' } },
      { keyword: 'anyOf', instancePath: '/k', message: 'must match a schema in anyOf', params: {} },
      { keyword: 'minimum', instancePath: '/n', message: 'must be >= 0', params: {} },
    ];
    expect(describeErrors(errors)).toEqual([
      { field: '/k', message: 'must be one of: a, b' },
      { field: '/n', message: 'must be >= 0' },
    ]);
  });
});
