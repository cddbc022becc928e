// Case attachments in the UI, shared by the dashboard's case detail and the phone page: a
// thumbnail (or PDF link) that opens the file in a new tab, a file picker that refuses what the
// server would refuse before anything is sent, and a queue that uploads the picked files one by
// one, shows each one's state and the server's message when it fails, and retries.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLinkage } from '../context.ts';
import { uploadAttachment } from '../realtime/http.ts';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, attachmentUrl, fileProblem, fmtBytes, isImage, type AttachmentRef } from '../state/attachments.ts';

/** One attachment: an image thumbnail, or a link for a PDF; either opens the file in a new tab. */
export function AttachmentLink({ caseId, a, className = '' }: { caseId: string; a: Pick<AttachmentRef, 'id' | 'type' | 'bytes' | 'name'>; className?: string }) {
  const { t } = useTranslation();
  const { identity } = useLinkage();
  const url = attachmentUrl(caseId, a.id, identity.scope);
  const title = `${a.name} · ${fmtBytes(a.bytes)} · ${t('attach.openFull')}`;
  return isImage(a.type) ? (
    <a className={`att-thumb ${className}`} href={url} target="_blank" rel="noopener noreferrer" title={title} data-testid="attachment" data-attachment={a.id}>
      <img src={url} alt={a.name} />
    </a>
  ) : (
    <a className={`att-file ${className}`} href={url} target="_blank" rel="noopener noreferrer" title={title} data-testid="attachment" data-attachment={a.id}>
      <b>PDF</b> <span>{a.name}</span> <i>{fmtBytes(a.bytes)}</i>
    </a>
  );
}

export type UploadStatus = 'waiting' | 'uploading' | 'done' | 'failed';

export interface Upload {
  key: number;
  file: File;
  /** Object URL of an image, for the preview (revoked when removed or unmounted). */
  preview: string | null;
  status: UploadStatus;
  /** The server's answer when it failed ("CODE message"). */
  message: string | null;
}

let nextKey = 1;

/** Short names of MIME types for messages: JPEG, PNG, WEBP, PDF. */
const shortTypes = (types: readonly string[], en: boolean) => types.map((x) => x.split('/')[1].toUpperCase()).join(en ? ', ' : '、');

/**
 * Picked files waiting for, going through or done with an upload. `add` refuses (with a message
 * saying why) files that are empty, too big or not of `types`, and any beyond `max`.
 */
export function useUploads(types: readonly string[] = ATTACHMENT_TYPES, max = Infinity) {
  const { t, i18n } = useTranslation();
  const { rt, actor } = useLinkage();
  const [items, setItems] = useState<Upload[]>([]);
  const [refused, setRefused] = useState<string[]>([]);
  const live = useRef(items);
  live.current = items;
  useEffect(
    () => () => {
      for (const u of live.current) if (u.preview) URL.revokeObjectURL(u.preview);
    },
    [],
  );
  const patch = (key: number, p: Partial<Upload>) => setItems((xs) => xs.map((u) => (u.key === key ? { ...u, ...p } : u)));

  const add = (files: Iterable<File>): Upload[] => {
    const why: string[] = [];
    const added: Upload[] = [];
    const room = max - live.current.length;
    for (const f of files) {
      const p = fileProblem(f, types);
      if (p) {
        why.push(t(`attach.${p}`, { name: f.name, size: fmtBytes(f.size), max: fmtBytes(MAX_ATTACHMENT_BYTES), types: shortTypes(types, i18n.language === 'en') }));
      } else if (added.length >= room) {
        why.push(t('attach.tooMany', { name: f.name, n: max }));
      } else {
        added.push({ key: nextKey++, file: f, preview: isImage(f.type) ? URL.createObjectURL(f) : null, status: 'waiting', message: null });
      }
    }
    setRefused(why);
    if (added.length) setItems((xs) => [...xs, ...added]);
    return added;
  };

  const remove = (key: number) => {
    const u = live.current.find((x) => x.key === key);
    if (u?.preview) URL.revokeObjectURL(u.preview);
    setItems((xs) => xs.filter((x) => x.key !== key));
  };

  /** Uploads `list` (those not done yet) to the case, one after the other. True when all went through. */
  const upload = async (caseId: string, list: Upload[]): Promise<boolean> => {
    let all = true;
    for (const u of list) {
      if (u.status === 'done') continue;
      patch(u.key, { status: 'uploading', message: null });
      const r = actor ? await uploadAttachment(caseId, actor, u.file) : ({ ok: false, code: 'FORBIDDEN', message: t('cased.readonly') } as const);
      if (r.ok) {
        rt?.applied(r.data);
        patch(u.key, { status: 'done' });
      } else {
        all = false;
        patch(u.key, { status: 'failed', message: `${r.code} ${r.message}` });
      }
    }
    return all;
  };

  return { items, refused, add, remove, upload, busy: items.some((u) => u.status === 'uploading') };
}

/** A button that opens the file chooser (or the camera on a phone). */
export function FilePick({ accept, multiple, capture, disabled, className, testId, onFiles, children }: {
  accept: readonly string[];
  multiple?: boolean;
  capture?: boolean;
  disabled?: boolean;
  className: string;
  testId: string;
  onFiles: (files: File[]) => void;
  children: ReactNode;
}) {
  return (
    <label className={`${className} ${disabled ? 'disabled' : ''}`} data-testid={`${testId}-button`}>
      {children}
      <input
        type="file"
        hidden
        accept={accept.join(',')}
        multiple={multiple}
        {...(capture ? { capture: 'environment' as const } : {})}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = ''; // the same file can be picked again (after a refusal, say)
          if (files.length) onFiles(files);
        }}
      />
    </label>
  );
}

/** An upload's state in words. */
export function UploadState({ u }: { u: Upload }) {
  const { t } = useTranslation();
  return (
    <span className={`up-state up-${u.status}`} data-testid="upload-state" data-status={u.status}>
      {t(`attach.${u.status}`)}
    </span>
  );
}
