// Screenshots of a running dashboard at 1920×1080 and 3840×2160.
//   npx tsx e2e/screenshot.ts <url> <outdir>
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const VIEWPORTS = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '3840x2160', width: 3840, height: 2160 },
] as const;

/**
 * Feature tests shoot 1920×1080; with LINKAGE_SHOTS_4K=1 also 3840×2160 (software WebGL takes
 * 15–30 s per 4K frame, so CI keeps 4K to the layout tests that assert on it).
 */
export const SHOTS_4K = process.env.LINKAGE_SHOTS_4K === '1';
export const FEATURE_VIEWPORTS = SHOTS_4K ? VIEWPORTS : ([VIEWPORTS[0]] as const);

/**
 * Waits until the map has drawn a complete frame after a resize or a move: MapLibre fires 'idle'
 * at the end of a render with the style and tiles loaded and nothing moving. A condition instead of
 * a guess at how long the software renderer takes at this size.
 */
export async function mapIdle(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve, reject) => {
        type IdleMap = { once(e: 'idle', f: () => void): void; triggerRepaint(): void };
        const map = (window as unknown as { __linkageMap?: IdleMap }).__linkageMap;
        if (!map) return resolve();
        const timer = setTimeout(() => reject(new Error(`the map drew no complete frame within ${ms} ms`)), ms);
        map.once('idle', () => {
          clearTimeout(timer);
          resolve();
        });
        map.triggerRepaint();
      }),
    timeoutMs,
  );
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Opens the dashboard at one size, waits for the first map render with live data, saves a PNG. */
export async function shoot(browser: Browser, url: string, outFile: string, width: number, height: number): Promise<void> {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`[${width}x${height}] console: ${m.text()}`);
  });
  page.on('pageerror', (e) => console.error(`[${width}x${height}] page error: ${e.message}`));
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 120_000 });
    await mapIdle(page);
    await page.screenshot({ path: outFile, type: 'png' });
    console.log(`saved ${outFile}`);
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const [url, outdir = 'screenshots'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: npx tsx e2e/screenshot.ts <url> <outdir>');
    process.exit(2);
  }
  mkdirSync(outdir, { recursive: true });
  const browser = await launch();
  try {
    for (const v of VIEWPORTS) await shoot(browser, url, path.join(outdir, `dashboard-${v.name}.png`), v.width, v.height);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
