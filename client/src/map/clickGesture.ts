// Who gets a click on the map while a place is being picked (a drone's target, a report's location,
// a broadcast area). A person often double-clicks a map, and the picker is done after the first
// click: the second click and the double-click then fell through to the camera under the point,
// opening it on the video wall (issue 15, item 3), and zoomed the map. So a whole click gesture
// (the browser's click count: 1, 2, … for the clicks of a double-click) belongs to whoever took its
// first click.

export type ClickRoute = 'picker' | 'feature' | 'swallow';

export class ClickGesture {
  private firstToPicker = false;

  /**
   * Where this click goes. `clickCount` is the DOM event's `detail` (1 for a lone click, 2 for the
   * second click of a double-click and the dblclick itself); `picking` whether a picker waits now.
   */
  route(clickCount: number, picking: boolean): ClickRoute {
    if (clickCount <= 1) this.firstToPicker = picking;
    if (picking) return 'picker';
    return this.firstToPicker ? 'swallow' : 'feature';
  }
}

/** Where the pointer last named something (the hover tooltip), in map CSS pixels. */
export interface Hovered<T> {
  ref: T;
  x: number;
  y: number;
}

/**
 * What a click on a feature opens. deck.gl answers a click with what it picks at the press, which on
 * a starved screen (layers replaced between the hover and the press) can be nothing or a neighbour;
 * the tooltip under the pointer is what the person saw and meant, so it wins when the click lands
 * where it was named (within the picking radius). A hover is forgotten when the map moves.
 */
export function clickTarget<T>(picked: T | null, hovered: Hovered<T> | null, at: { x: number; y: number }, radius: number): T | null {
  if (hovered && Math.hypot(hovered.x - at.x, hovered.y - at.y) <= radius) return hovered.ref;
  return picked;
}
