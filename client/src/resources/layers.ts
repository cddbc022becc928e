// The emergency resources on the map: one rounded square badge per resource with its kind's glyph
// (避 储 救 消 医 / S D R F H), above the device dots and below the drones. Pickable: a click opens
// its card (ResourceCard).
import { TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { EmergencyResource } from '../../../core/resources.ts';
import { RESOURCE_RGBA } from './style.ts';

export const RESOURCE_LAYER_ID = 'resources';
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export function resourceLayer(resources: readonly EmergencyResource[], visible: boolean, px: number, glyph: (r: EmergencyResource) => string): Layer {
  return new TextLayer<EmergencyResource>({
    id: RESOURCE_LAYER_ID,
    visible,
    data: resources as EmergencyResource[],
    getText: glyph,
    getPosition: (r: EmergencyResource) => [r.lon, r.lat],
    getSize: 13 * px,
    sizeUnits: 'pixels',
    getColor: [255, 255, 255, 255],
    background: true,
    getBackgroundColor: (r: EmergencyResource) => RESOURCE_RGBA[r.kind],
    getBorderColor: [255, 255, 255, 235],
    getBorderWidth: 1.5 * px,
    backgroundPadding: [4 * px, 3 * px],
    backgroundBorderRadius: 3 * px,
    characterSet: 'auto',
    fontFamily: FONT,
    fontWeight: 700,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120],
    updateTriggers: { getText: glyph, getSize: px, getBorderWidth: px },
  } as never);
}
