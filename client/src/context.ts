// What every panel of the dashboard (and the mobile page) needs: the live store and where to
// subscribe to its changes (live.ts: useLive), the realtime connection for commands, who acts and
// names for codes. One context instead of threading props through every panel. Its value changes
// only when one of these does (another identity, a snapshot naming another actor, the language),
// never with the clock (clock.ts: useNow) or with each message.
import { createContext, useContext } from 'react';
import type { Actor } from '../../core/org.ts';
import type { LiveStore } from './state/store.ts';
import type { Realtime } from './realtime/connection.ts';
import type { Identity } from './state/identity.ts';
import type { Names } from './state/names.ts';

export interface Linkage {
  store: LiveStore;
  rt: Realtime | null;
  identity: Identity;
  /** The actor the server accepted for this connection (from the snapshot), else the one asked for; null for a display. */
  actor: Actor | null;
  names: Names;
  /** Calls back (throttled) after the store or the connection changed: read through useLive / useLiveMemo. */
  subscribe(fn: () => void): () => void;
  /** Opens a case in the detail panel (null closes it). */
  openCase(id: string | null): void;
}

export const LinkageContext = createContext<Linkage | null>(null);

export function useLinkage(): Linkage {
  const v = useContext(LinkageContext);
  if (!v) throw new Error('useLinkage outside <LinkageContext.Provider>');
  return v;
}

/** The acting actor: the server's word once a snapshot came, else what the handshake asked for. */
export function actingActor(store: Pick<LiveStore, 'session'>, identity: Identity): Actor | null {
  const a = store.session?.actor ?? identity.actor;
  return a && a.role !== 'display' ? a : null;
}
