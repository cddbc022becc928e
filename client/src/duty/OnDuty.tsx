// The title bar's on-duty strip: who leads the shift now and who takes over next (polled each minute);
// the dispatchers and department staff are in the 值班 tab (the title bar has no room for them at 1080p).
import { useTranslation } from 'react-i18next';
import { fmtHM } from '../i18n/format.ts';
import { usePoll } from '../realtime/http.ts';
import { fetchDutyNow } from './api.ts';

export function OnDuty() {
  const { t } = useTranslation();
  const { value } = usePoll((signal) => fetchDutyNow(signal), 60_000, []);
  if (!value) return null;
  const { current, next } = value;
  return (
    <div className="on-duty" data-testid="on-duty" data-leader={current.leader.id}>
      <span className="on-duty-label">{t('duty.leader')}</span>
      <b data-testid="on-duty-leader">{current.leader.name}</b>
      <span className="on-duty-next" data-testid="on-duty-next">
        {fmtHM(next.start)} {t('duty.next')} {next.leader.name}
      </span>
    </div>
  );
}
