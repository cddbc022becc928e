// A handover item as a line of the report, in the screen's language: the codes the server sends as
// facts (a whistle's kind, a drone's action, an alarm's class) are worded here, never shown raw.
import type { HandoverItem } from '../../../core/duty.ts';
import { EVENT_CLASS_BY_CODE } from '../../../core/taxonomy.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

export function itemText(item: Pick<HandoverItem, 'text' | 'facts'>, t: T, en: boolean): string {
  const f = item.facts;
  // A report frozen before items carried facts holds its sentence in the text.
  if (!f) return item.text;
  if (f.whistleKind) return t('duty.report.whistleItem', { title: item.text, kind: t(`whistle.kinds.${f.whistleKind}`) });
  if (f.droneAction) {
    const action = t(`drone.action.${f.droneAction}`);
    return item.text ? t('duty.report.droneItem', { action, target: item.text }) : action;
  }
  if (f.broadcastPoints !== undefined) return t('duty.report.broadcastItem', { text: item.text, n: f.broadcastPoints });
  if (f.eventClass) {
    const cls = EVENT_CLASS_BY_CODE.get(f.eventClass);
    return `${cls ? (en ? cls.nameEn : cls.name) : f.eventClass} · ${f.deviceId ?? ''}`;
  }
  return item.text;
}
