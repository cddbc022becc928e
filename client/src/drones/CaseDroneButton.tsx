// 派遣无人机 from the case detail: opens the dispatch form with the case as the target.
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../../core/domain.ts';
import { OPEN_STAGES } from '../../../core/domain.ts';
import { useLinkage } from '../context.ts';
import { canCommandDrones, useDroneDispatch } from './dispatch.ts';

export function CaseDroneButton({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  const { actor } = useLinkage();
  const dd = useDroneDispatch();
  if (!dd || !canCommandDrones(actor) || !OPEN_STAGES.has(c.stage)) return null;
  return (
    <div className="drone-entry">
      <button className="act act-drone" onClick={() => dd.start({ target: { lon: c.lon, lat: c.lat, caseId: c.id } })} data-testid="act-drone">
        ✈ {t('drone.dispatch')}
      </button>
    </div>
  );
}
