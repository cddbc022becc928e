// The device registry as a projection (core/registry.ts decides, this applies): the devices an
// admin or an import provisioned, updated or retired, over the dataset's. Each projector has its
// own (the live one, every replay cursor), so a replayed moment shows the devices of that moment.
import { applyRegistryEvent, registryEventKey, type RegisteredDevice, type RegistryEvent, type RegistryKind, type RegistryView } from '../../core/registry.ts';
import type { CameraDevice } from '../../core/dataset.ts';
import type { District } from '../district.ts';
import type { DeviceState } from './device-state.ts';

const keyOf = (kind: string, id: string) => `${kind}:${id}`;

export class DeviceRegistry implements RegistryView {
  /** Devices whose registry entry differs from the dataset's (provisioned, updated or retired), by kind:id. */
  private readonly entries = new Map<string, RegisteredDevice>();
  private readonly byIndex = new Map<string, RegisteredDevice>();

  constructor(
    private readonly district: District,
    private readonly devices: DeviceState,
  ) {}

  get bbox() {
    return this.district.manifest.district.bbox;
  }

  /** The device as it is now: its registry entry, else the dataset's; undefined when unknown. */
  get(kind: RegistryKind, id: string): RegisteredDevice | undefined {
    const own = this.entries.get(keyOf(kind, id));
    if (own) return own;
    const index = this.district.index[kind].get(id);
    return index === undefined ? undefined : this.fromDataset(kind, index);
  }

  /** The device at a layer index (a camera raising an alarm), registry first. */
  at(kind: RegistryKind, index: number): RegisteredDevice | undefined {
    return this.byIndex.get(keyOf(kind, String(index))) ?? this.fromDataset(kind, index);
  }

  private fromDataset(kind: RegistryKind, index: number): RegisteredDevice | undefined {
    const d = this.district.placedDevice(kind, index);
    if (!d) return undefined;
    return { kind, id: d.id, index, name: d.name, lon: d.lon, lat: d.lat, ai: kind === 'camera' && (d as CameraDevice).ai === true, streamUrl: null, retired: false };
  }

  /** Applies one logged event; returns the device after it (undefined for an event about an unknown device: ignored). */
  apply(e: RegistryEvent): RegisteredDevice | undefined {
    const { kind, id } = registryEventKey(e);
    const before = this.get(kind, id);
    const index = before?.index ?? this.devices.addDevice(kind, id);
    const after = applyRegistryEvent(before, e, index);
    if (!after) return undefined;
    this.entries.set(keyOf(kind, id), after);
    this.byIndex.set(keyOf(kind, String(after.index)), after);
    this.devices.setRetired(kind, after.index, after.retired);
    return after;
  }

  /** The devices of a kind in service now: the dataset's and the provisioned, less the retired. */
  inService(kind: RegistryKind): RegisteredDevice[] {
    const out: RegisteredDevice[] = [];
    for (const id of this.district.index[kind].keys()) {
      const d = this.get(kind, id);
      if (d && !d.retired) out.push(d);
    }
    for (const d of this.entries.values()) if (d.kind === kind && !d.retired && this.district.index[kind].get(d.id) === undefined) out.push(d);
    return out;
  }

  /** Every device whose entry differs from the dataset, in layer order: what a snapshot carries. */
  list(): RegisteredDevice[] {
    return [...this.entries.values()].sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind < b.kind ? -1 : 1));
  }

  exportState(): RegisteredDevice[] {
    return this.list();
  }

  /** Restores a checkpoint's entries: provisioned devices take their indices again (in order), retired ones are retired. */
  importState(list: readonly RegisteredDevice[]): void {
    for (const d of [...list].sort((a, b) => a.index - b.index)) {
      if (this.district.index[d.kind].get(d.id) === undefined) {
        const i = this.devices.addDevice(d.kind, d.id);
        if (i !== d.index) throw new Error(`checkpoint registry: ${d.kind} ${d.id} at ${d.index}, expected ${i}`);
      }
      this.entries.set(keyOf(d.kind, d.id), d);
      this.byIndex.set(keyOf(d.kind, String(d.index)), d);
      this.devices.setRetired(d.kind, d.index, d.retired);
    }
  }
}
