// Action buttons for exactly the commands the current actor may give this case now (the same
// transition table the server enforces), each with the small form its command needs. Errors from
// the server's ack are shown verbatim: they say what was wrong.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseState, Rating } from '../../../core/cases/model.ts';
import { RATINGS } from '../../../core/cases/model.ts';
import type { Ack, OperatorCaseCommand } from '../../../core/protocol.ts';
import { allowedCommands, dispatchTargets, needsNote } from '../state/actions.ts';
import { useLinkage } from '../context.ts';

/** Commands sent with one click (no field to fill; a note is optional and rarely used). */
const ONE_CLICK: ReadonlySet<OperatorCaseCommand> = new Set(['file', 'accept', 'close', 'resume']);

export function AckError({ ack }: { ack: Ack<unknown> | null }) {
  if (!ack || ack.ok) return null;
  return (
    <div className="ack-error" role="alert" data-testid="ack-error">
      <b>{ack.code}</b> {ack.message}
    </div>
  );
}

export function CaseActions({ c, onDone }: { c: CaseState; onDone?: (type: OperatorCaseCommand) => void }) {
  const { t } = useTranslation();
  const { actor, rt } = useLinkage();
  const allowed = useMemo(() => allowedCommands(actor, c), [actor, c]);
  const [open, setOpen] = useState<OperatorCaseCommand | null>(null);
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);

  const send = async (type: OperatorCaseCommand, fields: Record<string, unknown>) => {
    if (!rt) return;
    setBusy(true);
    setAck(null);
    const r = await rt.command(type, { caseId: c.id, expectedVersion: c.version, ...fields });
    setBusy(false);
    setAck(r);
    if (r.ok) {
      setOpen(null);
      onDone?.(type);
    }
  };

  if (!actor) return <div className="actions-empty">{t('cased.readonly')}</div>;
  if (allowed.length === 0) return <div className="actions-empty">{t('cased.noActions')}</div>;
  return (
    <div className="case-actions" data-testid="case-actions">
      <div className="action-buttons">
        {allowed.map((type) => (
          <button
            key={type}
            className={`act act-${type} ${open === type ? 'on' : ''}`}
            disabled={busy}
            data-testid={`act-${type}`}
            onClick={() => {
              setAck(null);
              if (ONE_CLICK.has(type)) void send(type, {});
              else setOpen(open === type ? null : type);
            }}
          >
            {t(`command.${type}`)}
          </button>
        ))}
      </div>
      {open && <CommandForm key={open} type={open} c={c} busy={busy} onSubmit={(f) => void send(open, f)} onCancel={() => setOpen(null)} />}
      <AckError ack={ack} />
    </div>
  );
}

function CommandForm({ type, c, busy, onSubmit, onCancel }: { type: OperatorCaseCommand; c: CaseState; busy: boolean; onSubmit: (fields: Record<string, unknown>) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const targets = useMemo(() => dispatchTargets(c), [c]);
  const [note, setNote] = useState('');
  const [unit, setUnit] = useState(targets.preselected);
  const [passed, setPassed] = useState(true);
  const [approved, setApproved] = useState(true);
  const [hours, setHours] = useState(4);
  const [resolved, setResolved] = useState(true);
  const [rating, setRating] = useState<Rating>('satisfied');
  const noteNeeded = needsNote(type, passed);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const f: Record<string, unknown> = {};
    if (note.trim()) f.note = note.trim();
    if (type === 'dispatch') f.unit = unit;
    if (type === 'recheck') f.passed = passed;
    if (type === 'decide-extension') f.approved = approved;
    if (type === 'request-extension') f.hours = hours;
    if (type === 'callback') Object.assign(f, { resolved, rating });
    onSubmit(f);
  };

  return (
    <form className="cmd-form" onSubmit={submit} data-testid={`form-${type}`}>
      {type === 'dispatch' && (
        <label className="field">
          <span>{t('form.unit')}</span>
          <select value={unit} onChange={(e) => setUnit(e.target.value)} data-testid="dispatch-unit">
            <optgroup label={t('form.departments')}>
              {targets.options.filter((o) => o.kind === 'department').map((o) => (
                <option key={o.unit} value={o.unit}>
                  {names.unit(o.unit)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('form.centers')}>
              {targets.options.filter((o) => o.kind === 'center').map((o) => (
                <option key={o.unit} value={o.unit}>
                  {names.unit(o.unit)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
      )}
      {type === 'recheck' && (
        <div className="field choice">
          <button type="button" className={passed ? 'on good' : ''} onClick={() => setPassed(true)} data-testid="recheck-pass">
            {t('form.passed')}
          </button>
          <button type="button" className={!passed ? 'on bad' : ''} onClick={() => setPassed(false)} data-testid="recheck-fail">
            {t('form.failed')}
          </button>
        </div>
      )}
      {type === 'decide-extension' && (
        <div className="field choice">
          <button type="button" className={approved ? 'on good' : ''} onClick={() => setApproved(true)}>
            {t('form.approve')}
          </button>
          <button type="button" className={!approved ? 'on bad' : ''} onClick={() => setApproved(false)}>
            {t('form.reject')}
          </button>
        </div>
      )}
      {type === 'request-extension' && (
        <label className="field">
          <span>{t('form.hours')}</span>
          <input type="number" min={1} max={240} step={1} value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="extension-hours" />
        </label>
      )}
      {type === 'callback' && (
        <>
          <div className="field choice">
            <button type="button" className={resolved ? 'on good' : ''} onClick={() => setResolved(true)}>
              {t('form.resolved')}
            </button>
            <button type="button" className={!resolved ? 'on bad' : ''} onClick={() => setResolved(false)}>
              {t('form.unresolved')}
            </button>
          </div>
          <label className="field">
            <span>{t('form.rating')}</span>
            <select value={rating} onChange={(e) => setRating(e.target.value as Rating)}>
              {RATINGS.map((r) => (
                <option key={r} value={r}>
                  {t(`form.ratings.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label className="field">
        <span>{noteNeeded ? t('form.noteRequired') : t('form.note')}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="cmd-note" />
      </label>
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy || (noteNeeded && !note.trim())} data-testid="cmd-submit">
          {busy ? t('form.sending') : `${t('command.' + type)} · ${t('form.submit')}`}
        </button>
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
