import { describe, expect, it } from 'vitest';
import { applyCasePatch, casePatch } from './patch.ts';
import { caseState } from './test-case.ts';

const T = Date.UTC(2026, 11, 7, 2);

describe('case patches', () => {
  const reported = caseState({ id: 'C-P1', reportedAt: T });
  const dispatched = { ...reported, stage: 'dispatched' as const, assignee: 'DEPT-1', dispatchedAt: T + 60_000, updatedAt: T + 60_000, version: 3 };

  it('carries only the fields that changed, and the new version', () => {
    expect(casePatch(reported, dispatched)).toEqual({ id: 'C-P1', from: 1, set: { stage: 'dispatched', assignee: 'DEPT-1', dispatchedAt: T + 60_000, updatedAt: T + 60_000, version: 3 } });
  });

  it('compares nested objects by value: an equal extension is left out, a changed one is sent whole', () => {
    const a = { ...reported, extension: { hours: 4, reason: 'rain', by: 'u1', at: T } };
    const b = { ...a, extension: { hours: 4, reason: 'rain', by: 'u1', at: T }, version: 2 };
    expect(casePatch(a, b).set).toEqual({ version: 2 });
    const c = { ...a, extension: { hours: 8, reason: 'rain', by: 'u1', at: T }, version: 2 };
    expect(casePatch(a, c).set).toEqual({ version: 2, extension: { hours: 8, reason: 'rain', by: 'u1', at: T } });
  });

  it('applied to the version it starts from, gives the new state', () => {
    expect(applyCasePatch(reported, casePatch(reported, dispatched))).toEqual(dispatched);
  });

  it('is stale on a screen that already holds that version or a newer one', () => {
    const p = casePatch(reported, dispatched);
    expect(applyCasePatch(dispatched, p)).toBe('stale');
    expect(applyCasePatch({ ...dispatched, version: 4 }, p)).toBe('stale');
  });

  it('is missing where the screen holds no such case, or another version than it starts from', () => {
    const p = casePatch(reported, dispatched);
    expect(applyCasePatch(undefined, p)).toBe('missing');
    expect(applyCasePatch({ ...reported, version: 2 }, p)).toBe('missing');
  });
});
