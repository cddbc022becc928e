// The step between writing a broadcast and playing it: what will be said, at which level, where and
// to how many points. 一般 goes out on 确认发送; 紧急/特急 go to the duty leader on 提交领导审批.
import { useTranslation } from 'react-i18next';
import { needsApproval } from '../../../core/broadcast-approval.ts';
import type { BroadcastMessage, Selection } from '../../../core/broadcast.ts';
import { fmtInt } from '../i18n/format.ts';
import { useWhere } from './useWhere.ts';

export interface BroadcastPreview {
  message: BroadcastMessage;
  selection: Selection;
  points: number;
}

export function ConfirmSend({ preview, busy, onConfirm, onBack }: { preview: BroadcastPreview; busy: boolean; onConfirm: () => void; onBack: () => void }) {
  const { t } = useTranslation();
  const where = useWhere();
  const { message, selection, points } = preview;
  const approval = needsApproval(message.priority);
  return (
    <div className={`bc-preview ${message.priority}`} data-testid="bc-preview" data-priority={message.priority} data-points={points}>
      <div className="bc-preview-head">
        <b>{t('bc.preview')}</b>
        <span className={`bc-prio ${message.priority}`} data-testid="bc-preview-level">{t(`bc.priorities.${message.priority}`)}</span>
      </div>
      <div className="bc-preview-text" data-testid="bc-preview-text">{message.text}</div>
      <dl className="bc-preview-facts">
        <dt>{t('bc.where')}</dt>
        <dd data-testid="bc-preview-where">{where(selection)}</dd>
        <dt>{t('bc.selected')}</dt>
        <dd>
          <b data-testid="bc-preview-points">{t('bc.points', { n: fmtInt(points) })}</b> · {t('bc.repeatN', { n: message.repeat })}
        </dd>
      </dl>
      {approval && <div className="bc-preview-note">{t('bc.needsApproval')}</div>}
      <div className="form-buttons">
        <button type="button" onClick={onBack} disabled={busy} data-testid="bc-back">
          {t('bc.back')}
        </button>
        <button type="button" className="primary" onClick={onConfirm} disabled={busy} data-testid="bc-confirm">
          {busy ? t('bc.sending') : approval ? t('bc.confirmRequest') : t('bc.confirmSend')}
        </button>
      </div>
    </div>
  );
}
