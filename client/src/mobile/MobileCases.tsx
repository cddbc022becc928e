// The phone's case list: one card per case, tapped open to show the worker's actions (close on the
// spot, recheck pass/fail) with the note each needs, the case's photos and 补充照片 (add a photo).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseState } from '../../../core/cases/model.ts';
import type { Ack, OperatorCaseCommand } from '../../../core/protocol.ts';
import { allowedCommands, clockOf, needsNote } from '../state/actions.ts';
import { useLinkage } from '../context.ts';
import { useNow } from '../clock.ts';
import { StageChip } from '../panels/CaseFeed.tsx';
import { AckError } from '../panels/CaseActions.tsx';
import { fmtCountdown, fmtHM } from '../i18n/format.ts';
import { AttachmentLink, FilePick, UploadState, useUploads } from '../panels/Attachments.tsx';
import { PHOTO_TYPES, attachmentsOf, canAttach, type AttachmentRef } from '../state/attachments.ts';

export function CaseList({ cases, openId, onOpen }: { cases: CaseState[]; openId: string | null; onOpen: (id: string | null) => void }) {
  const { t } = useTranslation();
  const { names, store } = useLinkage();
  const now = useNow(1000);
  if (cases.length === 0) return <div className="m-empty">{t('mobile.nothing')}</div>;
  return (
    <ul className="m-cases">
      {cases.map((c) => {
        const clock = clockOf(c, now, store.calendar);
        return (
          <li key={c.id} className={`m-case ${clock.state === 'overdue' ? 'overdue' : clock.state === 'warning' ? 'warning' : ''}`} data-testid={`m-case-${c.id}`} data-stage={c.stage}>
            <button className="m-case-head" onClick={() => onOpen(openId === c.id ? null : c.id)}>
              <span className="m-case-title">{c.title}</span>
              <StageChip stage={c.stage} />
              <span className="m-case-meta">
                {fmtHM(c.reportedAt)} · {names.eventClass(c.eventClass)} · {names.grid(c.gridIndex)}
                {(clock.state === 'ok' || clock.state === 'warning' || clock.state === 'overdue') && ` · ${fmtCountdown(clock.ms, clock.state === 'overdue', names.en)}`}
              </span>
            </button>
            {openId === c.id && <MobileActions c={c} />}
          </li>
        );
      })}
    </ul>
  );
}

function MobileActions({ c }: { c: CaseState }) {
  const { t } = useTranslation();
  const { actor, rt } = useLinkage();
  const allowed = allowedCommands(actor, c);
  const [pending, setPending] = useState<{ type: OperatorCaseCommand; passed?: boolean } | null>(null);
  const [note, setNote] = useState('');
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const buttons: { label: string; type: OperatorCaseCommand; passed?: boolean; id: string }[] = [];
  for (const type of allowed) {
    if (type === 'recheck') {
      buttons.push({ label: t('mobile.recheckPass'), type, passed: true, id: 'recheck-pass' }, { label: t('mobile.recheckFail'), type, passed: false, id: 'recheck-fail' });
    } else buttons.push({ label: t(`command.${type}`), type, id: type });
  }
  const noteNeeded = pending ? needsNote(pending.type, pending.passed) : false;
  const attach = canAttach(actor, c);
  const photos = useUploads(PHOTO_TYPES);
  const shown = usePhotos(c);
  const unsent = photos.items.filter((u) => u.status !== 'done');
  return (
    <div className="m-actions">
      {c.description && <p className="m-desc">{c.description}</p>}
      {shown.length > 0 && (
        <div className="m-photos m-card-photos" data-testid="m-card-photos">
          {shown.map((a) => (
            <AttachmentLink key={a.id} caseId={c.id} a={a} className="m-photo" />
          ))}
        </div>
      )}
      {buttons.length === 0 && !attach && <div className="m-empty small">{t('cased.noActions')}</div>}
      <div className="m-action-buttons">
        {buttons.map((b) => (
          <button key={b.id} className={`m-act ${pending?.type === b.type && pending.passed === b.passed ? 'on' : ''} ${b.passed === false ? 'bad' : ''}`} onClick={() => setPending({ type: b.type, passed: b.passed })} data-testid={`m-act-${b.id}`}>
            {b.label}
          </button>
        ))}
        {attach && (
          <FilePick className="m-act m-act-photo" accept={PHOTO_TYPES} multiple capture disabled={photos.busy} testId="m-add-photo" onFiles={(f) => void photos.upload(c.id, photos.add(f))}>
            {photos.busy ? t('attach.uploading') : t('attach.morePhotos')}
          </FilePick>
        )}
      </div>
      {photos.refused.map((m, i) => (
        <div key={i} className="m-refused" role="alert" data-testid="m-photo-refused">
          {m}
        </div>
      ))}
      {unsent.length > 0 && (
        <div className="m-photos">
          {unsent.map((u) => (
            <div key={u.key} className={`m-photo up-${u.status}`} data-testid="m-photo" data-status={u.status}>
              {u.preview ? <img src={u.preview} alt={u.file.name} /> : <span className="m-photo-name">{u.file.name}</span>}
              <UploadState u={u} />
              {u.status === 'failed' && (
                <button className="m-photo-remove" onClick={() => photos.remove(u.key)} aria-label={t('attach.remove')} title={t('attach.remove')}>
                  ×
                </button>
              )}
            </div>
          ))}
        </div>
      )}
      {unsent
        .filter((u) => u.status === 'failed')
        .map((u) => (
          <div key={u.key} className="m-upload-failed">
            <div className="ack-error" role="alert" data-testid="m-photo-error">
              {u.file.name}: {u.message}
            </div>
            <button className="m-secondary" disabled={photos.busy} onClick={() => void photos.upload(c.id, [u])} data-testid="m-photo-retry">
              {t('attach.retry')}
            </button>
          </div>
        ))}
      {pending && (
        <form
          className="m-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!rt) return;
            setBusy(true);
            const fields = { ...(note.trim() ? { note: note.trim() } : {}), ...(pending.type === 'recheck' ? { passed: pending.passed } : {}) };
            const r = await rt.command(pending.type, { caseId: c.id, expectedVersion: c.version, ...fields });
            setBusy(false);
            setAck(r);
            if (r.ok) setPending(null);
          }}
        >
          <label className="m-field">
            <span>{pending.type === 'close-on-spot' ? t('mobile.spotNote') : noteNeeded ? t('form.noteRequired') : t('form.note')}</span>
            <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="m-note" />
          </label>
          <button className="m-primary" type="submit" disabled={busy || (noteNeeded && !note.trim())} data-testid="m-submit">
            {busy ? t('form.sending') : t('form.submit')}
          </button>
        </form>
      )}
      <AckError ack={ack} />
    </div>
  );
}

/** The case's attachments (from its timeline, fetched when it has any and again when it changes). */
function usePhotos(c: CaseState): AttachmentRef[] {
  const { rt } = useLinkage();
  const [list, setList] = useState<AttachmentRef[]>([]);
  useEffect(() => {
    if (!rt || c.attachments === 0) return;
    let live = true;
    void rt.detail(c.id).then((r) => live && r.ok && setList(attachmentsOf(r.data.timeline)));
    return () => {
      live = false;
    };
  }, [rt, c.id, c.attachments]);
  return c.attachments === 0 ? [] : list;
}
