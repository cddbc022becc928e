import { describe, expect, it } from 'vitest';
import { PacedChanges } from './paced-changes.ts';

describe('PacedChanges', () => {
  it('gives discrete changes at once and telemetry only when the pace is due', () => {
    const c = new PacedChanges<string>();
    c.telemetry('a');
    c.telemetry('b');
    expect(c.take(false)).toEqual([]);
    c.discrete('b');
    // b goes (with its waiting telemetry); a keeps waiting.
    expect(c.take(false)).toEqual(['b']);
    expect(c.take(false)).toEqual([]);
    expect(c.take(true)).toEqual(['a']);
    expect(c.take(true)).toEqual([]);
  });

  it('keeps a key discrete once marked, whatever telemetry follows, and gives each key once', () => {
    const c = new PacedChanges<string>();
    c.discrete('a');
    c.telemetry('a');
    c.telemetry('b');
    c.discrete('b');
    c.telemetry('b');
    expect(c.take(false)).toEqual(['a', 'b']);
    c.telemetry('a');
    c.discrete('c');
    expect(c.take(true)).toEqual(['a', 'c']);
  });
});
