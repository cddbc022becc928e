// React hooks shared by the dashboard and the mobile page.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useSignedIn } from './auth/AuthGate.tsx';
import { accountIdentity } from './auth/identity.ts';
import { IDENTITY_STORAGE_KEY, identityKeyFrom, pickIdentity, searchFor, type Directory, type Identity } from './state/identity.ts';

/** Screen scale: root font size / 16 (the CSS sizes the root from the viewport). */
export function usePx(): number {
  const read = () => parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
  const [px, setPx] = useState(read);
  useEffect(() => {
    let t = 0;
    const on = () => {
      window.clearTimeout(t);
      t = window.setTimeout(() => setPx(read()), 150);
    };
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return Math.round(px * 100) / 100;
}

/** Wider than 12:5 (a 32:9 video wall, 7680×2160): the layout docks more panels beside the map. */
export const WIDE_WALL_QUERY = '(min-aspect-ratio: 12/5)';

export function useWideWall(): boolean {
  const [wide, setWide] = useState(() => matchMedia(WIDE_WALL_QUERY).matches);
  useEffect(() => {
    const mq = matchMedia(WIDE_WALL_QUERY);
    const on = () => setWide(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return wide;
}

/** Fired after the app rewrites the URL itself (history.replaceState fires no event of its own). */
const URL_CHANGED = 'linkage:urlchange';

function subscribeSearch(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener(URL_CHANGED, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(URL_CHANGED, cb);
  };
}

/**
 * The page's query string as React state. Reading `location.search` during render is impure: when the
 * URL changed with no state change, the kiosk rotation's effect keyed on it was seen never to run
 * (its timer never started) — consistent with React keeping dependencies from a render it bailed out of.
 */
export function useSearch(): string {
  return useSyncExternalStore(subscribeSearch, () => location.search);
}

/**
 * A yes/no this screen remembers across reloads (localStorage): the layer panel's fold, the alerts'
 * mute. Where storage is refused (private mode) it lasts for the page only.
 */
export function useRememberedToggle(key: string): [boolean, () => void] {
  const [on, setOn] = useState(() => readStored(key) === '1');
  const toggle = useCallback(
    () =>
      setOn((was) => {
        try {
          localStorage.setItem(key, was ? '0' : '1');
        } catch {
          // storage refused: this page only
        }
        return !was;
      }),
    [key],
  );
  return [on, toggle];
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * The page's identity: from the URL (`?as=`, `?scope=`), else localStorage, else a district display.
 * Changing it rewrites the URL (so a reload keeps it) and the stored key.
 */
export function useIdentity(dir: Directory, storageKey = IDENTITY_STORAGE_KEY): [Identity, (key: string) => void] {
  const signedIn = useSignedIn();
  const search = useSearch();
  const [declared, setIdentity] = useState<Identity>(() => pickIdentity(identityKeyFrom(location.search, readStored(storageKey)), dir));
  // A signed-in account is who this page is; the declared identity (URL, storage) only serves development.
  const identity = useMemo(() => (signedIn ? accountIdentity(signedIn.account, signedIn.actor, search) : declared), [signedIn, declared, search]);
  useEffect(() => {
    if (signedIn) return; // the account is not a declared identity: nothing to remember or put in the URL
    try {
      localStorage.setItem(storageKey, identity.key);
    } catch {
      /* private mode */
    }
    const canonical = searchFor(identity, location.search);
    if (canonical !== location.search) {
      history.replaceState(null, '', `${location.pathname}${canonical}${location.hash}`);
      window.dispatchEvent(new Event(URL_CHANGED));
    }
  }, [identity, storageKey, signedIn]);
  // Back/forward (or a script pushing a new `?as=`) switches identity without reloading the page.
  useEffect(() => {
    const on = () => setIdentity((cur) => {
      const next = pickIdentity(identityKeyFrom(location.search, cur.key), dir);
      return next.key === cur.key ? cur : next;
    });
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, [dir]);
  const change = useCallback((key: string) => setIdentity(pickIdentity(key, dir)), [dir]);
  return [identity, change];
}
