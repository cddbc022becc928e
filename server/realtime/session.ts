// Who a dashboard connection acts as and which area it sees, from the Socket.IO handshake.
// Until accounts exist (issue 6) the dashboard declares its actor; the server checks that the
// actor is well formed and confines everything it sends and accepts to the actor's scope.
import { Compile } from 'typebox/compile';
import { ActorSchema } from '../../core/cases/schemas.ts';
import { actorProblem, DISTRICT_CODE, levelOfCode, scopeOf, type Actor } from '../../core/org.ts';
import type { Session } from '../../core/protocol.ts';

const actorCheck = Compile(ActorSchema);

export const displayActor = (scope: string): Actor => ({ id: `display-${scope}`, name: '大屏', role: 'display', org: scope });

/** The session for a handshake `auth`, or the reason it is refused. */
export function sessionFromAuth(auth: unknown): Session | { error: string } {
  const a = (auth && typeof auth === 'object' ? auth : {}) as { actor?: unknown; scope?: unknown };
  if (a.scope !== undefined && (typeof a.scope !== 'string' || !levelOfCode(a.scope))) {
    return { error: `scope "${String(a.scope)}" is not the district (${DISTRICT_CODE}) or one of its townships or communities` };
  }
  if (a.actor === undefined || a.actor === null) {
    const scope = (a.scope as string | undefined) ?? DISTRICT_CODE;
    return { actor: displayActor(scope), scope };
  }
  if (!actorCheck.Check(a.actor)) {
    const first = [...actorCheck.Errors(a.actor)][0] as { instancePath?: string; message?: string } | undefined;
    return { error: `actor ${first?.instancePath || ''} ${first?.message ?? 'is malformed'}`.replace(/\s+/g, ' ') };
  }
  const actor = a.actor as Actor;
  if (actor.role === 'system') return { error: 'a dashboard cannot act as the system' };
  const problem = actorProblem(actor);
  if (problem) return { error: `actor: ${problem}` };
  return narrowed(actor, a.scope);
}

/** The session of a signed-in account: its actor, and the area it asked for inside its own. */
export function sessionForAccount(actor: Actor, auth: unknown): Session | { error: string } {
  const a = (auth && typeof auth === 'object' ? auth : {}) as { scope?: unknown };
  if (a.scope !== undefined && (typeof a.scope !== 'string' || !levelOfCode(a.scope))) {
    return { error: `scope "${String(a.scope)}" is not the district (${DISTRICT_CODE}) or one of its townships or communities` };
  }
  return narrowed(actor, a.scope);
}

function narrowed(actor: Actor, requested: unknown): Session | { error: string } {
  const own = actor.role === 'display' ? actor.org : scopeOf(actor);
  // A screen may narrow its view inside the actor's area, never widen it.
  const scope = typeof requested === 'string' ? requested : own;
  if (!scope.startsWith(own)) return { error: `scope ${scope} is outside the area of ${actor.role} ${actor.org} (${own})` };
  return { actor, scope };
}
