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
      `(${tries.hovers} hovers, ${tries.named} named it, ${tries.clicks} clicks; the tooltip otherwise showed ${JSON.stringify(tries.lastTooltip)})`,
  );

/** Hovers the target until the tooltip names it. */
export async function hoverUntilNamed(page: Page, t: MapTarget): Promise<void> {
  const deadline = Date.now() + TRY_FOR_MS;
  const tries: Tries = { hovers: 0, named: 0, clicks: 0, lastTooltip: null };
  while (!(await hoverOnce(page, t, tries))) {
    if (Date.now() > deadline) throw failure(t, tries);
  }
}

/** Hovers until named, clicks; with `opens`, again until that selector shows. */
export async function clickOnMap(page: Page, t: MapTarget, opens?: string): Promise<void> {
  const deadline = Date.now() + TRY_FOR_MS;
  const tries: Tries = { hovers: 0, named: 0, clicks: 0, lastTooltip: null };
  for (;;) {
    const xy = await hoverOnce(page, t, tries);
    if (xy) {
      await page.mouse.click(xy.x, xy.y);
      tries.clicks++;
      if (!opens) return;
      if (await page.waitForSelector(opens, { timeout: 15_000 }).then(() => true, () => false)) return;
    }
    if (Date.now() > deadline) throw failure(t, tries, opens);
  }
}
