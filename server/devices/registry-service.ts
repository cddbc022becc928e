// Provisioning, updating and retiring devices (core/registry.ts decides): each decision on the
// projection brought up to the log's head, appended only if nobody changed the device meanwhile,
// answered with the device as the registry holds it once committed.
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import {
  decideProvision, decideRetire, decideUpdate, registryEventKey, registryEventType,
  type DeviceChanges, type DeviceSpec, type RegisteredDevice, type RegistryDecision, type RegistryEvent, type RegistryKind, type RegistryOrigin,
} from '../../core/registry.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import type { EventLog, NewEvent } from '../store/event-store.ts';
import type { Projector } from '../projections/projector.ts';
import type { Clock } from '../../core/domain.ts';

/** The log's subject of a registry event: its own, so telemetry of the device never conflicts with it. */
export const registrySubject = (kind: string, id: string) => `registry:${kind}:${id}`;

export function registryEvent(e: RegistryEvent, ts: number): NewEvent {
  const { kind, id } = registryEventKey(e);
  return { type: registryEventType(e), subject: registrySubject(kind, id), ts, data: e };
}

export class RegistryService {
  constructor(
    private readonly store: EventLog,
    private readonly projector: Projector,
    private readonly clock: Clock,
  ) {}

  private async run(kind: RegistryKind, id: string, decide: () => RegistryDecision | null): Promise<Ack<RegisteredDevice>> {
    return decideAndAppend(this.store, [registrySubject(kind, id)], () => {
      const d = decide();
      if (d === null) {
        const same = this.projector.registry.get(kind, id);
        return same ? { ok: true, data: same } : { ok: false, code: ERROR_CODES.unknownDevice, message: `no ${kind} with id "${id}"` };
      }
      if (!d.ok) return d;
      return {
        events: [registryEvent(d.event, this.clock.now())],
        answer: () => {
          const after = this.projector.registry.get(kind, id);
          return after ? { ok: true as const, data: after } : { ok: false as const, code: ERROR_CODES.unavailable, message: 'committed, but not yet applied here: read it again' };
        },
      };
    });
  }

  provision(spec: DeviceSpec, origin: RegistryOrigin): Promise<Ack<RegisteredDevice>> {
    return this.run(spec.kind, spec.id, () => decideProvision(this.projector.registry, spec, origin));
  }

  /** Nothing to change answers the device as it is. */
  update(kind: RegistryKind, id: string, changes: DeviceChanges, origin: RegistryOrigin): Promise<Ack<RegisteredDevice>> {
    return this.run(kind, id, () => decideUpdate(this.projector.registry, kind, id, changes, origin));
  }

  retire(kind: RegistryKind, id: string, reason: string, origin: RegistryOrigin): Promise<Ack<RegisteredDevice>> {
    return this.run(kind, id, () => decideRetire(this.projector.registry, kind, id, reason, origin));
  }
}
