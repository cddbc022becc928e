// The case detail panel: every field of the case, its deadline clock, the actions the current actor
// may take, and the full timeline (fetched with `case:detail`, refetched whenever the case changes)
// with the attachments' thumbnails; staff who may attach get 添加附件.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseEvent, CaseState } from '../../../core/cases/model.ts';
import { OPEN_STAGES } from '../../../core/cases/model.ts';
import { boardRow } from '../../../core/whistle.ts';
import type { Ack, CaseDetail as Detail } from '../../../core/protocol.ts';
import { actorLabel, reporterLabel } from './people.ts';
import { clockOf } from '../state/actions.ts';
import { fmtCountdown, fmtDateTime, fmtDuration } from '../i18n/format.ts';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { useNow } from '../clock.ts';
import { StageChip } from './CaseFeed.tsx';
import { AckError, CaseActions } from './CaseActions.tsx';
import { WhistleForm, canBlow } from './WhistleForm.tsx';
import { CaseDroneButton } from '../drones/CaseDroneButton.tsx';
import { DeptContact } from '../duty/DeptContact.tsx';
import { DEPARTMENT_BY_ID } from '../../../core/org.ts';
import { AttachmentLink, FilePick, UploadState, useUploads } from './Attachments.tsx';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, canAttach, fmtBytes, isImage } from '../state/attachments.ts';

export function CaseDetailPanel({ caseId, onClose, nearby, people }: { caseId: string; onClose: () => void; nearby?: (lon: number, lat: number, urgent: boolean) => ReactNode; people?: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const { store, rt, names, actor } = useLinkage();
  const now = useNow(1000);
  const c = useLive((s) => s.cases.get(caseId));
  const calendar = useLive((s) => s.calendar);
  // The case's whistle, read below from the store: again when the whistles change.
  useLive((s) => s.version.whistles);
  const [detail, setDetail] = useState<Ack<Detail> | null>(null);
  const [blowing, setBlowing] = useState(false);
  const version = c?.version ?? 0;
  useEffect(() => {
    if (!rt) return;
    let live = true;
    void rt.detail(caseId).then((r) => live && setDetail(r));
    return () => {
      live = false;
    };
  }, [rt, caseId, version]);
  useEffect(() => setBlowing(false), [caseId]);

  // A case may be known only from the detail (e.g. closed long ago) or not at all yet.
  const shown: CaseState | undefined = c ?? (detail?.ok ? detail.data.case : undefined);
  if (!shown) {
    return (
      <aside className="case-detail" data-testid="case-detail">
        <Head title={caseId} onClose={onClose} />
        {detail && !detail.ok ? <AckError ack={detail} /> : <div className="muted">{t('cased.loading')}</div>}
      </aside>
    );
  }
  const clock = clockOf(shown, now, calendar);
  const whistle = shown.whistleId ? store.whistles.get(shown.whistleId) : undefined;
  const wRow = whistle ? boardRow(whistle, now) : null;
  const rows: Array<[string, ReactNode, string?]> = [
    [t('cased.cls'), names.eventClass(shown.eventClass, true)],
    [t('cased.source'), `${t(`source.${shown.source}`)}${shown.hotline ? ` · ${t('cased.orderNo')} ${shown.hotline.orderNo}` : ''}`],
    [t('cased.urgency'), t(`urgency.${shown.urgency}`), shown.urgency === 'urgent' ? 'warn' : ''],
    [t('cased.place'), [shown.townshipCode, shown.communityCode].filter(Boolean).map(names.place).join(' · ') + (shown.gridIndex >= 0 ? ` · ${names.grid(shown.gridIndex)}` : '') || t('cased.none')],
    [t('cased.reported'), `${fmtDateTime(shown.reportedAt)} · ${reporterLabel(shown.reporter, detail?.ok ? detail.data.timeline : null, t, people)}`],
    [t('cased.owner'), names.unit(`LC-${shown.owner}`)],
    [t('cased.assignee'), shown.assignee && DEPARTMENT_BY_ID.has(shown.assignee) ? <DeptContact dept={shown.assignee} caseId={shown.id} /> : names.unit(shown.assignee)],
    [t('cased.deadline'), shown.deadline ? fmtDateTime(shown.deadline) : shown.dispatchDueAt && !shown.dispatchedAt ? `${t('cased.dispatchDue')} ${fmtDateTime(shown.dispatchDueAt)}` : t('cased.none')],
    [t('cased.escalations'), shown.escalations ? `${t('cased.times', { n: shown.escalations })} · ${t('cased.ownerNow', { name: names.place(shown.owner) })}` : '0', shown.escalations ? 'bad' : ''],
    [t('cased.returns'), String(shown.returns), shown.returns ? 'warn' : ''],
    [t('cased.reworks'), String(shown.reworks), shown.reworks ? 'warn' : ''],
  ];
  if (shown.extension) rows.push([t('cased.extension'), t('cased.extensionAsk', { h: shown.extension.hours, reason: shown.extension.reason }), 'warn']);
  if (shown.extensions) rows.push(['', t('cased.approvedExt', { n: shown.extensions })]);
  if (shown.hotline) {
    const h = shown.hotline;
    rows.push([t('cased.hotline'), [h.line, h.repliedAt ? `${t('cased.replied')} ${fmtDateTime(h.repliedAt)}` : '', h.callbackAt ? `${t('cased.callback')} ${h.rating ? t(`form.ratings.${h.rating}`) : ''}` : ''].filter(Boolean).join(' · ')]);
  }
  if (shown.alarms) rows.push([t('cased.alarms'), String(shown.alarms)]);
  if (shown.onSpot) rows.push(['', t('cased.onSpot'), 'good']);
  if (wRow && whistle)
    rows.push([
      t('cased.whistle'),
      t('cased.whistleOpen', { kind: t(`whistle.kinds.${whistle.kind}`), done: wRow.counts.reported + wRow.counts['reported-late'], all: wRow.units.length }),
      wRow.overdue ? 'bad' : '',
    ]);
  const timeline = detail?.ok ? detail.data.timeline : null;
  return (
    <aside className="case-detail" data-testid="case-detail" data-case-id={shown.id} data-stage={shown.stage} data-version={shown.version}>
      <Head title={shown.title || names.eventClass(shown.eventClass)} sub={shown.id} onClose={onClose}>
        <StageChip stage={shown.stage} />
      </Head>
      <div className="case-detail-body">
        {clock.state !== 'none' && (
          <div className={`clock-banner clock-${clock.state}`} data-testid="case-clock" data-state={clock.state}>
            {/* The value says "剩余…" / "超期…" itself; the label adds only what it does not say. */}
            {(clock.state === 'warning' || clock.state === 'paused') && <span>{t(`clock.${clock.state}`)}</span>}
            <b>{clock.state === 'paused' ? fmtDuration(clock.ms, names.en) : fmtCountdown(clock.ms, clock.state === 'overdue', names.en)}</b>
            {clock.state !== 'overdue' && shown.urgency === 'normal' && <i>{t('clock.workingNote')}</i>}
          </div>
        )}
        {shown.description && <p className="case-desc">{shown.description}</p>}
        <dl className="case-fields">
          {rows.map(([k, v, cls], i) => (
            <div key={i} className="case-field">
              <dt>{k}</dt>
              <dd className={cls}>{v}</dd>
            </div>
          ))}
        </dl>
        {nearby?.(shown.lon, shown.lat, shown.urgency === 'urgent')}
        <h3>{t('cased.actions')}</h3>
        <CaseActions c={shown} />
        {canBlow(actor, shown, whistle) && OPEN_STAGES.has(shown.stage) && (
          <div className="whistle-entry">
            {!blowing ? (
              <button className="act act-whistle" onClick={() => setBlowing(true)} data-testid="act-whistle">
                {t('whistle.blow')}
              </button>
            ) : (
              <WhistleForm c={shown} onDone={() => setBlowing(false)} />
            )}
          </div>
        )}
        {canAttach(actor, shown) && <AddAttachment key={shown.id} c={shown} />}
        <CaseDroneButton c={shown} />
        <h3>{t('cased.timeline')}</h3>
        {timeline ? <Timeline caseId={shown.id} events={timeline} /> : detail && !detail.ok ? <AckError ack={detail} /> : <div className="muted">{t('cased.loading')}</div>}
      </div>
    </aside>
  );
}

function Head({ title, sub, onClose, children }: { title: string; sub?: string; onClose: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="detail-head">
      <div>
        <div className="detail-title">{title}</div>
        {sub && <div className="detail-sub">{sub}</div>}
      </div>
      <div className="detail-head-right">
        {children}
        <button onClick={onClose} aria-label={t('cased.close')} data-testid="case-detail-close">
          ×
        </button>
      </div>
    </div>
  );
}

/** 添加附件: photos or PDFs, checked here first (type, 5 MB), uploaded one by one; failures say why and can be retried. */
function AddAttachment({ c }: { c: CaseState }) {
  const { t } = useTranslation();
  const files = useUploads(ATTACHMENT_TYPES);
  const unsent = files.items.filter((u) => u.status !== 'done');
  return (
    <div className="attach-entry" data-testid="attach-entry">
      <FilePick className="act act-attach" accept={ATTACHMENT_TYPES} multiple disabled={files.busy} testId="attach-input" onFiles={(f) => void files.upload(c.id, files.add(f))}>
        {files.busy ? t('attach.uploading') : t('attach.addFile')}
      </FilePick>
      <span className="attach-hint">{t('attach.fileLimit', { max: fmtBytes(MAX_ATTACHMENT_BYTES) })}</span>
      {files.refused.map((m, i) => (
        <div key={i} className="ack-error" role="alert" data-testid="attach-refused">
          {m}
        </div>
      ))}
      {unsent.map((u) => (
        <div key={u.key} className={`attach-upload up-${u.status}`} data-testid="attach-upload" data-status={u.status}>
          <span className="attach-name">
            {u.file.name} · {fmtBytes(u.file.size)}
          </span>
          <UploadState u={u} />
          {u.status === 'failed' && (
            <>
              <button className="act" disabled={files.busy} onClick={() => void files.upload(c.id, [u])} data-testid="attach-retry">
                {t('attach.retry')}
              </button>
              <button className="act" onClick={() => files.remove(u.key)}>
                {t('attach.remove')}
              </button>
              <div className="ack-error" role="alert">
                {u.message}
              </div>
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function Timeline({ caseId, events }: { caseId: string; events: CaseEvent[] }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  return (
    <ol className="timeline" data-testid="case-timeline" data-count={events.length}>
      {events.map((e, i) => {
        const extra: string[] = [];
        const d = e.data ?? {};
        if (d.unit) extra.push(names.unit(d.unit));
        if (d.passed !== undefined) extra.push(d.passed ? t('form.passed') : t('form.failed'));
        if (d.approved !== undefined) extra.push(d.approved ? t('form.approve') : t('form.reject'));
        if (d.hours) extra.push(`+${d.hours}h`);
        if (d.rating) extra.push(t(`form.ratings.${d.rating}`));
        if (d.owner && e.command === 'escalate') extra.push(names.place(d.owner));
        if (d.whistleId) extra.push(d.whistleId);
        // An image's name and size beside the command (the thumbnail below); a PDF's link says both.
        if (d.attachment && isImage(d.attachment.type)) extra.push(...(e.note ? [e.note] : []), fmtBytes(d.attachment.bytes));
        return (
          <li key={i} className={`tl-item tl-${e.command}`} data-command={e.command}>
            <span className="tl-time">{fmtDateTime(e.at)}</span>
            <div className="tl-body">
              <div className="tl-line">
                <b>{t(`command.${e.command}`)}</b>
                <span className="tl-stages">
                  {e.from && e.from !== e.to ? `${t(`stage.${e.from}`)} → ` : ''}
                  {t(`stage.${e.to}`)}
                </span>
                {extra.length > 0 && <span className="tl-extra">{extra.join(' · ')}</span>}
              </div>
              <div className="tl-actor">{actorLabel(e.actor, t)}</div>
              {e.note && e.command !== 'attach' && <div className="tl-note">{e.note}</div>}
              {e.command === 'attach' && d.attachment && <AttachmentLink caseId={caseId} a={{ ...d.attachment, name: e.note ?? d.attachment.id }} className="tl-attachment" />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
