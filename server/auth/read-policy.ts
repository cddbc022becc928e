// Every API route says, where it is registered, what it lets a reader see (`config: { read }`); the
// auth plugin refuses to start with a route that does not, enforces the policy, and writes it into
// the OpenAPI document (`x-read-policy`), where the route-table test reads it.
import type { FastifyRequest, RouteOptions } from 'fastify';
import { DISTRICT_CODE, levelOfCode } from '../../core/org.ts';

/**
 * - `public`: open without a session (liveness, signing in, the API description).
 * - `gateway`: device ingest, authenticated by gateway key.
 * - `exchange`: the city platform's feed (district-wide on purpose), authenticated by consumer key.
 * - `self`: the caller's own session and password.
 * - `admin`: administrators only.
 * - `district`: district-wide on purpose (the duty roster, device infrastructure and its health,
 *   the drones): nothing in it belongs to one township's residents or staff.
 * - `area`: confined to the caller's area (`request.area`): cases, alarms, whistles, broadcasts, the
 *   duty log and handovers, analysis, grid workers' positions.
 */
export type ReadPolicy = 'public' | 'gateway' | 'exchange' | 'self' | 'admin' | 'district' | 'area';
export const READ_POLICIES: readonly ReadPolicy[] = ['public', 'gateway', 'exchange', 'self', 'admin', 'district', 'area'];
/** Policies whose routes authenticate by a key of their own, not a session. */
export const KEYED_POLICIES: ReadonlySet<ReadPolicy | undefined> = new Set<ReadPolicy | undefined>(['gateway', 'exchange']);

declare module 'fastify' {
  interface FastifyContextConfig {
    read?: ReadPolicy;
  }
  interface FastifyRequest {
    /** The area this request may read: the account's (or the narrower ?scope inside it), else the ?scope asked for, else the district. */
    area: string;
  }
}

export const OPENAPI_KEY = 'x-read-policy';

/** Checks a route's declared policy and records it in its schema (for OpenAPI); throws when missing. */
export function declareReadPolicy(route: RouteOptions): void {
  if (!route.url.startsWith('/api/')) return;
  const read = (route.config as { read?: ReadPolicy } | undefined)?.read;
  if (!read || !READ_POLICIES.includes(read)) {
    throw new Error(`${String(route.method)} ${route.url} declares no read policy: give it config: { read: ${READ_POLICIES.map((p) => `'${p}'`).join(' | ')} } (server/auth/read-policy.ts)`);
  }
  route.schema ??= {};
  (route.schema as Record<string, unknown>)[OPENAPI_KEY] = read;
}

/**
 * The path a request was routed by: the matched route's pattern, else the raw URL (no route: a
 * 404). Never decide on `req.url` alone: the router percent-decodes it, so `/%61pi/cases` reaches
 * `/api/cases` while `req.url.startsWith('/api/')` is false.
 */
export const routedPath = (req: FastifyRequest): string => req.routeOptions.url ?? req.url;

export const policyOf = (req: FastifyRequest): ReadPolicy | undefined => (req.routeOptions.config as { read?: ReadPolicy } | undefined)?.read;

/** The area a request reads, or why its ?scope is refused. `own` is the signed-in account's area (null: not signed in). */
export function areaOf(query: unknown, own: string | null): string | { error: string } {
  const asked = query && typeof query === 'object' ? (query as { scope?: unknown }).scope : undefined;
  if (asked !== undefined && (typeof asked !== 'string' || !levelOfCode(asked))) {
    return { error: `scope "${String(asked)}" is not the district (${DISTRICT_CODE}) or one of its townships or communities` };
  }
  if (own === null) return (asked as string | undefined) ?? DISTRICT_CODE;
  if (asked === undefined) return own;
  return (asked as string).startsWith(own) ? (asked as string) : { error: `scope ${String(asked)} is outside your area (${own})` };
}

