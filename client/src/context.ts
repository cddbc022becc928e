// What every panel of the dashboard (and the mobile page) needs: the live store, the realtime
// connection for commands, who acts, names for codes, and the clock. One context instead of
// threading eight props through every panel.
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
  now: number;
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
export function actingActor(store: LiveStore, identity: Identity): Actor | null {
  const a = store.session?.actor ?? identity.actor;
  return a && a.role !== 'display' ? a : null;
}
