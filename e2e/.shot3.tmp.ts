import { readFileSync } from 'node:fs';
import { launch } from './screenshot.ts';
const { url } = JSON.parse(readFileSync('/tmp/devstack.json', 'utf8'));
const c = JSON.parse(readFileSync('data/generated/components.json', 'utf8'));
const i = c.sensorized.find((k: number) => c.classCode[k] === '0103');
const id = c.code[i];
const b = await launch();
try {
const p = await b.newPage({ viewport: { width: 1920, height: 1080 } });
p.setDefaultTimeout(150_000);
p.on('pageerror', (e) => console.log('pageerror', e.message));
p.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 200)));
p.on('request', (r) => r.url().includes('/api/') && console.log('req', r.url()));
const t = Date.now();
await p.goto(url);
await p.waitForSelector('body[data-ready="1"]', { timeout: 200_000 });
console.log('ready after', (Date.now() - t) / 1000);
const ll = [c.lon[i], c.lat[i]];
for (let k = 0; k < 10; k++) {
  const xy = await p.evaluate(async (ll) => {
    const map = (window as any).__linkageMap;
    map.jumpTo({ center: ll, zoom: 19 });
    const pt = map.project(ll);
    const box = document.querySelector('[data-testid="map"]')!.getBoundingClientRect();
    return { x: box.left + pt.x, y: box.top + pt.y };
  }, ll);
  await p.mouse.move(xy.x - 3, xy.y - 3);
  await p.mouse.move(xy.x, xy.y);
  const ok = await p.waitForFunction((want) => document.querySelector('[data-testid="map-tooltip"]')?.textContent?.includes(want) ?? false, id, { timeout: 10_000 }).then(() => true, () => false);
  console.log('hover', k, ok, (Date.now() - t) / 1000, await p.evaluate(() => document.querySelector('[data-testid="map-tooltip"]')?.textContent));
  if (ok) { await p.mouse.click(xy.x, xy.y); break; }
}
for (let k = 0; k < 6; k++) {
  await p.waitForTimeout(5000);
  console.log('card', (Date.now() - t) / 1000, await p.evaluate(() => document.querySelector('[data-testid="detail-card"]')?.outerHTML.slice(0, 1500)));
}
await p.screenshot({ path: '/tmp/shot-3.png', timeout: 150_000 });
} finally { await b.close(); }
