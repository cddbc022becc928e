// Reporting from the field: class, title, urgency and where — the phone's position (GPS) or a grid
// tapped on a small map of the worker's community (its centre when GPS is unavailable) — and up to
// three photos, uploaded one by one to the new case once it is reported (a failed one can be retried).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_CLASSES } from '../../../core/taxonomy.ts';
import type { CaseState, Urgency } from '../../../core/cases/model.ts';
import type { Ack } from '../../../core/protocol.ts';
import type { Gazetteer } from '../state/dataset.ts';
import { useLinkage } from '../context.ts';
import { AckError } from '../panels/CaseActions.tsx';
import { gridMap } from './gridmap.ts';
import { FilePick, UploadState, useUploads } from '../panels/Attachments.tsx';
import { MAX_ATTACHMENT_BYTES, MAX_REPORT_PHOTOS, PHOTO_TYPES, fmtBytes } from '../state/attachments.ts';

export function MobileReport({ g, home, onDone }: { g: Gazetteer; home: number; onDone: (c: CaseState) => void }) {
  const { t } = useTranslation();
  const { rt, names, identity } = useLinkage();
  const map = useMemo(() => gridMap(g.grids, identity.scope), [g, identity.scope]);
  const classes = useMemo(() => EVENT_CLASSES.filter((c) => !c.code.startsWith('05')).concat(EVENT_CLASSES.filter((c) => c.code.startsWith('05'))), []);
  const [eventClass, setEventClass] = useState(classes[0].code);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [grid, setGrid] = useState(home);
  const [where, setWhere] = useState<{ lonlat: [number, number]; how: 'gps' | 'grid' } | null>(() => {
    const c = home >= 0 ? names.gridCentre(home) : null;
    return c ? { lonlat: c, how: 'grid' } : null;
  });
  const [gps, setGps] = useState<'idle' | 'busy' | 'failed'>('idle');
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const photos = useUploads(PHOTO_TYPES, MAX_REPORT_PHOTOS);
  /** The case once reported: the form gives way to the photos' uploads. */
  const [created, setCreated] = useState<CaseState | null>(null);

  const pickGrid = (index: number) => {
    setGrid(index);
    const c = names.gridCentre(index);
    if (c) setWhere({ lonlat: c, how: 'grid' });
  };
  const locate = () => {
    if (!navigator.geolocation) {
      setGps('failed');
      return;
    }
    setGps('busy');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setGps('idle');
        setWhere({ lonlat: [p.coords.longitude, p.coords.latitude], how: 'gps' });
      },
      () => {
        // No fix (indoors, denied): fall back to the grid centre the worker stands in.
        setGps('failed');
        if (grid >= 0) pickGrid(grid);
      },
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 30_000 },
    );
  };
  const submit = async () => {
    if (!rt || !where) return;
    setBusy(true);
    const r = await rt.report({
      source: 'patrol',
      eventClass,
      title: title.trim() || names.eventClass(eventClass).replace(/^\d{4} /, ''),
      ...(description.trim() ? { description: description.trim() } : {}),
      urgency,
      lon: where.lonlat[0],
      lat: where.lonlat[1],
    });
    setAck(r);
    if (!r.ok) {
      setBusy(false);
      return;
    }
    if (photos.items.length === 0) return onDone(r.data);
    setCreated(r.data);
    const all = await photos.upload(r.data.id, photos.items);
    setBusy(false);
    if (all) onDone(r.data);
  };
  const retry = async () => {
    if (!created) return;
    setBusy(true);
    const all = await photos.upload(created.id, photos.items);
    setBusy(false);
    if (all) onDone(created);
  };
  const photoStrip = (
    <div className="m-field" data-testid="m-photos">
      <span>
        {t('attach.photos')} <b>{photos.items.length}/{MAX_REPORT_PHOTOS}</b>
      </span>
      <div className="m-photos">
        {photos.items.map((u) => (
          <div key={u.key} className={`m-photo up-${u.status}`} data-testid="m-photo" data-status={u.status}>
            {u.preview ? <img src={u.preview} alt={u.file.name} /> : <span className="m-photo-name">{u.file.name}</span>}
            {created ? (
              <UploadState u={u} />
            ) : (
              <button className="m-photo-remove" onClick={() => photos.remove(u.key)} aria-label={t('attach.remove')} title={t('attach.remove')} data-testid="m-photo-remove">
                ×
              </button>
            )}
          </div>
        ))}
        {!created && photos.items.length < MAX_REPORT_PHOTOS && (
          <FilePick className="m-photo-add" accept={PHOTO_TYPES} multiple capture testId="m-photo-input" onFiles={(f) => photos.add(f)}>
            <span className="m-photo-plus">+</span>
            <span>{t('attach.addPhoto')}</span>
          </FilePick>
        )}
      </div>
      {!created && <div className="m-hint">{t('attach.photoLimit', { n: MAX_REPORT_PHOTOS, max: fmtBytes(MAX_ATTACHMENT_BYTES) })}</div>}
      {photos.refused.map((m, i) => (
        <div key={i} className="m-refused" role="alert" data-testid="m-photo-refused">
          {m}
        </div>
      ))}
      {photos.items
        .filter((u) => u.status === 'failed')
        .map((u) => (
          <div key={u.key} className="ack-error" role="alert" data-testid="m-photo-error">
            {u.file.name}: {u.message}
          </div>
        ))}
    </div>
  );
  if (created) {
    const done = photos.items.filter((u) => u.status === 'done').length;
    const failed = photos.items.some((u) => u.status === 'failed');
    return (
      <div className="m-report" data-testid="m-report" data-case-id={created.id}>
        <div className="m-progress" data-testid="m-upload-progress">
          {t('attach.progress', { id: created.id, done, all: photos.items.length })}
        </div>
        {photoStrip}
        {failed && !busy && (
          <>
            <button className="m-primary" onClick={() => void retry()} data-testid="m-photo-retry">
              {t('attach.retry')}
            </button>
            <button className="m-secondary" onClick={() => onDone(created)} data-testid="m-photo-skip">
              {t('attach.skip')}
            </button>
          </>
        )}
      </div>
    );
  }
  const dot = where && map ? map.project(where.lonlat[0], where.lonlat[1]) : null;
  return (
    <div className="m-report" data-testid="m-report">
      <label className="m-field">
        <span>{t('report.cls')}</span>
        <select value={eventClass} onChange={(e) => setEventClass(e.target.value)} data-testid="m-report-class">
          {classes.map((c) => (
            <option key={c.code} value={c.code}>
              {names.eventClass(c.code)}
            </option>
          ))}
        </select>
      </label>
      <label className="m-field">
        <span>{t('report.caseTitle')}</span>
        <input value={title} maxLength={200} placeholder={t('report.titlePlaceholder')} onChange={(e) => setTitle(e.target.value)} data-testid="m-report-title" />
      </label>
      <label className="m-field">
        <span>{t('report.description')}</span>
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="m-seg">
        {(['normal', 'urgent'] as Urgency[]).map((u) => (
          <button key={u} className={urgency === u ? 'on' : ''} onClick={() => setUrgency(u)}>
            {t(`urgency.${u}`)}
          </button>
        ))}
      </div>
      {photoStrip}
      <div className="m-field">
        <span>
          {t('mobile.location')}: <b data-testid="m-location">{where ? (where.how === 'gps' ? t('mobile.here') : names.grid(grid)) : t('report.noLocation')}</b>
        </span>
        <button className="m-secondary" onClick={locate} disabled={gps === 'busy'} data-testid="m-gps">
          {gps === 'busy' ? t('mobile.gpsBusy') : t('mobile.gps')}
        </button>
        {gps === 'failed' && <div className="m-hint warn">{t('mobile.gpsFailed')}</div>}
        {map && (
          <svg className="m-gridmap" viewBox={`0 0 ${map.width} ${map.height}`} data-testid="m-gridmap">
            {map.shapes.map((s) => (
              <g key={s.index} onClick={() => pickGrid(s.index)} className={`m-grid ${grid === s.index && where?.how === 'grid' ? 'on' : ''}`} data-testid={`m-grid-${s.index}`}>
                <path d={s.d} />
                <text x={s.label[0]} y={s.label[1]}>
                  {s.name.replace(/^.*第/, '').replace('网格', '')}
                </text>
              </g>
            ))}
            {dot && <circle className="m-dot" cx={dot[0]} cy={dot[1]} r={6} />}
          </svg>
        )}
        <div className="m-hint">{t('mobile.tapGrid')}</div>
      </div>
      <button className="m-primary" onClick={() => void submit()} disabled={busy || !where} data-testid="m-report-submit">
        {busy ? t('form.sending') : t('mobile.report')}
      </button>
      <AckError ack={ack} />
    </div>
  );
}
