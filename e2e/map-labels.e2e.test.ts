// Browser test of the map's place names (issue 15): at 1920×1080 and 3840×2160 on the district
// screen, the names deck.gl draws are the collision-placed ones: no two overlap, each lies inside the
// map, below the count bar and clear of the layer panel (both measured from the page), every
// township keeps its name, and a neighbouring county is named only where part of it is in view.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeFloating, goAs, useDashboard } from './support.ts';
import { mapIdle } from './screenshot.ts';

interface Box { left: number; top: number; right: number; bottom: number }
interface Labels { placed: { text: string; level: string; box: Box }[]; dropped: { text: string; level: string; at: [number, number] }[]; view: Box }
interface Hooks {
  __linkageLabels?: Labels;
  __linkageDeck: { _props: { layers: { id: string; props: { data: { text: string }[] } }[] } };
}

const hits = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** A page element's box in the map container's pixels. */
const boxIn = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const map = document.querySelector('.maplibregl-map')!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return { left: r.left - map.left, top: r.top - map.top, right: r.right - map.left, bottom: r.bottom - map.top };
  });

const get = useDashboard();

describe('place names on the map', () => {
  it('collision-placed on the district screen: none overlaps another, the count bar or the layer panel; townships all named', async () => {
    const { page, url } = get();
    await closeFloating(page);
    await goAs(page, '?as=dispatcher');
    const manifest = (await (await fetch(`${url}/data/manifest.json`)).json()) as { townships: { name: string }[] };
    for (const size of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }]) {
      await page.setViewportSize(size);
      await mapIdle(page, 180_000);
      // deck.gl draws the placed names once the next layer push after the move has gone out.
      const drawnAndPlaced = () =>
        page.evaluate(() => {
          const w = window as unknown as Hooks;
          const drawn = w.__linkageDeck._props.layers.find((l) => l.id === 'place-names')!.props.data.map((d) => d.text).sort();
          return { drawn, placed: w.__linkageLabels!.placed.map((l) => l.text).sort() };
        });
      await expect.poll(async () => { const x = await drawnAndPlaced(); return x.drawn.join() === x.placed.join(); }, { timeout: 60_000 }).toBe(true);
      const labels = await page.evaluate(() => (window as unknown as Hooks).__linkageLabels!);
      const at = `at ${size.width}×${size.height}`;
      for (const a of labels.placed) for (const b of labels.placed) if (a !== b) expect(hits(a.box, b.box), `${a.text} overlaps ${b.text} ${at}`).toBe(false);
      const map = await boxIn(page, '.maplibregl-map');
      const bar = await boxIn(page, '.map-info');
      const panel = await boxIn(page, '[data-testid="layer-panel"]');
      for (const l of labels.placed) {
        expect(l.box.left >= 0 && l.box.top >= 0 && l.box.right <= map.right - map.left && l.box.bottom <= map.bottom - map.top, `${l.text} inside the map ${at}`).toBe(true);
        expect(hits(l.box, bar), `${l.text} under the count bar ${at}`).toBe(false);
        expect(hits(l.box, panel), `${l.text} under the layer panel ${at}`).toBe(false);
      }
      expect(labels.placed.filter((l) => l.level === 'township').map((l) => l.text).sort(), `township names ${at} (left out: ${JSON.stringify(labels.dropped.filter((l) => l.level === 'township'))}, view ${JSON.stringify(labels.view)})`).toEqual(manifest.townships.map((t) => t.name).sort());
      expect(labels.placed.filter((l) => l.level === 'neighbour').length, `neighbour names ${at}`).toBeGreaterThan(2);
    }
    await closeFloating(page);
  }, 600_000);
});
