// Pointing at one thing on the map, the way a person does: zoom onto it, hover until the tooltip
// names it (deck.gl has drawn the zoomed layers, slow on a software renderer under load), then
// click; when something else drawn on the spot answers, the mouse is nudged a few pixels. Under
// load a click on a named feature sometimes opens nothing (cause not established;
// docs/ARCHITECTURE.md): with `opens`, the click is tried again until that shows, and the test
// still fails if it never does.
import type { Page } from 'playwright-core';

type MapHandle = { jumpTo(o: { center: [number, number]; zoom: number }): void; project(ll: [number, number]): { x: number; y: number } };

export interface MapTarget {
  lonlat: [number, number];
  zoom: number;
  /** The tooltip's title (`b`, resources and cases) or id line (`span`, devices) naming the target. */
  named: { part: 'b' | 'span'; text: string };
}

const TRY_FOR_MS = 180_000;

async function zoomOnto(page: Page, t: MapTarget): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ ll, zoom }) => {
      const map = (window as unknown as { __linkageMap: MapHandle }).__linkageMap;
      map.jumpTo({ center: ll, zoom });
      const p = map.project(ll);
      const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    { ll: t.lonlat, zoom: t.zoom },
  );
}

/** Where a hover lands around the target, one per try: on it first, then a few pixels to each side,
 * as a person nudges the mouse when something else drawn on the same spot (a case, a camera) answers. */
const NUDGES: ReadonlyArray<[number, number]> = [[0, 0], [4, 0], [-4, 0], [0, 4], [0, -4]];

/** What the tries saw, for the error when none succeeded. */
interface Tries {
  hovers: number;
  named: number;
  clicks: number;
  lastTooltip: string | null;
  /** After the last click that opened nothing: what deck.gl picked at the press, how many clicks
   * MapLibre fired, and what the page showed (cards, drawer, video wall). */
  lastClick: string | null;
}

/** One hover over the target (nudged by the try's number); its point once the tooltip names it. */
async function hoverOnce(page: Page, t: MapTarget, tries: Tries): Promise<{ x: number; y: number } | null> {
  const at = await zoomOnto(page, t);
  const [dx, dy] = NUDGES[tries.hovers++ % NUDGES.length];
  const xy = { x: at.x + dx, y: at.y + dy };
  await page.mouse.move(xy.x - 3, xy.y - 3);
  await page.mouse.move(xy.x, xy.y);
  const named = await page
    .waitForFunction(({ part, text }) => document.querySelector(`[data-testid="map-tooltip"] ${part}`)?.textContent === text, t.named, { timeout: 10_000 })
    .then(() => true, () => false);
  if (named) tries.named++;
  else tries.lastTooltip = await page.evaluate(() => document.querySelector('[data-testid="map-tooltip"]')?.textContent ?? null);
  return named ? xy : null;
}

const failure = (t: MapTarget, tries: Tries, opens?: string) =>
  new Error(
    `"${t.named.text}" never came under the cursor${opens ? `, or a click on it never opened ${opens}` : ''} ` +
      `(${tries.hovers} hovers, ${tries.named} named it, ${tries.clicks} clicks; the tooltip otherwise showed ${JSON.stringify(tries.lastTooltip)}` +
      `${tries.lastClick ? `; the last click: ${tries.lastClick}` : ''})`,
  );

/** MapLibre clicks the page's map has fired since this helper first looked (a listener it adds once). */
async function countMapClicks(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { __linkageMap: { on(e: string, f: () => void): void }; __mapClicks?: number };
    if (w.__mapClicks === undefined) {
      w.__mapClicks = 0;
      w.__linkageMap.on('click', () => (w.__mapClicks = (w.__mapClicks ?? 0) + 1));
    }
    return w.__mapClicks;
  });
}

/** What a click that opened nothing did reach, for the error. */
async function describeClick(page: Page, xy: { x: number; y: number }, clicksBefore: number): Promise<string> {
  return page.evaluate(
    ({ xy, clicksBefore }) => {
      type Picked = { layer?: { id: string } | null; index: number } | null;
      const w = window as unknown as { __mapClicks?: number; __linkageDeck: { pickObject(o: { x: number; y: number; radius: number }): Picked } };
      const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
      const picked = w.__linkageDeck.pickObject({ x: xy.x - box.left, y: xy.y - box.top, radius: 4 });
      const top = document.elementFromPoint(xy.x, xy.y);
      const open = ['detail-card', 'case-detail', 'video-wall'].filter((id) => document.querySelector(`[data-testid="${id}"]`));
      return (
        `MapLibre fired ${(w.__mapClicks ?? 0) - clicksBefore} click(s); deck.gl picks ${picked?.layer ? `${picked.layer.id}#${picked.index}` : 'nothing'} there now; ` +
        `on top: ${top ? `${top.tagName.toLowerCase()}.${[...top.classList].join('.')}` : 'nothing'}; open: ${open.join(', ') || 'nothing'}`
      );
    },
    { xy, clicksBefore },
  );
}

/** Hovers the target until the tooltip names it. */
export async function hoverUntilNamed(page: Page, t: MapTarget): Promise<void> {
  const deadline = Date.now() + TRY_FOR_MS;
  const tries: Tries = { hovers: 0, named: 0, clicks: 0, lastTooltip: null, lastClick: null };
  while (!(await hoverOnce(page, t, tries))) {
    if (Date.now() > deadline) throw failure(t, tries);
  }
}

/** Hovers until named, clicks; with `opens`, again until that selector shows. */
export async function clickOnMap(page: Page, t: MapTarget, opens?: string): Promise<void> {
  const deadline = Date.now() + TRY_FOR_MS;
  const tries: Tries = { hovers: 0, named: 0, clicks: 0, lastTooltip: null, lastClick: null };
  for (;;) {
    const xy = await hoverOnce(page, t, tries);
    if (xy) {
      const before = await countMapClicks(page);
      await page.mouse.click(xy.x, xy.y);
      tries.clicks++;
      if (!opens) return;
      if (await page.waitForSelector(opens, { timeout: 15_000 }).then(() => true, () => false)) return;
      tries.lastClick = await describeClick(page, xy, before);
    }
    if (Date.now() > deadline) throw failure(t, tries, opens);
  }
}
