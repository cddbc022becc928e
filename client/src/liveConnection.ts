// The dashboard's store and its realtime connection, and what the page reads of the connection.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { movingSeeds, type LoadedDataset } from './state/dataset.ts';
import { createStore, type LiveStore } from './state/store.ts';
import { connectRealtime, type ConnState, type Realtime } from './realtime/connection.ts';
import { handshakeOf, type Identity } from './state/identity.ts';
import { createHub, type LiveHub } from './live.ts';
import { exposeForTests } from './test-hooks.ts';
import type { Feed } from '../../core/protocol.ts';

/** The store and its connection for one dataset; a new identity reconnects with its handshake. */
export function useLiveConnection(data: LoadedDataset, identity: Identity) {
  // The store's scope is the first identity's; another one resets it through rt.setIdentity.
  const [first] = useState(identity);
  const store = useMemo(() => createStore(data.sizes, movingSeeds(data), first.scope, { camera: data.positions.camera, lookout: data.positions.lookout, broadcast: data.positions.broadcast }), [data, first]);
  const hub = useMemo(() => createHub(250), []);
  const rt = useRealtime(store, hub, first);
  // Another identity: reconnect with its handshake (the first connect already used the initial one).
  const [connectedAs, setConnectedAs] = useState(identity.key);
  useEffect(() => {
    if (!rt || connectedAs === identity.key) return;
    setConnectedAs(identity.key);
    rt.setIdentity(handshakeOf(identity));
  }, [rt, identity, connectedAs]);
  return { store, hub, rt };
}

/**
 * Connects `store` as `identity` for as long as the store and hub live; the hub hears every change.
 * Shared by the dashboard and the phone page, which follows cases only (`feed: 'cases'`: no device layers).
 */
export function useRealtime(store: LiveStore, hub: LiveHub, identity: Identity, feed: Feed = 'all'): Realtime | null {
  const [rt, setRt] = useState<Realtime | null>(null);
  useEffect(() => {
    const r = connectRealtime(store, { ...handshakeOf(identity), ...(feed === 'all' ? {} : { feed }) });
    const un = r.subscribe(hub.notify);
    setRt(r);
    exposeForTests('__linkage', { store, realtime: r });
    return () => {
      un();
      r.close();
      hub.close();
    };
  }, [store, hub, identity, feed]);
  return rt;
}

/** What the connection says, re-read when it notifies: its state, the server's refusal, closes by the server. */
export function useConnState(rt: Realtime | null, subscribe: (fn: () => void) => () => void) {
  const state = useSyncExternalStore(subscribe, (): ConnState => rt?.state() ?? 'connecting');
  const error = useSyncExternalStore(subscribe, () => rt?.error() ?? null);
  const closedByServer = useSyncExternalStore(subscribe, () => rt?.stats.closedByServer ?? 0);
  return { state, error, closedByServer };
}
