// Sensor and video alarms (active → acknowledged → cleared) evolved from the alarm events in the log.
import type { AlarmState } from '../../core/alarms.ts';
import type { ActorRef } from '../../core/cases/model.ts';

const HOUR = 3_600_000;

/** What the log records about an alarm: raised (with its full first state), repeated, linked to a case, acknowledged, cleared (by whom: `actor`, absent in events logged before the audit log). */
export type AlarmEvent =
  | { type: 'raised'; alarm: AlarmState }
  | { type: 'repeated'; alarmId: string; at: number }
  | { type: 'linked'; alarmId: string; caseId: string; at: number }
  | { type: 'acknowledged'; alarmId: string; at: number; by: string; actor?: ActorRef; note?: string }
  | { type: 'cleared'; alarmId: string; at: number; by: string; actor?: ActorRef; note?: string };

export class AlarmBook {
  private readonly alarms = new Map<string, AlarmState>();
  /** Open alarms per device, by event class (a flood gauge has two: 超警戒 and 超保证; sensor alarms clear when the device reports normal again). */
  private readonly openByDevice = new Map<string, Map<string, string>>();
  private dirty = new Set<string>();

  get(id: string): AlarmState | undefined {
    return this.alarms.get(id);
  }

  /** The device's open alarm of `eventClass`, or without it the first one opened. */
  openOfDevice(deviceId: string, eventClass?: string): AlarmState | undefined {
    const byClass = this.openByDevice.get(deviceId);
    const id = eventClass === undefined ? byClass?.values().next().value : byClass?.get(eventClass);
    return id ? this.alarms.get(id) : undefined;
  }

  /** Every open alarm of the device. */
  openAllOfDevice(deviceId: string): AlarmState[] {
    return [...(this.openByDevice.get(deviceId)?.values() ?? [])].map((id) => this.alarms.get(id)!);
  }

  *open(): Generator<AlarmState> {
    for (const byClass of this.openByDevice.values()) for (const id of byClass.values()) yield this.alarms.get(id)!;
  }

  private markOpen(a: AlarmState): void {
    let byClass = this.openByDevice.get(a.deviceId);
    if (!byClass) this.openByDevice.set(a.deviceId, (byClass = new Map()));
    byClass.set(a.eventClass, a.id);
  }

  private markClosed(a: AlarmState): void {
    const byClass = this.openByDevice.get(a.deviceId);
    if (byClass?.get(a.eventClass) !== a.id) return;
    byClass.delete(a.eventClass);
    if (byClass.size === 0) this.openByDevice.delete(a.deviceId);
  }

  apply(e: AlarmEvent): AlarmState | undefined {
    if (e.type === 'raised') {
      this.alarms.set(e.alarm.id, e.alarm);
      this.markOpen(e.alarm);
      this.dirty.add(e.alarm.id);
      return e.alarm;
    }
    const a = this.alarms.get(e.alarmId);
    if (!a) return undefined;
    let n: AlarmState;
    // updatedAt only moves forward (device clocks may run ahead of the server's), so clients can order versions by it.
    const updatedAt = Math.max(a.updatedAt + 1, e.at);
    switch (e.type) {
      case 'repeated': n = { ...a, repeats: a.repeats + 1, updatedAt }; break;
      case 'linked': n = { ...a, caseId: e.caseId, updatedAt }; break;
      case 'acknowledged': n = { ...a, status: 'acknowledged', ackAt: e.at, ackBy: e.by, updatedAt }; break;
      case 'cleared':
        n = { ...a, status: 'cleared', clearedAt: e.at, clearedBy: e.by, updatedAt };
        this.markClosed(a);
        break;
    }
    this.alarms.set(n.id, n);
    this.dirty.add(n.id);
    return n;
  }

  takeChanged(): AlarmState[] {
    if (this.dirty.size === 0) return [];
    const out = [...this.dirty].map((id) => this.alarms.get(id)!);
    this.dirty = new Set();
    return out;
  }

  /** Open alarms plus those cleared in the last hour, in scope. */
  visible(inScope: (a: AlarmState) => boolean, now: number): AlarmState[] {
    const out: AlarmState[] = [];
    for (const a of this.alarms.values()) if ((a.status !== 'cleared' || (a.clearedAt ?? 0) >= now - HOUR) && inScope(a)) out.push(a);
    return out.sort((x, y) => y.raisedAt - x.raisedAt);
  }

  exportState(): AlarmState[] {
    return [...this.alarms.values()];
  }

  importState(list: AlarmState[]): void {
    this.alarms.clear();
    this.openByDevice.clear();
    for (const a of list) {
      this.alarms.set(a.id, a);
      if (a.status !== 'cleared') this.markOpen(a);
    }
  }
}
