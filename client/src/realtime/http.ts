// The HTTP read models the panels poll (the socket carries the live state; these are reports),
// and attachment uploads (files go over HTTP, not the socket).
import { useEffect, useState } from 'react';
import type { KpiGroupKey, KpiSet } from '../../../core/cases/kpi.ts';
import type { CaseState } from '../../../core/cases/model.ts';
import type { Actor } from '../../../core/org.ts';
import type { Ack, ErrorCode } from '../../../core/protocol.ts';
import { bytesToBase64, sniffType, uploadName } from '../state/attachments.ts';

export interface KpiRow {
  key: string;
  kpis: KpiSet;
}

export interface WhistleScoreRow {
  unit: string;
  summoned: number;
  reportedIn: number;
  reportedOnTime: number;
  reportInRate: number | null;
  cooperation: number | null;
}

/** GET a `{ ok, data }` read model; throws with the server's message. */
export async function getData<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal });
  const body = (await res.json().catch(() => null)) as { ok?: boolean; data?: T; message?: string } | null;
  if (!res.ok || !body || body.ok === false) throw new Error(body?.message ?? `GET ${url}: HTTP ${res.status}`);
  return body.data as T;
}

/** GET /api/kpis: indicators per group over [from, to). */
export const fetchKpis = (scope: string, by: KpiGroupKey, from: number, to: number, signal?: AbortSignal) =>
  getData<KpiRow[]>(`/api/kpis?${new URLSearchParams({ scope, by, from: String(from), to: String(to) })}`, signal);

/** GET /api/whistles/scores: report-in rate and cooperation per summoned department. */
export const fetchWhistleScores = (scope: string, signal?: AbortSignal) => getData<WhistleScoreRow[]>(`/api/whistles/scores?${new URLSearchParams({ scope })}`, signal);

/** Polls `load` now and every `ms` while mounted (and again whenever `deps` change). Keeps the last good value on errors. */
export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, ms: number, deps: unknown[]): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ value: T | null; error: string | null }>({ value: null, error: null });
  useEffect(() => {
    const ac = new AbortController();
    const run = () =>
      load(ac.signal).then(
        (value) => !ac.signal.aborted && setState({ value, error: null }),
        (e: Error) => !ac.signal.aborted && setState((s) => ({ value: s.value, error: e.message })),
      );
    void run();
    const id = window.setInterval(run, ms);
    return () => {
      ac.abort();
      window.clearInterval(id);
    };
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  return state;
}

/**
 * POST /api/cases/:id/attachments: the file as base64, typed by its first bytes (the server checks
 * the content, the size and who attaches). Answers like a socket ack; the server's message verbatim.
 */
export async function uploadAttachment(caseId: string, actor: Actor, file: File): Promise<Ack<CaseState>> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = sniffType(bytes) ?? file.type;
    const res = await fetch(`/api/cases/${encodeURIComponent(caseId)}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actor, name: uploadName(file.name, type), type, data: bytesToBase64(bytes) }),
    });
    const body = (await res.json().catch(() => null)) as { ok?: boolean; data?: CaseState; code?: string; message?: string } | null;
    if (res.ok && body?.ok === true && body.data) return { ok: true, data: body.data };
    return { ok: false, code: (body?.code ?? `HTTP ${res.status}`) as ErrorCode, message: body?.message ?? `POST attachment: HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, code: 'UNAVAILABLE', message: (e as Error).message };
  }
}
