// The emergency resources on screen: the layer panel's row (toggle, count, the five kinds' badges),
// a resource's card on click, and the nearest shelters and teams in an urgent case's card.
import { useTranslation } from 'react-i18next';
import { nearestResources, RESOURCE_KINDS, type EmergencyResource, type ResourceKind } from '../../../core/resources.ts';
import { CallButton } from '../duty/CallButton.tsx';
import { DetailCard } from '../panels/Detail.tsx';
import { useLinkage } from '../context.ts';
import { fmtInt } from '../i18n/format.ts';
import { resourceCss } from './style.ts';
import './resources.css';

function Badge({ kind }: { kind: ResourceKind }) {
  const { t } = useTranslation();
  return (
    <span className="res-badge" style={{ background: resourceCss(kind) }} aria-hidden>
      {t(`res.glyph.${kind}`)}
    </span>
  );
}

export function ResourceLayerRow({ on, onToggle, resources }: { on: boolean; onToggle: () => void; resources: readonly EmergencyResource[] }) {
  const { t } = useTranslation();
  return (
    <>
      <label className={`layer-row ${on ? '' : 'off'}`}>
        <input type="checkbox" checked={on} onChange={onToggle} data-testid="layer-resources" />
        <Badge kind="shelter" />
        <span className="layer-name" title={t('res.layer')}>{t('res.layer')}</span>
        <span className="layer-count" data-testid="layer-count-resources" data-value={resources.length}>{fmtInt(resources.length)}</span>
      </label>
      {on && (
        <div className="legend legend-resources" data-testid="legend-resources">
          {RESOURCE_KINDS.map((k) => (
            <span key={k}>
              <Badge kind={k} />
              {t(`res.kind.${k}`)}
            </span>
          ))}
        </div>
      )}
    </>
  );
}

const callTarget = (r: EmergencyResource, t: (k: string, o?: Record<string, unknown>) => string, caseId?: string) => ({
  name: r.name,
  phone: r.phone,
  about: t('res.callAbout', { kind: t(`res.kind.${r.kind}`), name: r.name }),
  ...(caseId ? { caseId } : {}),
});

/** A resource's card: what it holds or who it has, and its duty phone. */
export function ResourceCard({ resource: r, onClose }: { resource: EmergencyResource; onClose: () => void }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const rows: { label: string; value: string }[] = [];
  if (r.capacity !== undefined) rows.push({ label: t('res.capacity'), value: t('res.capacityValue', { n: fmtInt(r.capacity) }) });
  if (r.areaM2 !== undefined) rows.push({ label: t('res.area'), value: t('res.areaValue', { n: fmtInt(r.areaM2) }) });
  if (r.specialty !== undefined) rows.push({ label: t('res.specialtyLabel'), value: t(`res.specialty.${r.specialty}`) });
  if (r.members !== undefined) rows.push({ label: t('res.members'), value: t('res.membersValue', { n: fmtInt(r.members) }) });
  if (r.beds !== undefined) rows.push({ label: t('res.beds'), value: t('res.bedsValue', { n: fmtInt(r.beds) }) });
  rows.push({ label: t('res.township'), value: names.place(r.townshipCode) });
  if (r.address) rows.push({ label: t('res.address'), value: r.address });
  return (
    <div className="res-card" data-testid="resource-card" data-resource={r.id} data-kind={r.kind}>
      <DetailCard info={{ title: r.name, sub: `${t(`res.kind.${r.kind}`)} · ${r.id}`, rows }} onClose={onClose}>
        {r.equipment && r.equipment.length > 0 && (
          <div className="res-list" data-testid="resource-equipment">
            <b>{t('res.equipment')}</b>
            <span>{r.equipment.join(names.en ? ', ' : '、')}</span>
          </div>
        )}
        {r.stock && r.stock.length > 0 && (
          <div className="res-list">
            <b>{t('res.stock')}</b>
            <ul className="res-stock" data-testid="resource-stock">
              {r.stock.map((s) => (
                <li key={s.item} data-item={s.item} data-quantity={s.quantity}>
                  <span>{s.item}</span>
                  <span className="num">{fmtInt(s.quantity)} {s.unit}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="detail-call">
          <span className="res-phone-label">{t('res.phone')}</span>
          <CallButton target={callTarget(r, t)} />
        </div>
      </DetailCard>
    </div>
  );
}

const SHOWN = 3;
const fmtDistance = (m: number) => (m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);

/** In an urgent case's card: the nearest shelters and the nearest teams and fire stations, to call or show. */
export function NearestResources({ lon, lat, caseId, resources, onFly }: { lon: number; lat: number; caseId: string; resources: readonly EmergencyResource[]; onFly: (r: EmergencyResource) => void }) {
  const { t } = useTranslation();
  const groups: { key: string; title: string; kinds: ResourceKind[] }[] = [
    { key: 'shelters', title: t('res.nearestShelters'), kinds: ['shelter'] },
    { key: 'teams', title: t('res.nearestTeams'), kinds: ['team', 'fire'] },
  ];
  return (
    <div className="nearby nearest-resources" data-testid="nearest-resources">
      {groups.map((g) => {
        const near = nearestResources(resources, [lon, lat], g.kinds, SHOWN);
        return (
          <div key={g.key} data-testid={`nearest-${g.key}`}>
            <h3>{g.title}</h3>
            {near.length === 0 ? (
              <div className="muted">{t('res.none')}</div>
            ) : (
              <ul>
                {near.map(({ resource: r, distanceM }) => (
                  <li key={r.id} data-resource={r.id} data-distance={Math.round(distanceM)}>
                    <Badge kind={r.kind} />
                    <span className="nearby-name">{r.name}</span>
                    <span className="nearby-dist">{fmtDistance(distanceM)}</span>
                    {r.capacity !== undefined && <span className="muted">{t('res.capacityValue', { n: fmtInt(r.capacity) })}</span>}
                    {r.members !== undefined && <span className="muted">{t('res.membersValue', { n: fmtInt(r.members) })}</span>}
                    <button type="button" className="res-fly" title={t('res.flyTitle', { name: r.name })} onClick={() => onFly(r)} data-testid="resource-fly">
                      {t('res.fly')}
                    </button>
                    <CallButton target={callTarget(r, t, caseId)} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}
