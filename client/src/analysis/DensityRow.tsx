// The layer panel's case density row (案件热力): the toggle (off by default), the number of cases
// binned, and while on a legend with the colour ramp from 1 to the top of its domain. The row owns
// the view: it fetches the cases and hands them to the map through `densityView`.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLinkage } from '../context.ts';
import { fmtInt } from '../i18n/format.ts';
import { densityColorDomain, rampCss } from './density.ts';
import { densityView, useCaseDensity, useDensityView } from './densityLayer.ts';
import './density.css';

const RAMP_CSS = rampCss();

export function DensityRow() {
  const { t } = useTranslation();
  const { identity } = useLinkage();
  const [on, setOn] = useState(false);
  const density = useCaseDensity(on, identity.scope);
  useEffect(() => densityView.setDensity(density), [density]);
  useEffect(() => () => densityView.setDensity(null), []);
  const { domain } = useDensityView();
  const [lo, hi] = densityColorDomain(domain);
  return (
    <>
      <label className={`layer-row ${on ? '' : 'off'}`}>
        <input type="checkbox" checked={on} onChange={() => setOn((v) => !v)} data-testid="layer-density" />
        <span className="swatch density" style={{ background: RAMP_CSS }} />
        <span className="layer-name">{t('an.density')}</span>
        <span className="layer-count" data-testid="density-count" data-value={density?.count ?? ''} title={density?.truncated ? t('an.densityTruncated', { n: density.count }) : undefined}>
          {density ? `${fmtInt(density.count)}${density.truncated ? '+' : ''}` : ''}
        </span>
      </label>
      {on && density && (
        <div className="density-legend" data-testid="density-legend" data-min={lo} data-max={hi}>
          <b>{lo}</b>
          <i style={{ background: RAMP_CSS }} />
          <b>{hi}</b>
          <em>{t('an.densityPerCell')}</em>
        </div>
      )}
    </>
  );
}
