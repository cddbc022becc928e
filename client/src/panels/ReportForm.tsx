// 登记案件: an operator registers a case taken by phone or in person. Location by clicking the map,
// or the centre of a chosen community. Source: a citizen, or a hotline order with its number.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_CLASSES } from '../../../core/taxonomy.ts';
import type { CaseSource, Urgency } from '../../../core/cases/model.ts';
import type { Ack } from '../../../core/protocol.ts';
import type { CaseState } from '../../../core/cases/model.ts';
import type { CommunityInfo } from '../../../core/dataset.ts';
import { useLinkage } from '../context.ts';
import { AckError } from './CaseActions.tsx';

const SOURCES: CaseSource[] = ['citizen', 'hotline-12345', 'hotline-12319'];

export interface ReportFormProps {
  communities: CommunityInfo[];
  location: [number, number] | null;
  picking: boolean;
  onPick: (on: boolean) => void;
  onLocation: (ll: [number, number]) => void;
  onClose: (created?: CaseState) => void;
}

export function ReportForm({ communities, location, picking, onPick, onLocation, onClose }: ReportFormProps) {
  const { t } = useTranslation();
  const { rt, names, identity } = useLinkage();
  const bigClasses = useMemo(() => [...new Set(EVENT_CLASSES.map((c) => c.bigName))], []);
  const inScope = useMemo(() => communities.filter((c) => c.code.startsWith(identity.scope)), [communities, identity.scope]);
  const [eventClass, setEventClass] = useState(EVENT_CLASSES[0].code);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [source, setSource] = useState<CaseSource>('citizen');
  const [orderNo, setOrderNo] = useState('');
  const [community, setCommunity] = useState('');
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const hotline = source !== 'citizen';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rt || !location) return;
    setBusy(true);
    const r = await rt.report({
      source,
      eventClass,
      title: title.trim() || names.eventClass(eventClass).replace(/^\d{4} /, ''),
      ...(description.trim() ? { description: description.trim() } : {}),
      urgency,
      lon: location[0],
      lat: location[1],
      ...(hotline ? { hotlineOrderNo: orderNo.trim() } : {}),
    });
    setBusy(false);
    setAck(r);
    if (r.ok) onClose(r.data);
  };

  return (
    <form className="report-form" onSubmit={submit} data-testid="report-form">
      <div className="detail-head">
        <div className="detail-title">{t('report.title')}</div>
        <button type="button" onClick={() => onClose()} aria-label={t('form.cancel')}>
          ×
        </button>
      </div>
      <label className="field">
        <span>{t('report.cls')}</span>
        <select value={eventClass} onChange={(e) => setEventClass(e.target.value)} data-testid="report-class">
          {bigClasses.map((b) => (
            <optgroup key={b} label={names.bigClass(b)}>
              {EVENT_CLASSES.filter((c) => c.bigName === b).map((c) => (
                <option key={c.code} value={c.code}>
                  {names.eventClass(c.code)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('report.caseTitle')}</span>
        <input value={title} maxLength={200} placeholder={t('report.titlePlaceholder')} onChange={(e) => setTitle(e.target.value)} data-testid="report-title" />
      </label>
      <label className="field">
        <span>{t('report.description')}</span>
        <textarea rows={2} value={description} maxLength={4000} onChange={(e) => setDescription(e.target.value)} data-testid="report-description" />
      </label>
      <div className="field choice">
        {(['normal', 'urgent'] as Urgency[]).map((u) => (
          <button type="button" key={u} className={urgency === u ? `on ${u === 'urgent' ? 'bad' : ''}` : ''} onClick={() => setUrgency(u)} data-testid={`report-urgency-${u}`}>
            {t(`urgency.${u}`)}
          </button>
        ))}
      </div>
      <div className="field">
        <span>{t('report.location')}</span>
        <div className="loc-row">
          <button type="button" className={picking ? 'on' : ''} onClick={() => onPick(!picking)} data-testid="report-pick">
            {t('report.pickOnMap')}
          </button>
          <select
            value={community}
            onChange={(e) => {
              setCommunity(e.target.value);
              const c = inScope.find((x) => x.code === e.target.value);
              if (c) onLocation(c.center);
            }}
            data-testid="report-community"
          >
            <option value="">{t('report.useCommunity')}</option>
            {inScope.map((c) => (
              <option key={c.code} value={c.code}>
                {names.place(c.townshipCode)} · {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className={`loc-value ${location ? '' : 'muted'}`} data-testid="report-location">
          {picking ? t('report.picking') : location ? `${location[0].toFixed(5)}, ${location[1].toFixed(5)}` : t('report.noLocation')}
        </div>
      </div>
      <label className="field">
        <span>{t('report.source')}</span>
        <select value={source} onChange={(e) => setSource(e.target.value as CaseSource)} data-testid="report-source">
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {s === 'citizen' ? t('report.citizen') : t(`source.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {hotline && (
        <label className="field">
          <span>{t('report.orderNo')}</span>
          <input value={orderNo} maxLength={40} onChange={(e) => setOrderNo(e.target.value)} data-testid="report-order-no" />
        </label>
      )}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy || !location || (hotline && !orderNo.trim())} data-testid="report-submit">
          {t('report.submit')}
        </button>
        <button type="button" onClick={() => onClose()}>
          {t('form.cancel')}
        </button>
      </div>
      <AckError ack={ack} />
    </form>
  );
}
