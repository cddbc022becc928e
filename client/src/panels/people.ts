// Who did something, as a person reads it: a name and a role, never an account id or a feed's code.
import type { ActorRef } from '../../../core/cases/model.ts';

type T = (key: string) => string;

/** A device gateway acts as `gateway:<source>` named by its source code ("patrol"): shown as that source. */
const GATEWAY = 'gateway:';

/** "张伟 · 网格员"; a gateway as its intake source ("网格巡查 · 数据接入"); the system once ("系统", not "系统 · 系统"). */
export function actorLabel(actor: Pick<ActorRef, 'id' | 'name' | 'role'>, t: T): string {
  if (actor.id.startsWith(GATEWAY)) return `${t(`source.${actor.id.slice(GATEWAY.length)}`)} · ${t('people.intake')}`;
  if (actor.role === 'system') return t('role.system');
  return `${actor.name} · ${t(`role.${actor.role}`)}`;
}

/**
 * The reporter of a case by name: the case keeps only an id (an account, a gateway, a camera, a
 * hotline line), so the name comes from the timeline event of whoever reported. An id nobody in
 * the timeline or `people` (grid workers by id) answers to (a camera, a hotline line) is what
 * people call it by, and shown as is.
 */
export function reporterLabel(reporter: string, timeline: ReadonlyArray<{ actor: Pick<ActorRef, 'id' | 'name' | 'role'> }> | null, t: T, people?: ReadonlyMap<string, string>): string {
  // A grid worker's report comes through the patrol gateway with the worker's id: the dataset names them.
  const known = people?.get(reporter);
  if (known) return known;
  const actor = timeline?.find((e) => e.actor.id === reporter)?.actor;
  if (!actor) return reporter;
  if (actor.id.startsWith(GATEWAY)) return t(`source.${actor.id.slice(GATEWAY.length)}`);
  return actor.role === 'system' ? t('role.system') : actor.name;
}
