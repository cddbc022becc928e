// "当前身份": who the dashboard acts as (no login yet). A native select: long lists stay usable
// with a keyboard and scale with the root font on a 4K screen.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { presetGroups, type Directory, type Identity } from '../state/identity.ts';

export function IdentityPicker({ dir, identity, onChange }: { dir: Directory; identity: Identity; onChange: (key: string) => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const groups = useMemo(() => presetGroups(dir, en), [dir, en]);
  const known = groups.some((g) => g.options.some((o) => o.key === identity.key));
  return (
    <label className={`identity ${identity.actor ? '' : 'readonly'}`} data-testid="identity">
      <span className="identity-label">{t('identity.label')}</span>
      <select value={identity.key} onChange={(e) => onChange(e.target.value)} data-testid="identity-select" data-role={identity.actor?.role ?? 'display'}>
        {!known && <option value={identity.key}>{identity.actor?.name ?? identity.key}</option>}
        {groups.map((g) => (
          <optgroup key={`${g.label}:${g.place ?? ''}`} label={g.place ? `${t(g.label)} · ${g.place}` : t(g.label)} data-testid="identity-group">
            {g.options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
