import { describe, expect, it } from 'vitest';
import type { HandoverSignature } from '../../../core/duty.ts';
import { handoverState } from './handoverState.ts';

const sig = (role: HandoverSignature['role']): HandoverSignature => ({ role, at: 1, actor: { id: 'DUTY-L01', name: '王', role: 'duty-leader', org: '340803' } });

describe('handoverState', () => {
  it('calls a shift from before go-live neither signed nor unsigned', () => {
    expect(handoverState({ signatures: [], beforeGoLive: true })).toBe('beforeGoLive');
  });
  it('calls a shift since go-live without signatures unsigned', () => {
    expect(handoverState({ signatures: [], beforeGoLive: false })).toBe('unsigned');
  });
  it('counts the signatures', () => {
    expect(handoverState({ signatures: [sig('outgoing')], beforeGoLive: false })).toBe('signedOut');
    expect(handoverState({ signatures: [sig('outgoing'), sig('incoming')], beforeGoLive: false })).toBe('signedBoth');
  });
});
