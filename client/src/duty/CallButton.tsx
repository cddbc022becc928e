// A phone number one click away (拨打): a tel: link (a desk phone or softphone on the duty PC takes
// it) and a copy button (for the mobile in the cadre's hand). Either one logs the call in the duty
// log, with whom and about which case, when the screen's actor may write there; a wall screen or a
// grid worker's page still dials, but logs nothing.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { noteProblem } from '../../../core/duty.ts';
import { useLinkage } from '../context.ts';
import { postNote } from './api.ts';

export interface CallTarget {
  name: string;
  phone: string;
  /** Who the person is to the center ("网格员 · 马山社区"): the log's text. */
  about: string;
  caseId?: string;
}

/** Copies through the Clipboard API, or a selected text field where the page is not a secure context. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement('textarea');
    field.value = text;
    document.body.appendChild(field);
    field.select();
    const done = document.execCommand('copy');
    field.remove();
    return done;
  }
}

/** Two sheets, drawn (a font may lack a copy symbol). */
function CopyIcon() {
  return (
    <svg className="call-copy-icon" viewBox="0 0 16 16" aria-hidden="true">
      <rect x="5" y="1.5" width="9" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="2" y="4.5" width="9" height="10" rx="1.5" fill="var(--bg)" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}

export function CallButton({ target }: { target: CallTarget }) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  const [copied, setCopied] = useState(false);
  const [logged, setLogged] = useState(false);
  const note = { kind: 'call' as const, text: target.about, contact: { name: target.name, phone: target.phone }, ...(target.caseId ? { caseId: target.caseId } : {}) };
  const canLog = !!actor && noteProblem(actor, note) === null;
  const log = () => {
    if (!canLog || !actor) return;
    void postNote(actor, note).then((r) => r.ok && setLogged(true));
  };
  return (
    <span className="call" data-testid="call" data-phone={target.phone} data-logged={logged || undefined}>
      <a href={`tel:${target.phone.replace(/[\s-]/g, '')}`} className="call-dial" title={t('duty.call.dial', { name: target.name })} data-testid="call-dial" onClick={log}>
        ☎ {target.phone}
      </a>
      <button
        type="button"
        className="call-copy"
        title={t('duty.call.copy')}
        aria-label={t('duty.call.copy')}
        data-testid="call-copy"
        onClick={() => {
          void copyText(target.phone).then(setCopied);
          log();
        }}
      >
        {copied ? '✓' : <CopyIcon />}
      </button>
      {logged && <span className="call-logged">{t('duty.call.logged')}</span>}
    </span>
  );
}
