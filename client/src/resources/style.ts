// How each kind of emergency resource is drawn: a rounded square badge with one glyph, in colours
// apart from the device dots (round) so a wall screen tells them apart from across the room.
import type { ResourceKind } from '../../../core/resources.ts';

type RGBA = [number, number, number, number];

export const RESOURCE_RGBA: Record<ResourceKind, RGBA> = {
  shelter: [22, 163, 74, 255],
  depot: [161, 98, 7, 255],
  team: [234, 88, 12, 255],
  fire: [220, 38, 38, 255],
  hospital: [219, 39, 119, 255],
};

export const resourceCss = (kind: ResourceKind) => {
  const [r, g, b] = RESOURCE_RGBA[kind];
  return `rgb(${r},${g},${b})`;
};
