// The department handling a case, with its staff on duty at the center (部门坐班) one call away:
// the person a duty cadre rings to hurry the case along.
import { useTranslation } from 'react-i18next';
import { usePoll } from '../realtime/http.ts';
import { useLinkage } from '../context.ts';
import { fetchDutyNow } from './api.ts';
import { CallButton } from './CallButton.tsx';

export function DeptContact({ dept, caseId }: { dept: string; caseId: string }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const { value } = usePoll((signal) => fetchDutyNow(signal), 60_000, []);
  const staff = value?.current.stationed.filter((p) => p.dept === dept && p.phone) ?? [];
  return (
    <span className="dept-contact" data-testid="dept-contact" data-dept={dept}>
      {names.unit(dept)}
      {staff.map((p) => (
        <span key={p.id} className="dept-contact-person">
          {p.name} <CallButton target={{ name: p.name, phone: p.phone!, about: t('duty.call.stationed', { dept: names.unit(dept) }), caseId }} />
        </span>
      ))}
    </span>
  );
}
