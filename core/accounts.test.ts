import { describe, expect, it } from 'vitest';
import { accountProblem, actorOf, afterWrongPassword, blockedMessage, LOCKOUT, passwordProblem, sessionTtlMs, signInRefusal, viewOf, type Account, type SignInAttempts } from './accounts.ts';

const NOW = Date.UTC(2026, 10, 24, 2, 0);
const account = (over: Partial<Account> = {}): Account => ({
  id: 'DUTY-L03', name: '值班领导三', role: 'duty-leader', org: '340803', disabled: false, mustChangePassword: false, createdAt: NOW, failedLogins: 0, lockedUntil: 0, ...over,
});

describe('accounts', () => {
  it('acts as its role in its org; an admin watches the district read-only', () => {
    expect(actorOf(account())).toEqual({ id: 'DUTY-L03', name: '值班领导三', role: 'duty-leader', org: '340803' });
    expect(actorOf(account({ id: 'root', role: 'admin' }))).toEqual({ id: 'root', name: '值班领导三', role: 'display', org: '340803' });
  });

  it('checks that the role fits the org', () => {
    expect(accountProblem(account())).toBeNull();
    expect(accountProblem(account({ role: 'township-operator', org: '340803001' }))).toBeNull();
    expect(accountProblem(account({ role: 'township-operator', org: '340803' }))).toMatch(/township/);
    expect(accountProblem(account({ role: 'department', org: 'DEPT-CG' }))).toBeNull();
    expect(accountProblem(account({ role: 'department', org: 'DEPT-NOPE' }))).toMatch(/unknown department/);
    expect(accountProblem(account({ role: 'admin', org: '340803001' }))).toMatch(/admin belongs to the district/);
    expect(accountProblem(account({ role: 'display', org: '340803001002' }))).toBeNull();
  });

  it('refuses short, repetitive or name-containing passwords', () => {
    expect(passwordProblem('short', 'x1')).toMatch(/at least 10/);
    expect(passwordProblem('aaaaaaaaaaaa', 'x1')).toMatch(/4 different/);
    expect(passwordProblem('my-duty-l03-pass', 'DUTY-L03')).toMatch(/login name/);
    expect(passwordProblem('correct horse battery', 'DUTY-L03')).toBeNull();
  });

  it('blocks a name from one address for 15 minutes after the fifth wrong password in a row; the account itself is never locked', () => {
    let a: SignInAttempts | undefined;
    for (let i = 1; i < LOCKOUT.failures; i++) {
      a = afterWrongPassword(a, NOW);
      expect(a.failures).toBe(i);
      expect(blockedMessage(a, NOW)).toBeNull();
    }
    a = afterWrongPassword(a, NOW);
    expect(a.blockedUntil).toBe(NOW + LOCKOUT.lockMs);
    expect(blockedMessage(a, NOW + LOCKOUT.lockMs - 1)).toMatch(/try again in 1 min/);
    expect(blockedMessage(a, NOW)).toMatch(/try again in 15 min/);
    expect(blockedMessage(a, NOW + LOCKOUT.lockMs)).toBeNull();
    // After the wait the count starts again from one.
    expect(afterWrongPassword(a, NOW + LOCKOUT.lockMs)).toEqual({ failures: 1, blockedUntil: 0 });
    // Wrong passwords are counted on the account for the admin's view; it is never locked by them.
    expect(viewOf(account({ failedLogins: 7 }), NOW).locked).toBe(false);
    expect(signInRefusal(account({ disabled: true }))).toBe('this account is disabled');
    expect(signInRefusal(undefined)).toBeNull();
  });

  it('keeps a screen signed in for 90 days and a person for a long shift', () => {
    expect(sessionTtlMs('display')).toBe(90 * 86_400_000);
    expect(sessionTtlMs('dispatcher')).toBe(14 * 3_600_000);
  });
});
