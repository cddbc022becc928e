// Blowing a whistle on a case (吹哨报到): a township/community center or a duty leader summons one
// lead unit and N supporting departments, who must report in within the kind's limit.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseState } from '../../../core/cases/model.ts';
import { DEPARTMENTS, centerId, defaultDepartment, type Actor } from '../../../core/org.ts';
import { WHISTLE_KINDS, WHISTLE_KIND_IDS, type WhistleKind, type WhistleState } from '../../../core/whistle.ts';
import type { Ack } from '../../../core/protocol.ts';
import { placeInScope } from '../../../core/org.ts';
import { useLinkage } from '../context.ts';
import { AckError } from './CaseActions.tsx';

const WHISTLERS: ReadonlySet<Actor['role']> = new Set(['township-operator', 'community-operator', 'duty-leader']);

/** May this actor blow a whistle on this case? A whistling role, the case in its area, no whistle running on it. */
export function canBlow(actor: Actor | null, c: CaseState, running: WhistleState | undefined): boolean {
  if (!actor || !WHISTLERS.has(actor.role)) return false;
  if (running && running.closedAt === null) return false;
  return placeInScope(actor.org, c);
}

export function WhistleForm({ c, onDone }: { c: CaseState; onDone: () => void }) {
  const { t } = useTranslation();
  const { actor, rt, names } = useLinkage();
  const own = actor ? centerId(actor.org) : '';
  const [kind, setKind] = useState<WhistleKind>(c.urgency === 'urgent' ? 'emergency' : 'quick');
  const [lead, setLead] = useState(own);
  const [supporting, setSupporting] = useState<string[]>([defaultDepartment(c.eventClass)]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState<Ack<unknown> | null>(null);
  const toggle = (id: string) => setSupporting((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rt) return;
    setBusy(true);
    const r = await rt.blowWhistle({ caseId: c.id, kind, lead, supporting: supporting.filter((s) => s !== lead), ...(note.trim() ? { note: note.trim() } : {}) });
    setBusy(false);
    setAck(r);
    if (r.ok) onDone();
  };

  return (
    <form className="cmd-form whistle-form" onSubmit={submit} data-testid="whistle-form">
      <div className="field choice">
        {WHISTLE_KIND_IDS.map((k) => (
          <button type="button" key={k} className={kind === k ? 'on' : ''} onClick={() => setKind(k)} data-testid={`whistle-kind-${k}`}>
            {t(`whistle.kinds.${k}`)}
            <small>{t('whistle.limit', { min: WHISTLE_KINDS[k].limitMin })}</small>
          </button>
        ))}
      </div>
      <label className="field">
        <span>{t('whistle.lead')}</span>
        <select value={lead} onChange={(e) => setLead(e.target.value)} data-testid="whistle-lead">
          {own && <option value={own}>{names.unit(own)}</option>}
          {DEPARTMENTS.map((d) => (
            <option key={d.id} value={d.id}>
              {names.unit(d.id)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field multi">
        <legend>{t('whistle.supporting')}</legend>
        {DEPARTMENTS.filter((d) => d.id !== lead).map((d) => (
          <label key={d.id} className={supporting.includes(d.id) ? 'on' : ''}>
            <input type="checkbox" checked={supporting.includes(d.id)} onChange={() => toggle(d.id)} data-testid={`whistle-dept-${d.id}`} />
            {names.unit(d.id)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('whistle.note')}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy || supporting.filter((s) => s !== lead).length === 0} data-testid="whistle-submit">
          {t('whistle.blow')}
        </button>
        <button type="button" onClick={onDone}>
          {t('form.cancel')}
        </button>
      </div>
      {supporting.filter((s) => s !== lead).length === 0 && <div className="muted">{t('whistle.pickSupporting')}</div>}
      <AckError ack={ack} />
    </form>
  );
}
