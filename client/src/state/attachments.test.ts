import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../../core/cases/model.ts';
import type { Actor } from '../../../core/org.ts';
import {
  ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, PHOTO_TYPES, attachmentUrl, attachmentsOf, bytesToBase64, canAttach, fileProblem, fmtBytes, sniffType, uploadName,
} from './attachments.ts';
import { caseOf } from './test-support.ts';

const PNG_1x1 = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);

describe('attachment limits', () => {
  it('refuses empty files, files over 5 MB and types the case does not take, before upload', () => {
    expect(fileProblem({ size: 1000, type: 'image/png' })).toBeNull();
    expect(fileProblem({ size: MAX_ATTACHMENT_BYTES, type: 'image/jpeg' })).toBeNull();
    expect(fileProblem({ size: MAX_ATTACHMENT_BYTES + 1, type: 'image/jpeg' })).toBe('tooBig');
    expect(fileProblem({ size: 0, type: 'image/jpeg' })).toBe('empty');
    expect(fileProblem({ size: 10, type: 'image/gif' })).toBe('badType');
    expect(fileProblem({ size: 10, type: 'application/pdf' }, ATTACHMENT_TYPES)).toBeNull();
    expect(fileProblem({ size: 10, type: 'application/pdf' }, PHOTO_TYPES)).toBe('badType');
    // No declared type (some phones): its bytes decide at upload.
    expect(fileProblem({ size: 10, type: '' }, PHOTO_TYPES)).toBeNull();
  });

  it('recognises the accepted types by their first bytes, as the server does', () => {
    expect(sniffType(PNG_1x1)).toBe('image/png');
    expect(sniffType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffType(new Uint8Array())).toBeNull();
  });
});

describe('base64', () => {
  it('encodes like Buffer (padding, every length mod 3, long inputs)', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 100, 20_000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(bytesToBase64(b), `length ${n}`).toBe(Buffer.from(b).toString('base64'));
    }
    expect(bytesToBase64(PNG_1x1)).toBe(Buffer.from(PNG_1x1).toString('base64'));
  });
});

describe('who may attach', () => {
  const c = caseOf('C1', { owner: '340803001002', reporter: 'GW-0001', communityCode: '340803001002' });
  const actor = (role: Actor['role'], org: string, id = 'x'): Actor => ({ id, name: id, role, org });
  it('the owner center and the centers above it, the assigned unit, the reporter and workers of the community', () => {
    expect(canAttach(actor('community-operator', '340803001002'), c)).toBe(true);
    expect(canAttach(actor('township-operator', '340803001'), c)).toBe(true);
    expect(canAttach(actor('dispatcher', '340803'), c)).toBe(true);
    expect(canAttach(actor('grid-worker', '340803001002', 'GW-0001'), c)).toBe(true);
    expect(canAttach(actor('grid-worker', '340803001002', 'GW-0009'), c)).toBe(true); // same community
    expect(canAttach(actor('department', 'DEPT-CG'), { ...c, stage: 'handling', assignee: 'DEPT-CG' })).toBe(true);
  });
  it('nobody else: other townships, other communities, unassigned departments, screens', () => {
    expect(canAttach(actor('township-operator', '340803002'), c)).toBe(false);
    expect(canAttach(actor('grid-worker', '340803001003', 'GW-0100'), c)).toBe(false);
    expect(canAttach(actor('department', 'DEPT-CG'), c)).toBe(false);
    expect(canAttach(actor('display', '340803'), c)).toBe(false);
    expect(canAttach(null, c)).toBe(false);
  });
});

describe('attachments of a timeline', () => {
  it('lists attach events with the file name, and builds the scoped GET URL', () => {
    const by = { id: 'GW-0001', name: '张三', role: 'grid-worker' as const, org: '340803001002' };
    const events: CaseEvent[] = [
      { caseId: 'C:1', command: 'report', from: null, to: 'reported', at: 1, actor: by },
      { caseId: 'C:1', command: 'attach', from: 'reported', to: 'reported', at: 2, actor: by, note: '井盖.png', data: { attachment: { id: 'ab.png', type: 'image/png', bytes: 70 } } },
      { caseId: 'C:1', command: 'attach', from: 'reported', to: 'reported', at: 3, actor: by, data: { attachment: { id: 'cd.pdf', type: 'application/pdf', bytes: 2048 } } },
    ];
    expect(attachmentsOf(events)).toEqual([
      { id: 'ab.png', type: 'image/png', bytes: 70, name: '井盖.png', at: 2, by: '张三' },
      { id: 'cd.pdf', type: 'application/pdf', bytes: 2048, name: 'cd.pdf', at: 3, by: '张三' },
    ]);
    expect(attachmentUrl('C:1', 'ab.png', '340803001002')).toBe('/api/cases/C%3A1/attachments/ab.png?scope=340803001002');
  });
  it('formats sizes and names files the server takes', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(34 * 1024)).toBe('34 KB');
    expect(fmtBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(fmtBytes(5.5 * 1024 * 1024)).toBe('5.5 MB');
    expect(uploadName('  ', 'image/jpeg')).toBe('photo.jpeg');
    expect(uploadName('x'.repeat(300), 'image/png')).toHaveLength(200);
  });
});
