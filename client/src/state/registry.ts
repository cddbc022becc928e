// The registry slice of the live store: devices provisioned, changed or retired since the dataset
// (core/registry.ts), as the snapshot and `devices:changed` bring them, and the positions of the
// fixed layers that follow from them (the dataset's, grown and moved). The map draws `placed`; a
// retired device, or one past the dataset that the moment shown does not have, is absent
// (devices.ts setPresence: transparent, not counted). Pure updaters; no store import.
import { REGISTRY_KINDS, type RegisteredDevice, type RegistryKind } from '../../../core/registry.ts';
import { setPresence, type DevicesState } from './devices.ts';

export interface RegistryState {
  /** The registry's entries, by kind:id. */
  registry: Map<string, RegisteredDevice>;
  /** lon,lat pairs of the fixed layers in layer order; NaN where a device is absent. */
  placed: Record<RegistryKind, Float64Array>;
  /** The dataset's positions the registry builds on. */
  placedBase: Record<RegistryKind, Float64Array>;
  version: { registry: number };
}

const perRegistry = <T>(f: (k: RegistryKind) => T) => Object.fromEntries(REGISTRY_KINDS.map((k) => [k, f(k)])) as Record<RegistryKind, T>;

export function initRegistry(base: Record<RegistryKind, Float64Array>): RegistryState {
  return { registry: new Map(), placed: perRegistry((k) => base[k].slice()), placedBase: base, version: { registry: 0 } };
}

/** A snapshot's registry (live or a replayed moment): the whole of it. */
export function replaceRegistry(s: RegistryState & DevicesState, list: readonly RegisteredDevice[]): void {
  s.registry = new Map(list.map((d) => [`${d.kind}:${d.id}`, d]));
  rebuild(s);
}

/** Devices changed live (`devices:changed`). */
export function mergeRegistry(s: RegistryState & DevicesState, list: readonly RegisteredDevice[]): void {
  for (const d of list) s.registry.set(`${d.kind}:${d.id}`, d);
  rebuild(s);
}

/** The registry's entry at a layer index, if any (a device provisioned or changed since the dataset). */
export function registeredAt(s: RegistryState, kind: string, index: number): RegisteredDevice | undefined {
  for (const d of s.registry.values()) if (d.kind === kind && d.index === index) return d;
  return undefined;
}

function rebuild(s: RegistryState & DevicesState): void {
  for (const k of REGISTRY_KINDS) {
    const base = s.placedBase[k];
    const mine = [...s.registry.values()].filter((d) => d.kind === k);
    const size = Math.max(base.length / 2, s.status[k].length, ...mine.map((d) => d.index + 1));
    const pos = new Float64Array(size * 2).fill(Number.NaN);
    pos.set(base);
    for (const d of mine) {
      pos[d.index * 2] = d.retired ? Number.NaN : d.lon;
      pos[d.index * 2 + 1] = d.retired ? Number.NaN : d.lat;
    }
    const absent = new Set<number>();
    for (let i = 0; i < size; i++) if (Number.isNaN(pos[i * 2])) absent.add(i);
    s.placed[k] = pos;
    setPresence(s, k, size, absent);
  }
  s.version.registry++;
}
