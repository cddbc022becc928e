import { describe, expect, it } from 'vitest';
import { accountStatus, auditQuery, diffText } from './helpers.ts';

describe('admin helpers', () => {
  const now = 1_800_000_000_000;
  it('builds the audit query: window start, trimmed filters, limit and paging', () => {
    expect(auditQuery({ window: '1h', action: '', actor: ' ', subject: '' }, now)).toBe(`?from=${now - 3_600_000}&limit=50`);
    const q = new URLSearchParams(auditQuery({ window: '7d', action: 'account', actor: ' admin ', subject: 'op:1' }, now, { limit: 20, before: 42 }).slice(1));
    expect(Object.fromEntries(q)).toEqual({ from: String(now - 7 * 86_400_000), action: 'account', actor: 'admin', subject: 'op:1', limit: '20', before: '42' });
    expect(auditQuery({ window: '24h', action: '', actor: '', subject: '' }, now, { before: null })).not.toContain('before');
  });
  it('shows only what changed, or the after alone', () => {
    expect(diffText({ name: 'a', disabled: false }, { name: 'a', disabled: true })).toBe('disabled: false→true');
    expect(diffText(null, { role: 'display', org: '340803001' })).toBe('role=display, org=340803001');
    expect(diffText({ stage: 'filed' }, { stage: 'dispatched', unit: 'DEPT-CG' })).toBe('stage: filed→dispatched; unit: ∅→DEPT-CG');
    expect(diffText(null, null)).toBe('');
    expect(diffText('x', 3)).toBe('x→3');
    expect(diffText(null, { note: 'y'.repeat(100) })).toMatch(/^note=y{39}…$/);
  });
  it('gives one status, disabled first', () => {
    expect(accountStatus({ disabled: true, locked: true, mustChangePassword: true })).toBe('disabled');
    expect(accountStatus({ disabled: false, locked: true, mustChangePassword: true })).toBe('locked');
    expect(accountStatus({ disabled: false, locked: false, mustChangePassword: true })).toBe('mustChange');
    expect(accountStatus({ disabled: false, locked: false, mustChangePassword: false })).toBe('active');
  });
});
