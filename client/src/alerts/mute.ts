// Mute is per screen: a duty room mutes the wall it hears from the desk, and the wall stays muted
// after a reload (localStorage, as the layer panel remembers its fold).
import { useCallback, useState } from 'react';

export const MUTE_KEY = 'linkage.alerts.muted';

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export function useMuted(): [boolean, () => void] {
  const [muted, setMuted] = useState(readMuted);
  const toggle = useCallback(
    () =>
      setMuted((m) => {
        try {
          localStorage.setItem(MUTE_KEY, m ? '0' : '1');
        } catch {
          // storage refused (private mode): muted for this page only
        }
        return !m;
      }),
    [],
  );
  return [muted, toggle];
}
