// Mute is per screen: a duty room mutes the wall it hears from the desk, and the wall stays muted
// after a reload (remembered in the browser, as the layer panel's fold is).
import { useRememberedToggle } from '../hooks.ts';

export const MUTE_KEY = 'linkage.alerts.muted';

export const useMuted = (): [boolean, () => void] => useRememberedToggle(MUTE_KEY);
