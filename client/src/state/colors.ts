// Status colours per device kind, as RGBA bytes indexed by status code * 4
// (online/normal, offline, fault, alarm). Shared by the map layers and the legend.
import { DEVICE_KINDS, type CaseStage, type DeviceKind } from '../../../core/domain.ts';

type RGBA = [number, number, number, number];

const OFFLINE: RGBA = [110, 120, 135, 150];
const FAULT: RGBA = [255, 150, 40, 235];
const ALARM: RGBA = [255, 50, 70, 255];

/** Colour of a healthy device per kind (components are dim so 100k points read as texture). */
export const ONLINE_RGBA: Record<DeviceKind, RGBA> = {
  component: [40, 170, 160, 110],
  camera: [70, 160, 255, 230],
  lookout: [180, 130, 255, 255],
  drone: [255, 230, 80, 255],
  broadcast: [120, 230, 120, 235],
  worker: [80, 230, 255, 255],
};

function palette(kind: DeviceKind): Uint8Array {
  const p = new Uint8Array(16);
  p.set(ONLINE_RGBA[kind], 0);
  p.set(kind === 'component' ? [95, 105, 120, 110] : OFFLINE, 4);
  p.set(FAULT, 8);
  p.set(ALARM, 12);
  return p;
}

export const STATUS_RGBA: Record<DeviceKind, Uint8Array> = Object.fromEntries(
  DEVICE_KINDS.map((k) => [k, palette(k)]),
) as Record<DeviceKind, Uint8Array>;

export function cssColor(kind: DeviceKind, status = 0): string {
  const p = STATUS_RGBA[kind];
  const o = status * 4;
  return `rgb(${p[o]}, ${p[o + 1]}, ${p[o + 2]})`;
}

/** Case colours by state. */
export const CASE_RGBA = {
  overdue: [255, 40, 60, 255] as RGBA,
  warning: [255, 214, 0, 255] as RGBA,
  urgent: [255, 120, 40, 255] as RGBA,
  open: [255, 210, 70, 240] as RGBA,
  closed: [90, 200, 120, 160] as RGBA,
  voided: [120, 120, 130, 120] as RGBA,
  whistle: [255, 90, 220, 255] as RGBA,
};

/** Case fill by stage: the loop reads left to right as cold (just in) to warm (in hand) to green (done). */
export const STAGE_RGBA: Record<CaseStage, RGBA> = {
  reported: [150, 200, 255, 240],
  filed: [56, 211, 255, 240],
  dispatched: [60, 130, 255, 245],
  handling: [255, 200, 60, 245],
  handled: [120, 230, 200, 240],
  rechecked: [90, 220, 140, 240],
  closed: [90, 200, 120, 170],
  returned: [190, 120, 255, 245],
  deferred: [140, 150, 170, 220],
  parked: [110, 115, 130, 200],
  voided: [120, 120, 130, 120],
};

export const rgbCss = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
