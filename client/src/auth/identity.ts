// The identity of a signed-in account: it acts as itself; a screen (display) or an admin watches
// read-only, and may narrow its area with ?scope= inside its own. Pure.
import type { AccountView } from '../../../core/accounts.ts';
import { DISTRICT_CODE, levelOfCode, scopeOf, type Actor } from '../../../core/org.ts';
import type { Identity } from '../state/identity.ts';

export function accountIdentity(account: AccountView, actor: Actor, search: string): Identity {
  const key = `account:${account.id}`;
  if (actor.role !== 'display') return { key, actor, scope: scopeOf(actor) };
  const own = account.role === 'admin' ? DISTRICT_CODE : actor.org;
  const asked = new URLSearchParams(search).get('scope');
  const scope = asked && levelOfCode(asked) && asked.startsWith(own) ? asked : own;
  return { key, actor: null, scope };
}
