// Where a neighbouring county's name goes on screen: inside the part of its polygon the map shows
// (the view less the count bar and the layer panel), or nowhere when that part is too small to hold
// it, so a label is never off-screen or under the map's own chrome. Pure, in screen pixels.

export type Pt = [number, number];
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The part of a ring inside the rectangle (Sutherland–Hodgman, one edge at a time). */
export function clipToRect(ring: readonly Pt[], r: Rect): Pt[] {
  const edges: Array<[(p: Pt) => boolean, (a: Pt, b: Pt) => Pt]> = [
    [(p) => p[0] >= r.left, (a, b) => at(a, b, (r.left - a[0]) / (b[0] - a[0]))],
    [(p) => p[0] <= r.right, (a, b) => at(a, b, (r.right - a[0]) / (b[0] - a[0]))],
    [(p) => p[1] >= r.top, (a, b) => at(a, b, (r.top - a[1]) / (b[1] - a[1]))],
    [(p) => p[1] <= r.bottom, (a, b) => at(a, b, (r.bottom - a[1]) / (b[1] - a[1]))],
  ];
  let out: Pt[] = [...ring];
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cross(prev, cur));
    }
    if (out.length === 0) break;
  }
  return out;
}

const at = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** Area (absolute) and centroid of a ring. */
export function areaCentroid(ring: readonly Pt[]): { area: number; at: Pt } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % ring.length];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (a === 0) return { area: 0, at: ring[0] ?? [0, 0] };
  return { area: Math.abs(a / 2), at: [cx / (3 * a), cy / (3 * a)] };
}

/**
 * The label point of a polygon (its outer rings) in the visible rectangle: the centroid of the
 * largest visible part, or null when no part covers `minArea` square pixels.
 */
export function labelInView(rings: readonly (readonly Pt[])[], r: Rect, minArea: number): Pt | null {
  let best: { area: number; at: Pt } | null = null;
  for (const ring of rings) {
    const part = clipToRect(ring, r);
    if (part.length < 3) continue;
    const c = areaCentroid(part);
    if (c.area >= minArea && (!best || c.area > best.area)) best = c;
  }
  return best?.at ?? null;
}

export interface LabelCandidate {
  text: string;
  /** Anchor on screen (its place's label point). */
  at: Pt;
  /** Font size in pixels. */
  size: number;
}

export interface Placement {
  /** Where the label's centre goes: the anchor or one of the positions around it. */
  centre: Pt;
  box: Rect;
}

const boxAround = (c: Pt, w: number, h: number): Rect => ({ left: c[0] - w / 2, top: c[1] - h / 2, right: c[0] + w / 2, bottom: c[1] + h / 2 });
const hits = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const within = (a: Rect, r: Rect) => a.left >= r.left && a.right <= r.right && a.top >= r.top && a.bottom <= r.bottom;

/**
 * Collision placement, as MapLibre's symbol placement with variable anchors: in the order given
 * (the most important first), each label takes the first position (centred on its anchor, then
 * above, below, right, left of it, then the four corners, then two lines above or below) where its box stays inside the view and clear of every label
 * placed before it; a label with no such position is left out. A box is the text's width (CJK: one
 * em a character) by 1.3 em, plus `pad` pixels around.
 */
export function placeLabels<C extends LabelCandidate>(candidates: readonly C[], view: Rect, pad = 2): (C & Placement)[] {
  const placed: (C & Placement)[] = [];
  for (const c of candidates) {
    const w = [...c.text].length * c.size + 2 * pad;
    const h = 1.3 * c.size + 2 * pad;
    const [x, y] = c.at;
    const dx = w / 2 + pad;
    const tries: Pt[] = [[x, y], [x, y - h], [x, y + h], [x + dx, y], [x - dx, y], [x + dx, y - h], [x - dx, y - h], [x + dx, y + h], [x - dx, y + h], [x, y - 2 * h], [x, y + 2 * h]];
    for (const centre of tries) {
      const box = boxAround(centre, w, h);
      if (within(box, view) && !placed.some((p) => hits(p.box, box))) {
        placed.push({ ...c, centre, box });
        break;
      }
    }
  }
  return placed;
}
