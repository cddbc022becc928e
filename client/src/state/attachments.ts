// Case attachments on the client: the limits the server enforces (server/cases/attachments.ts),
// checked before a file leaves the phone, who may attach (the same roles as the server), the
// type recognised from the file's first bytes, base64 for the JSON body, and the timeline's
// attach events as a list of files. Pure.
import { fills } from '../../../core/cases/lifecycle.ts';
import type { CaseEvent, CaseState } from '../../../core/cases/model.ts';
import type { Actor } from '../../../core/org.ts';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Photos a grid worker may add to a report (more can be added to the case afterwards). */
export const MAX_REPORT_PHOTOS = 3;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const ATTACHMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'] as const;

export type FileProblem = 'empty' | 'tooBig' | 'badType';

/**
 * Why a picked file cannot be sent, or null. A file without a declared type (some phones) passes
 * here; its type is read from its bytes at upload (sniffType) and the server checks it again.
 */
export function fileProblem(f: { size: number; type: string }, types: readonly string[] = ATTACHMENT_TYPES): FileProblem | null {
  if (f.size === 0) return 'empty';
  if (f.size > MAX_ATTACHMENT_BYTES) return 'tooBig';
  if (f.type && !types.includes(f.type)) return 'badType';
  return null;
}

/** The accepted type the content is, from its magic bytes (as the server decides), or null. */
export function sniffType(b: Uint8Array): (typeof ATTACHMENT_TYPES)[number] | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'image/png';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (what the server's Buffer.from(data, 'base64') reads). */
export function bytesToBase64(b: Uint8Array): string {
  const out: string[] = [];
  let chunk = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    chunk += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
    if (chunk.length >= 8192) {
      out.push(chunk);
      chunk = '';
    }
  }
  out.push(chunk);
  return out.join('');
}

/** Who may attach to a case: its owner center's staff, the assigned unit, the reporting grid worker, a grid worker of its community. */
export function canAttach(actor: Actor | null, c: CaseState): boolean {
  if (!actor || actor.role === 'display' || actor.role === 'system') return false;
  return (['owner', 'assignee', 'reporter', 'community-worker'] as const).some((w) => fills(w, actor, c));
}

/** GET URL of an attachment, asked with the area the client shows (the server checks the case is in it). */
export const attachmentUrl = (caseId: string, attachmentId: string, scope: string) =>
  `/api/cases/${encodeURIComponent(caseId)}/attachments/${encodeURIComponent(attachmentId)}?${new URLSearchParams({ scope })}`;

export interface AttachmentRef {
  id: string;
  type: string;
  bytes: number;
  name: string;
  at: number;
  by: string;
}

/** The case's attachments, oldest first, from its timeline. */
export function attachmentsOf(events: readonly CaseEvent[]): AttachmentRef[] {
  const out: AttachmentRef[] = [];
  for (const e of events) {
    const a = e.command === 'attach' ? e.data?.attachment : undefined;
    if (a) out.push({ id: a.id, type: a.type, bytes: a.bytes, name: e.note ?? a.id, at: e.at, by: e.actor.name });
  }
  return out;
}

export const isImage = (type: string) => type.startsWith('image/');

/** 512 B, 34 KB, 1.2 MB, 5 MB (whole megabytes without a decimal). */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  const mb = n / 1024 / 1024;
  return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
}

/** A file name the server takes (1–200 characters). */
export const uploadName = (name: string, type: string) => (name.trim() || `photo.${type.split('/')[1] ?? 'bin'}`).slice(0, 200);
