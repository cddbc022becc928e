// Device placement: grid workers and leaders, cameras, high lookouts, drones and emergency
// broadcast points. Each kind draws from its own PRNG stream and is placed inside grids (so every
// device has a gridIndex), denser where more households live.

import type { BroadcastPoint, CameraDevice, DevicesFile, DroneDevice, GridWorker, LonLat, LookoutDevice } from '../../core/dataset.ts';
import { pointInPolygon } from '../../core/geo.ts';
import type { Units } from './boundaries.ts';
import { bearing, kmToLL, mpCentroid, toKm, toLonLat } from './geometry.ts';
import { alongBank, bankDist, bankLength, riverPointNear, TOWNSHIP_SEATS } from './geography.ts';
import type { GridLayout } from './grids.ts';
import { personNames, ROADS, SIDES } from './names.ts';
import { stream, type Rng } from '../../core/random.ts';
import { allocate } from './allocate.ts';
import { TARGETS, type AdminUnits, type Pair } from './types.ts';

/** What device placement needs from the earlier steps. */
export interface DeviceContext {
  seed: number;
  admin: AdminUnits;
  units: Units;
  grid: GridLayout;
  /** Where the district linkage center stands (the city drone's base). */
  districtSeat: LonLat;
}

export function placeDevices(ctx: DeviceContext): DevicesFile {
  const worker = placeWorkers(ctx);
  return { camera: placeCameras(ctx), lookout: placeLookouts(ctx), drone: placeDrones(ctx), broadcast: placeBroadcast(ctx), worker };
}

/** One grid worker per grid (GW-0001 works grid 0, …), then the community leaders. */
function placeWorkers({ seed, admin, grid: { gridRecs, commGridIdx, pointInGrid } }: DeviceContext): GridWorker[] {
  const wrng = stream(seed, 'workers');
  const names = personNames(TARGETS.grids + TARGETS.leaders, wrng);
  // A stream of its own, so adding phones moved no one's name or position.
  const phones = mobileNumbers(TARGETS.grids + TARGETS.leaders, stream(seed, 'phones'));
  const workers: GridWorker[] = gridRecs.map((g, gi) => {
    const [lon, lat] = pointInGrid(gi, wrng);
    const c = admin.communities[g.communityIdx];
    return { id: 'GW-' + String(gi + 1).padStart(4, '0'), name: names[gi], lon, lat, gridIndex: gi, townshipCode: c.townshipCode, role: 'worker', communityCode: c.code, phone: phones[gi] };
  });
  const leaderComms = admin.communities
    .map((c, ci) => ({ ci, n: commGridIdx[ci].length, code: c.code }))
    .sort((a, b) => b.n - a.n || a.code.localeCompare(b.code))
    .slice(0, Math.min(TARGETS.leaders, admin.communities.length))
    .sort((a, b) => a.code.localeCompare(b.code));
  while (leaderComms.length < TARGETS.leaders) leaderComms.push(leaderComms[leaderComms.length % admin.communities.length]);
  leaderComms.forEach(({ ci }, k) => {
    const gi = wrng.pick(commGridIdx[ci]);
    const [lon, lat] = pointInGrid(gi, wrng);
    const c = admin.communities[ci];
    workers.push({ id: 'GL-' + String(k + 1).padStart(2, '0'), name: names[TARGETS.grids + k], lon, lat, gridIndex: gi, townshipCode: c.townshipCode, role: 'leader', communityCode: c.code, phone: phones[TARGETS.grids + k] });
  });
  return workers;
}

/** Distinct 11-digit mainland mobile numbers (the carriers' 13x/15x/18x/17x prefixes). */
export function mobileNumbers(n: number, rng: Rng): string[] {
  const prefixes = ['133', '135', '136', '138', '139', '150', '151', '152', '153', '155', '158', '177', '180', '181', '186', '187', '189'];
  const seen = new Set<string>();
  while (seen.size < n) seen.add(rng.pick(prefixes) + String(rng.int(100_000_000)).padStart(8, '0'));
  return [...seen];
}

function placeCameras({ seed, admin, grid: { gridRecs, gridUrban, pointInGrid } }: DeviceContext): CameraDevice[] {
  const camRng = stream(seed, 'cameras');
  const camPerGrid = allocate(TARGETS.camera, gridRecs.map((g, gi) => g.households * (gridUrban[gi] ? 1.6 : 0.6)));
  const camera: CameraDevice[] = [];
  const usedNames = new Set<string>();
  const commCamCount = new Array<number>(admin.communities.length).fill(0);
  camPerGrid.forEach((n, gi) => {
    const c = admin.communities[gridRecs[gi].communityIdx];
    for (let k = 0; k < n; k++) {
      const [lon, lat] = pointInGrid(gi, camRng);
      let name = '';
      const roads = ROADS[c.townshipCode];
      if (roads && camRng.next() < 0.12) {
        const a = camRng.int(roads.length);
        let b = camRng.int(roads.length - 1);
        if (b >= a) b++;
        for (const side of SIDES) {
          const cand = `${roads[a]}与${roads[b]}路口${side}`;
          if (!usedNames.has(cand)) {
            name = cand;
            break;
          }
        }
      }
      if (!name) name = `${c.name}-${++commCamCount[gridRecs[gi].communityIdx]}号摄像机`;
      usedNames.add(name);
      camera.push({ id: '', name, lon, lat, gridIndex: gi, townshipCode: c.townshipCode, ai: false });
    }
  });
  camera.forEach((d, i) => (d.id = 'CAM-' + String(i + 1).padStart(5, '0')));
  const aiIdx = camRng.shuffle(camera.map((_, i) => i)).slice(0, Math.round(TARGETS.camera * TARGETS.cameraAiShare));
  for (const i of aiIdx) camera[i].ai = true;
  return camera;
}

/** Lookouts on high points and tall buildings. */
function placeLookouts({ seed, admin, units, grid: { gridRecs, commGridIdx, pointInGrid } }: DeviceContext): LookoutDevice[] {
  const lrng = stream(seed, 'lookouts');
  const commIdxByCode = new Map(admin.communities.map((c, i) => [c.code, i]));
  const districtCentroidKm = mpCentroid(units.district);
  const LOOKOUTS: Array<{ community: string; name: string; fov: number; rangeM: number; heightM: number; aim: 'river' | 'inland' }> = [
    { community: '340803001004', name: '大观亭高空瞭望', fov: 90, rangeM: 5000, heightM: 96, aim: 'river' },
    { community: '340803201201', name: '百子山高空瞭望', fov: 75, rangeM: 6000, heightM: 45, aim: 'inland' },
    { community: '340803004001', name: '菱湖高空瞭望', fov: 90, rangeM: 4000, heightM: 120, aim: 'inland' },
    { community: '340803005002', name: '集贤路高空瞭望', fov: 80, rangeM: 4500, heightM: 108, aim: 'inland' },
    { community: '340803100204', name: '海口江堤高空瞭望', fov: 100, rangeM: 6000, heightM: 60, aim: 'river' },
    { community: '340803200203', name: '凤凰山高空瞭望', fov: 75, rangeM: 5500, heightM: 50, aim: 'inland' },
  ];
  return LOOKOUTS.map((l, k) => {
    const ci = commIdxByCode.get(l.community) ?? k % admin.communities.length;
    const gs = commGridIdx[ci];
    // riverside lookouts stand on the grid of their community closest to the river bank
    const gi = l.aim === 'river' ? gs.reduce((best, g) => (bankDist(mpCentroid(gridRecs[g].km)) < bankDist(mpCentroid(gridRecs[best].km)) ? g : best), gs[0]) : lrng.pick(gs);
    const [lon, lat] = pointInGrid(gi, lrng);
    const pk = toKm(lon, lat);
    const target: Pair = l.aim === 'river' ? riverPointNear(pk, 0.8) : districtCentroidKm;
    return {
      id: 'LK-' + (k + 1),
      name: l.name,
      lon,
      lat,
      gridIndex: gi,
      townshipCode: admin.communities[ci].townshipCode,
      heading: bearing(pk, target),
      fov: l.fov,
      rangeM: l.rangeM,
      heightM: l.heightM,
    };
  });
}

/** Drones: one along the Yangtze embankment, one over the urban core. */
function placeDrones({ seed, units, districtSeat, grid: { gridRecs, gridTownship, locator, pointInGrid } }: DeviceContext): DroneDevice[] {
  const drng = stream(seed, 'drones');
  const inDistrict = (p: LonLat) => units.district.some((poly) => pointInPolygon(...toKm(p[0], p[1]), poly));
  // The embankment loop: the last 17 km of the district's bank (海口镇 to the city), 0.3 km inland
  // downstream and 1.2 km inland back.
  const bankKm = bankLength();
  const inland = (d: number, off: number): Pair => {
    const { p, inland: n } = alongBank(Math.max(0, bankKm - d));
    return [p[0] + n[0] * off, p[1] + n[1] * off];
  };
  const embankRoute: Pair[] = [...[17, 14.6, 12.2, 9.8, 7.4, 5, 2.6, 0.8].map((d) => inland(d, 0.3)), ...[4.4, 11.3].map((d) => inland(d, 1.2))];
  const coreC: Pair = TOWNSHIP_SEATS['340803007']; // around 花亭路, the core's middle
  const coreRoute: Pair[] = Array.from({ length: 8 }, (_, i) => {
    const a = (2 * Math.PI * i) / 8;
    const t = (20 * Math.PI) / 180;
    const x = Math.cos(a) * 2.2;
    const y = Math.sin(a) * 1.3;
    return [coreC[0] + x * Math.cos(t) - y * Math.sin(t), coreC[1] + x * Math.sin(t) + y * Math.cos(t)] as Pair;
  });
  const droneDefs = [
    { id: 'UAV-1', name: '江堤巡查无人机', base: '海口镇江堤无人机机场', baseKm: inland(12.8, 0.5), route: embankRoute, maxFlightMin: 45 },
    { id: 'UAV-2', name: '城区巡查无人机', base: '大观区智慧联动中心楼顶机场', baseKm: toKm(...districtSeat), route: coreRoute, maxFlightMin: 40 },
  ];
  return droneDefs.map((d) => {
    let [lon, lat] = toLonLat(...d.baseKm);
    let gi = locator.locate(lon, lat);
    if (gi < 0) {
      gi = locator.locate(...kmToLL(mpCentroid(units.district)));
      if (gi < 0) gi = 0;
      [lon, lat] = pointInGrid(gi, drng);
    }
    let patrol = d.route.map((p) => toLonLat(...p)).filter(inDistrict);
    if (patrol.length < 4) {
      // real boundaries elsewhere: a loop of grid points around the base
      const ring = Array.from({ length: 8 }, () => pointInGrid(drng.int(gridRecs.length), drng));
      const [bx, by] = [lon, lat];
      patrol = ring.sort((a, b) => Math.atan2(a[1] - by, a[0] - bx) - Math.atan2(b[1] - by, b[0] - bx));
    }
    patrol.push([patrol[0][0], patrol[0][1]]);
    return { id: d.id, name: d.name, lon, lat, gridIndex: gi, townshipCode: gridTownship[gi], base: d.base, patrol, maxFlightMin: d.maxFlightMin };
  });
}

/** Emergency broadcast points: one per grid, the rest mostly in villages. */
function placeBroadcast({ seed, admin, grid: { gridRecs, gridUrban, pointInGrid } }: DeviceContext): BroadcastPoint[] {
  const brng = stream(seed, 'broadcast');
  const extra = allocate(
    TARGETS.broadcast - gridRecs.length,
    gridRecs.map((g, gi) => (gridUrban[gi] ? 0.4 : admin.communities[g.communityIdx].kind === 'village' ? 5 : 2.5)),
  );
  const broadcast: BroadcastPoint[] = [];
  const commBcCount = new Array<number>(admin.communities.length).fill(0);
  gridRecs.forEach((g, gi) => {
    const c = admin.communities[g.communityIdx];
    for (let k = 0; k < 1 + extra[gi]; k++) {
      const [lon, lat] = pointInGrid(gi, brng);
      broadcast.push({
        id: 'BC-' + String(broadcast.length + 1).padStart(4, '0'),
        name: `${c.name}${++commBcCount[g.communityIdx]}号应急广播`,
        lon,
        lat,
        gridIndex: gi,
        townshipCode: c.townshipCode,
        speakers: gridUrban[gi] ? 2 + brng.int(3) : 3 + brng.int(6),
      });
    }
  });
  return broadcast;
}
