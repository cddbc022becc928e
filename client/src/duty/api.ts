// HTTP of the duty context (/api/duty/*): reads polled by the duty views, writes answered like socket acks.
import type { DutyNote, DutyNoteInput, DutyShift, HandoverListItem, HandoverReport, HandoverSignature } from '../../../core/duty.ts';
import type { Actor } from '../../../core/org.ts';
import type { Ack, ErrorCode } from '../../../core/protocol.ts';
import { getData } from '../realtime/http.ts';

async function post<T>(url: string, payload: unknown): Promise<Ack<T>> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const body = (await res.json().catch(() => null)) as { ok?: boolean; data?: T; code?: string; message?: string } | null;
    if (res.ok && body?.ok === true) return { ok: true, data: body.data as T };
    return { ok: false, code: (body?.code ?? `HTTP ${res.status}`) as ErrorCode, message: body?.message ?? `POST ${url}: HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, code: 'UNAVAILABLE', message: (e as Error).message };
  }
}

export const fetchDutyNow = (signal?: AbortSignal) => getData<{ current: DutyShift; next: DutyShift }>('/api/duty/now', signal);
export const fetchDutyLog = (from: number, to: number, signal?: AbortSignal) => getData<DutyNote[]>(`/api/duty/log?${new URLSearchParams({ from: String(from), to: String(to) })}`, signal);
export const fetchHandovers = (limit: number, signal?: AbortSignal) => getData<HandoverListItem[]>(`/api/duty/handovers?limit=${limit}`, signal);
export const fetchHandover = (start: number, signal?: AbortSignal) => getData<HandoverReport>(`/api/duty/handovers/${start}`, signal);
export const postNote = (actor: Actor, note: DutyNoteInput) => post<DutyNote>('/api/duty/log', { actor, note });
export const postSign = (start: number, actor: Actor, role: HandoverSignature['role'], note?: string) =>
  post<HandoverReport>(`/api/duty/handovers/${start}/sign`, { actor, role, ...(note?.trim() ? { note: note.trim() } : {}) });
