// The sign-in calls (the session lives in an httpOnly cookie the page never sees).
import type { AccountView } from '../../../core/accounts.ts';
import type { Actor } from '../../../core/org.ts';

export interface SessionInfo {
  mode: 'accounts' | 'declared';
  account: AccountView | null;
  actor: Actor | null;
}

export type Answer<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** One JSON call with the session cookie; never throws: failures come back as a coded answer. */
export async function send<T>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  try {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    const json = (await res.json().catch(() => null)) as Answer<T> | { message?: string } | null;
    if (json && 'ok' in json) return json as Answer<T>;
    return { ok: false, code: String(res.status), message: (json as { message?: string } | null)?.message ?? `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, code: 'UNAVAILABLE', message: `the server cannot be reached: ${(e as Error).message}` };
  }
}

export const fetchSession = () => send<SessionInfo>('GET', '/api/auth/session');
export const signIn = (id: string, password: string) => send<{ account: AccountView }>('POST', '/api/auth/login', { id, password });
export const signOut = () => send<null>('POST', '/api/auth/logout');
export const changePassword = (current: string, next: string) => send<null>('POST', '/api/auth/password', { current, next });
