// Who the dashboard acts as and which area it shows (no login yet: issue 6 binds this to accounts).
// An identity is named by a short key that fits in a URL (`?as=dispatcher`, `?as=township:340803001`,
// `?as=dept:DEPT-CG`, `?as=worker:GW-0001`, `?scope=340803001` for a read-only screen), is kept in
// localStorage, and resolves against the dataset to the Actor sent in the socket handshake. Pure.
import { DEPARTMENTS, DEPARTMENT_BY_ID, DISTRICT_CODE, levelOfCode, scopeOf, type Actor } from '../../../core/org.ts';
import type { HandshakeAuth } from '../../../core/protocol.ts';

export interface Directory {
  districtName: string;
  townships: { code: string; name: string }[];
  communities: { code: string; name: string; townshipCode: string }[];
  workers: { id: string; name: string; communityCode: string }[];
}

export interface Identity {
  key: string;
  /** null: a read-only display screen. */
  actor: Actor | null;
  /** Admin code of the area shown. */
  scope: string;
}

export const DEFAULT_IDENTITY_KEY = 'display';
export const IDENTITY_STORAGE_KEY = 'linkage.identity';

/** Resolves a key to an identity, or null when it names nothing in this district. */
export function resolveIdentity(key: string, dir: Directory): Identity | null {
  const [kind, arg = ''] = splitKey(key);
  const town = (code: string) => dir.townships.find((t) => t.code === code);
  const community = (code: string) => dir.communities.find((c) => c.code === code);
  const who = (actor: Actor): Identity => ({ key, actor, scope: scopeOf(actor) });
  switch (kind) {
    case 'display': {
      const scope = arg || DISTRICT_CODE;
      return levelOfCode(scope) && (scope === DISTRICT_CODE || town(scope) || community(scope)) ? { key, actor: null, scope } : null;
    }
    case 'leader': {
      // District duty leader by default; `leader:<township>` for a township's duty leader.
      if (!arg) return who({ id: `leader-${DISTRICT_CODE}`, name: `${dir.districtName}值班领导`, role: 'duty-leader', org: DISTRICT_CODE });
      // `leader:DUTY-L03`: a named district duty leader of the duty roster (the server records the roster's name).
      if (/^DUTY-[A-Za-z0-9]+$/.test(arg)) return who({ id: arg, name: `${dir.districtName}值班领导 ${arg}`, role: 'duty-leader', org: DISTRICT_CODE });
      const t = town(arg);
      return t ? who({ id: `leader-${t.code}`, name: `${t.name}值班领导`, role: 'duty-leader', org: t.code }) : null;
    }
    case 'dispatcher':
      return who({ id: `dispatcher-${DISTRICT_CODE}`, name: `${dir.districtName}派遣员`, role: 'dispatcher', org: DISTRICT_CODE });
    case 'township': {
      const t = town(arg);
      return t ? who({ id: `op-${t.code}`, name: `${t.name}坐席`, role: 'township-operator', org: t.code }) : null;
    }
    case 'community': {
      const c = community(arg);
      return c ? who({ id: `op-${c.code}`, name: `${c.name}坐席`, role: 'community-operator', org: c.code }) : null;
    }
    case 'dept': {
      const d = DEPARTMENT_BY_ID.get(arg);
      return d ? who({ id: `staff-${d.id}`, name: d.name, role: 'department', org: d.id }) : null;
    }
    case 'worker': {
      const w = dir.workers.find((x) => x.id === arg);
      return w ? who({ id: w.id, name: w.name, role: 'grid-worker', org: w.communityCode }) : null;
    }
    default:
      return null;
  }
}

function splitKey(key: string): [string, string?] {
  const i = key.indexOf(':');
  return i < 0 ? [key] : [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The identity key the page should use: `?as=` wins, then `?scope=` alone (a display screen of that
 * area), then the stored key, then a district display. `?scope=` with `?as=display` picks its area.
 */
export function identityKeyFrom(search: string, stored: string | null): string {
  const q = new URLSearchParams(search);
  const as = q.get('as');
  const scope = q.get('scope');
  if (as) return as === 'display' && scope ? `display:${scope}` : as;
  if (scope) return `display:${scope}`;
  return stored || DEFAULT_IDENTITY_KEY;
}

/** The identity for a key, falling back to the district display when the key is unknown. */
export function pickIdentity(key: string, dir: Directory): Identity {
  return resolveIdentity(key, dir) ?? (resolveIdentity(DEFAULT_IDENTITY_KEY, dir) as Identity);
}

/** What goes into the socket handshake. A display sends only its scope; the server derives an actor's. */
export function handshakeOf(id: Identity): HandshakeAuth {
  return id.actor ? { actor: id.actor, scope: id.scope } : { scope: id.scope };
}

/** The URL query for an identity (kept short: the scope only for displays). */
export function searchFor(id: Identity, current: string): string {
  const q = new URLSearchParams(current);
  q.delete('scope');
  q.delete('as');
  if (id.actor) q.set('as', id.key);
  else if (id.scope === DISTRICT_CODE) q.set('as', 'display');
  else q.set('scope', id.scope);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface PresetGroup {
  label: string; // i18n key of the group
  /** The township a group of community centers or grid workers belongs to (its name as shown). */
  place?: string;
  options: { key: string; label: string }[];
}

/**
 * The selector's presets: the district's duty leader and dispatcher, every township and community
 * operator, every department, one grid worker per community (any other by URL), and display screens
 * for the district and each township.
 */
export function presetGroups(dir: Directory, en: boolean): PresetGroup[] {
  const firstWorker = new Map<string, { id: string; name: string }>();
  for (const w of dir.workers) if (!firstWorker.has(w.communityCode)) firstWorker.set(w.communityCode, w);
  const communityName = new Map(dir.communities.map((c) => [c.code, c.name]));
  const townshipOf = new Map(dir.communities.map((c) => [c.code, c.townshipCode]));
  return [
    {
      label: 'identity.group.district',
      options: [
        { key: 'leader', label: en ? 'District duty leader' : '区值班领导' },
        { key: 'dispatcher', label: en ? 'District dispatcher' : '区中心派遣员' },
      ],
    },
    { label: 'identity.group.township', options: dir.townships.map((t) => ({ key: `township:${t.code}`, label: `${t.name}坐席` })) },
    // Communities and their grid workers by township: one flat list of them was ~170 lines long.
    ...dir.townships.map((t) => ({
      label: 'identity.group.community',
      place: t.name,
      options: dir.communities.filter((c) => c.townshipCode === t.code).map((c) => ({ key: `community:${c.code}`, label: `${c.name}坐席` })),
    })),
    { label: 'identity.group.department', options: DEPARTMENTS.map((d) => ({ key: `dept:${d.id}`, label: en ? d.nameEn : d.name })) },
    ...dir.townships.map((t) => ({
      label: 'identity.group.worker',
      place: t.name,
      options: [...firstWorker]
        .filter(([code]) => townshipOf.get(code) === t.code)
        .map(([code, w]) => ({ key: `worker:${w.id}`, label: `${w.name} · ${communityName.get(code) ?? code}` })),
    })),
    {
      label: 'identity.group.display',
      options: [
        { key: 'display', label: en ? `Screen · ${dir.districtName}` : `大屏 · ${dir.districtName}` },
        ...dir.townships.map((t) => ({ key: `display:${t.code}`, label: `${en ? 'Screen' : '大屏'} · ${t.name}` })),
      ],
    },
  ].filter((g) => g.options.length > 0);
}

/** The directory the presets are built from: the dataset's townships, communities and grid workers. */
export function directoryFrom(manifest: { district: { name: string }; townships: Directory['townships']; communities: Directory['communities'] }, workers: Directory['workers']): Directory {
  return {
    districtName: manifest.district.name,
    townships: manifest.townships.map((t) => ({ code: t.code, name: t.name })),
    communities: manifest.communities.map((c) => ({ code: c.code, name: c.name, townshipCode: c.townshipCode })),
    workers: workers.map((w) => ({ id: w.id, name: w.name, communityCode: w.communityCode })),
  };
}
