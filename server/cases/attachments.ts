// Photos and documents attached to a case, stored on the local disk (offline by default) under
// DATA_DIR/attachments/<case>/<sha256>.<ext>, size-limited and checked by content (magic bytes),
// never by the name or the declared type alone. The attachment itself is an event in the case's log.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { actorRef, fills } from '../../core/cases/lifecycle.ts';
import type { Actor } from '../../core/org.ts';
import type { Clock } from '../../core/domain.ts';
import type { Projector } from '../projections/projector.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import type { EventStore } from '../store/event-store.ts';
import { caseEvent, type CaseService, type Result } from './service.ts';
import type { CaseState } from '../../core/cases/model.ts';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_CASE = 20;

/** Accepted types and how to recognise them from their first bytes. */
const SIGNATURES: Array<{ type: string; ext: string; test: (b: Buffer) => boolean }> = [
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', ext: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];
export const ATTACHMENT_TYPES = SIGNATURES.map((s) => s.type);

export class AttachmentStore {
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly cases: CaseService,
    private readonly clock: Clock,
  ) {
    this.root = path.join(dataDir, 'attachments');
  }

  add(caseId: string, actor: Actor, declaredType: string, bytes: Buffer, name: string): Promise<Result<CaseState>> {
    if (bytes.length === 0) return Promise.resolve({ ok: false, code: 'INVALID_COMMAND', message: 'the attachment is empty' });
    if (bytes.length > MAX_ATTACHMENT_BYTES) return Promise.resolve({ ok: false, code: 'INVALID_COMMAND', message: `the attachment is ${bytes.length} bytes; at most ${MAX_ATTACHMENT_BYTES}` });
    const kind = SIGNATURES.find((s) => s.test(bytes));
    if (!kind) return Promise.resolve({ ok: false, code: 'INVALID_COMMAND', message: `the content is not one of: ${ATTACHMENT_TYPES.join(', ')}` });
    if (kind.type !== declaredType) return Promise.resolve({ ok: false, code: 'INVALID_COMMAND', message: `declared ${declaredType} but the content is ${kind.type}` });
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    // Decided on the case as the log has it, and logged only if nobody changed it meanwhile: the
    // event carries the case's stage, which must not roll back a stage another node just set.
    return this.cases.serial(caseId, () =>
      decideAndAppend<CaseState>(this.store, [caseId], () => {
        const c = this.projector.cases.get(caseId);
        if (!c) return { ok: false, code: 'NOT_FOUND', message: `no case ${caseId}` };
        if (!(['owner', 'assignee', 'reporter', 'community-worker'] as const).some((w) => fills(w, actor, c))) {
          return { ok: false, code: 'FORBIDDEN', message: `${actor.role} ${actor.org} may not add attachments to case ${caseId}` };
        }
        if (c.attachments >= MAX_ATTACHMENTS_PER_CASE) return { ok: false, code: 'INVALID_COMMAND', message: `a case holds at most ${MAX_ATTACHMENTS_PER_CASE} attachments` };
        // Stored by content before it is logged: a retry writes the same file.
        const dir = path.join(this.root, safe(caseId));
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${id}.${kind.ext}`);
        if (!existsSync(file)) writeFileSync(file, bytes);
        const at = this.clock.now();
        return {
          events: [caseEvent({ caseId, command: 'attach', from: c.stage, to: c.stage, at, actor: actorRef(actor), note: name.slice(0, 200), data: { attachment: { id: `${id}.${kind.ext}`, type: kind.type, bytes: bytes.length } } })],
          answer: () => ({ ok: true, data: this.projector.cases.get(caseId)! }),
        };
      }),
    );
  }

  /** The stored file, or null (ids are checked: no path traversal). */
  read(caseId: string, attachmentId: string): { bytes: Buffer; type: string } | null {
    const m = /^([0-9a-f]{32})\.(jpg|png|webp|pdf)$/.exec(attachmentId);
    if (!m) return null;
    const file = path.join(this.root, safe(caseId), attachmentId);
    if (!existsSync(file)) return null;
    return { bytes: readFileSync(file), type: SIGNATURES.find((s) => s.ext === m[2])!.type };
  }
}

/** Case ids are [A-Za-z0-9_.:-]; ':' is not portable in file names and '..' must never climb. */
const safe = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, (ch) => `_${ch.charCodeAt(0).toString(16)}`);
