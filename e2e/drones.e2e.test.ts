// Browser test of drone missions (issue 4), on the shared stack (the simulator
// flies the drones at --speed 60 and takes missions over MQTT) and a page of its own:
// a dispatcher picks a point out of range and sees the server's reason, then a point near the base,
// sends a drone, watches it fly there and circle, recalls it and sees it land.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import type { DroneView } from '../core/drones.ts';
import { SHOTS_4K, VIEWPORTS, mapIdle } from './screenshot.ts';
import { closeFloating, useDashboard } from './support.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');

type Win = { __linkage: { store: { drones: Map<string, DroneView>; moving: { drone: { lonlat: Float64Array } }; session: { actor: { role: string } } | null; seq: number } }; __linkageMap: { project(ll: [number, number]): { x: number; y: number } } };

const drones = (page: Page) => page.evaluate(() => [...(window as unknown as Win).__linkage.store.drones.values()]);

function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const kx = 111_320 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot((a.lon - b.lon) * kx, (a.lat - b.lat) * 111_320);
}

/**
 * Submits the dispatch form and returns the error shown, or null when the form closed (sent). A
 * command that got no answer in 10 s (a page stalled on a loaded machine, a socket reconnecting)
 * is submitted again, as an operator would.
 */
async function submitDispatch(page: Page): Promise<string | null> {
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.click('[data-testid="drone-submit"]');
    await page.waitForFunction(
      () => {
        const form = document.querySelector('[data-testid="drone-form"]');
        const submit = form?.querySelector('[data-testid="drone-submit"]') as HTMLButtonElement | null;
        return !form || (!submit?.disabled && !!form.querySelector('[data-testid="ack-error"]'));
      },
      null,
      { timeout: 120_000 },
    );
    const error = await page.locator('[data-testid="drone-form"] [data-testid="ack-error"]').textContent({ timeout: 1000 }).catch(() => null);
    if (!error?.startsWith('UNAVAILABLE')) return error;
  }
  return 'UNAVAILABLE after 4 attempts';
}

/** Polls the store until `check` holds for the drone; returns its view then. */
async function waitDrone(page: Page, id: string, check: (d: DroneView) => boolean, what: string, timeoutMs = 60_000): Promise<DroneView> {
  return vi.waitFor(
    async () => {
      const last = (await drones(page)).find((d) => d.id === id);
      if (last && check(last)) return last;
      throw new Error(`${id}: ${what} not reached in ${timeoutMs / 1000} s; last ${JSON.stringify({ phase: last?.mission?.phase, lon: last?.lon, lat: last?.lat, alt: last?.alt, battery: last?.battery })}`);
    },
    { timeout: timeoutMs, interval: 250 },
  );
}

const get = useDashboard();

describe('drones', () => {
  it('sends a drone to a point picked on the map (a point out of range is refused with the reason); it flies there, orbits, is recalled and lands', async () => {
    const { page, url } = get();
    // The district's box, from the dataset the stack serves.
    const bbox = ((await (await fetch(`${url}/data/manifest.json`)).json()) as { district: { bbox: [number, number, number, number] } }).district.bbox;
    // Four helpers share two cores here: a software-WebGL page can stall for many seconds per click.
    page.setDefaultTimeout(120_000);
    await closeFloating(page);
    await page.selectOption('[data-testid="identity-select"]', 'dispatcher');
    await page.waitForFunction(() => (window as unknown as Win).__linkage.store.session?.actor.role === 'dispatcher', null, { timeout: 120_000 });
    await page.click('[data-testid="tab-drones"]');
    await page.waitForSelector('[data-testid="drone-panel"]');

    await page.waitForFunction(() => [...(window as unknown as Win).__linkage.store.drones.values()].some((d) => d.status === 'online'), null, { timeout: 120_000 });
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const pixel = (ll: [number, number]) => page.evaluate((p) => (window as unknown as Win).__linkageMap.project(p), ll);
    /** For each point: its pixel in the map, and whether the map canvas is what shows there (not a panel over it). One evaluate for all: a loaded page answers each slowly. */
    const visible = (points: [number, number][]) =>
      page.evaluate(
        ({ points, left, top }) =>
          points.map((ll) => {
            const p = (window as unknown as Win).__linkageMap.project(ll);
            const el = document.elementFromPoint(left + p.x, top + p.y);
            return { x: p.x, y: p.y, canvas: el?.tagName === 'CANVAS', what: el ? `${el.tagName}.${String(el.className)}` : 'off-screen' };
          }),
        { points, left: box.x, top: box.y },
      );
    const pickedText = (timeout = 90_000) => page.waitForFunction(() => /\d+\.\d{5}, \d+\.\d{5}/.test(document.querySelector('[data-testid="drone-target"]')?.textContent ?? ''), null, { timeout });

    // 派遣无人机 → the map waits for a click. First a point too far from a base: refused, with the
    // server's reason on screen (range is checked before battery), and nothing is sent.
    const first = (await drones(page)).find((d) => d.status === 'online')!;
    await page.click('[data-testid="drone-dispatch-open"]');
    await page.waitForSelector('[data-testid="drone-form"]');
    await expect(page.textContent('[data-testid="drone-target"]')).resolves.toContain('请在地图上点击');
    // A point of the district 10.5+ km from that base that the map shows uncovered (the form, the
    // layer panel and alarm pop-ups float over parts of it): a grid over the district's box, pulled
    // a little inside, farthest first.
    const inset = [(bbox[2] - bbox[0]) * 0.03, (bbox[3] - bbox[1]) * 0.03];
    const [w, s, e, n] = [bbox[0] + inset[0], bbox[1] + inset[1], bbox[2] - inset[0], bbox[3] - inset[1]];
    const grid: [number, number][] = [];
    for (let lon = w; lon <= e + 1e-9; lon += (e - w) / 8) for (let lat = s; lat <= n + 1e-9; lat += (n - s) / 6) grid.push([lon, lat]);
    const far = grid.filter((c) => metres({ lon: c[0], lat: c[1] }, first.base) >= 10_500).sort((a, b) => metres({ lon: b[0], lat: b[1] }, first.base) - metres({ lon: a[0], lat: a[1] }, first.base));
    // The view may still be settling after the identity switch (a refit to the district): fix it,
    // then check the point the click really picked before sending, and pick again if the map moved.
    const picked = async () => (await page.textContent('[data-testid="drone-target"]'))!.split(',').map((x) => Number(x.trim())) as [number, number];
    let farOk = false;
    let seen: Awaited<ReturnType<typeof visible>> = [];
    const unpicked: string[] = [];
    for (let attempt = 0; attempt < 3 && !farOk; attempt++) {
      await page.evaluate((b) => (window as unknown as { __linkageMap: { fitBounds(b: [[number, number], [number, number]], o: object): void } }).__linkageMap.fitBounds([[b[0], b[1]], [b[2], b[3]]], { animate: false }), bbox);
      await mapIdle(page);
      seen = await visible(far);
      const farPx = seen.find((v) => v.canvas);
      if (!farPx) continue;
      // Picking again, unless the map still waits for the click (the button toggles).
      if (attempt > 0 && (await page.getAttribute('[data-testid="drone-pick"]', 'class')) !== 'on') await page.click('[data-testid="drone-pick"]');
      await page.mouse.click(box.x + farPx.x, box.y + farPx.y);
      // A click a starved page lost (seen once in ~12 runs: no point picked in 120 s) is made again.
      if (!(await pickedText(40_000).then(() => true, () => false))) {
        unpicked.push(`click ${attempt + 1} at ${farPx.x.toFixed(0)},${farPx.y.toFixed(0)} picked nothing: ${await page.textContent('[data-testid="drone-target"]')}`);
        continue;
      }
      const [lon, lat] = await picked();
      farOk = metres({ lon, lat }, first.base) >= 10_200;
    }
    expect(farOk, `a visible point out of range picked (${far.length} far points; there: ${seen.map((v) => `${v.x.toFixed(0)},${v.y.toFixed(0)} ${v.what}`).join(' | ')}; ${unpicked.join('; ')})`).toBe(true);
    await page.selectOption('[data-testid="drone-select"]', first.id);
    const text = (await submitDispatch(page)) ?? '';
    const after = (await drones(page)).find((d) => d.id === first.id);
    const formOpen = await page.locator('[data-testid="drone-form"]').count();
    expect(text, `the answer (form ${formOpen ? 'open' : 'closed'}; ${first.id} now ${JSON.stringify({ status: after?.status, mission: after?.mission && { phase: after.mission.phase, target: after.mission.target } })}; picked ${formOpen ? (await picked()).join(',') : '?'})`).toContain('REFUSED');
    expect(text).toMatch(/超出 10\.0 公里的作业半径/);
    expect((await drones(page)).find((d) => d.id === first.id)?.mission?.note).not.toBe('E2E 现场查看');

    // Then the real mission, with the drone that has the most battery now and no mission (patrols
    // are pre-empted). 10 simulated minutes on station need ~50% with the reserve: at --speed 60 a
    // patrol drains it fast, so wait for the dock to recharge it if needed, right before sending.
    const free = (await drones(page)).filter((d) => d.status === 'online' && !(d.mission && d.mission.endedAt === null)).sort((a, b) => b.battery - a.battery);
    expect(free.length, 'an online drone without a mission').toBeGreaterThan(0);
    let drone = free[0];
    if (drone.battery < 65) drone = await waitDrone(page, drone.id, (d) => d.battery >= 65 && d.alt === 0, 'recharged', 240_000);
    // ~1.2 km from its base (a few simulated minutes, a few wall seconds at speed 60), where the map is not under a panel.
    const near: [number, number][] = [[0.009, 0.007], [0.012, 0], [0.009, -0.007], [0, 0.01], [0, -0.01]].map(([dx, dy]) => [drone.base.lon + dx, drone.base.lat + dy]);
    // The district is ~30 km across and its core sits at the east edge of the district view, where
    // panels float: look at the base, as an operator would before picking a point beside it.
    await page.evaluate((b) => (window as unknown as { __linkageMap: { jumpTo(o: object): void } }).__linkageMap.jumpTo({ center: [b.lon, b.lat], zoom: 13 }), drone.base);
    await mapIdle(page);
    const nearSeen = await visible(near);
    const k = Math.max(0, nearSeen.findIndex((v) => v.canvas));
    const target = { lon: near[k][0], lat: near[k][1] };
    await page.click('[data-testid="drone-pick"]');
    const px = await pixel([target.lon, target.lat]);
    await page.mouse.click(box.x + px.x, box.y + px.y);
    await page
      // The form shows the picked point to 5 decimals: wait for one within ~100 m of the target (a
      // text prefix of target.lon.toFixed(2) misses 117.01667 for 117.016731).
      .waitForFunction((t) => {
        const [lon, lat] = (document.querySelector('[data-testid="drone-target"]')?.textContent ?? '').split(',').map((x) => Number(x.trim()));
        return Math.abs(lon - t.lon) < 0.001 && Math.abs(lat - t.lat) < 0.001;
      }, target)
      .catch(async (e: Error) => {
        throw new Error(`${e.message}: clicked ${JSON.stringify(target)} of ${JSON.stringify(nearSeen)} (base ${JSON.stringify(drone.base)}); the form says '${await page.textContent('[data-testid="drone-target"]')}'`);
      });
    const [pickedLon, pickedLat] = (await page.textContent('[data-testid="drone-target"]'))!.split(',').map((x) => Number(x.trim()));
    expect(metres({ lon: pickedLon, lat: pickedLat }, target)).toBeLessThan(60);
    await page.selectOption('[data-testid="drone-select"]', drone.id);
    await page.click('[data-testid="drone-action-orbit"]');
    await page.selectOption('[data-testid="drone-loiter"]', '600');
    await page.fill('[data-testid="drone-note"]', 'E2E 现场查看');
    // A patrol at speed 60 can drain the battery between the choice and the click: as an operator
    // would, wait for the dock to recharge it and send again.
    let answer = await submitDispatch(page);
    for (let i = 0; i < 2 && answer?.includes('电量不足'); i++) {
      await waitDrone(page, drone.id, (d) => d.battery >= 65 && d.alt === 0, 'recharged', 240_000);
      answer = await submitDispatch(page);
    }
    expect(answer, 'the dispatch was answered with an error').toBeNull();

    // The mission reaches the drone over MQTT; it takes off, flies to the target and circles it.
    const sent = await waitDrone(page, drone.id, (d) => d.mission !== null && d.mission.note === 'E2E 现场查看', 'mission in the store', 60_000);
    const missionId = sent.mission!.id;
    await waitDrone(page, drone.id, (d) => d.mission?.id === missionId && ['takeoff', 'enroute', 'on-station'].includes(d.mission.phase), 'take-off', 120_000);
    // On station at the target: the phase comes with the drone's state at once, its position with the
    // map's moves (throttled), which on a loaded machine were a wall second (~600 m at speed 60) behind.
    const there = await waitDrone(page, drone.id, (d) => d.mission?.id === missionId && d.mission.phase === 'on-station' && metres(d, target) < 250, 'on station at the target', 180_000);
    // 召回 at once: 10 simulated minutes on station are 10 wall seconds at speed 60. (On a machine this
    // loaded they may run out before the recall reaches the drone: then it is on its way home by itself.)
    const phaseNow = async () => (await drones(page)).find((d) => d.id === drone.id)?.mission?.phase;
    let recallable = (await phaseNow()) === 'on-station';
    if (recallable) {
      await page.click(`[data-testid="drone-recall-${drone.id}"]`, { timeout: 10_000 }).catch(async (e: unknown) => {
        // The button goes once the drone heads home; only then is a missed click no failure.
        if ((await phaseNow()) === 'on-station') throw e;
        recallable = false;
      });
    }
    expect(metres(there, target)).toBeLessThan(250);
    expect(await page.getAttribute(`[data-testid="drone-${drone.id}"]`, 'data-mission')).toBe(missionId);
    await waitDrone(page, drone.id, (d) => ['returning', 'landing', 'docked'].includes(d.mission?.phase ?? ''), 'returning', 120_000);

    // Screenshot on its way home (the panel, the drone and its track on the map); 4K with LINKAGE_SHOTS_4K=1.
    mkdirSync(shots, { recursive: true });
    for (const v of SHOTS_4K ? VIEWPORTS.slice(0, 2) : VIEWPORTS.slice(0, 1)) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await mapIdle(page);
      await page.screenshot({ path: path.join(shots, `e2e-drones-${v.name}.png`) });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    const back = await waitDrone(page, drone.id, (d) => d.mission?.phase === 'docked', 'docked', 240_000);
    // A drone on patrol goes straight to enroute (no take-off).
    const steps = back.mission!.history;
    expect(steps.map((h) => h.phase).filter((p) => p !== 'takeoff')).toEqual(['pending', 'enroute', 'on-station', 'returning', 'landing', 'docked']);
    if (recallable) {
      expect(back.mission!.recalledBy?.name, 'the recall is logged with who gave it').toBeTruthy();
      // Home because of the recall, or because the 10 minutes on station really ran out first.
      const onStationMs = steps.find((h) => h.phase === 'returning')!.at - steps.find((h) => h.phase === 'on-station')!.at;
      if (back.mission!.reason !== '调度员召回') expect(onStationMs, `went home without the recall's reason (${back.mission!.reason}) before its time on station was up`).toBeGreaterThanOrEqual((600 * 1000) / 60 - 1500);
    }
    await page.waitForSelector(`[data-testid="drone-log-${drone.id}"] li:has-text("已返回机场")`, { timeout: 60_000 });
    page.setDefaultTimeout(90_000);
  }, 900_000);
});
