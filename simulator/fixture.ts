// A tiny hand-made district for unit tests: 2x2 square grids near the real centre of Daguan.
import type { CameraDevice, DroneDevice, GridProps, GridWorker } from '../core/dataset.ts';
import { areaOf, type Pt } from './geo.ts';
import type { SimDataset } from './dataset.ts';
import type { TickContext } from './types.ts';

const LON0 = 117.02, LAT0 = 30.51, STEP = 0.01; // ~1 km squares

function square(col: number, row: number): Pt[] {
  const w = LON0 + col * STEP, s = LAT0 + row * STEP;
  return [[w, s], [w + STEP, s], [w + STEP, s + STEP], [w, s + STEP], [w, s]];
}

export function tinyDataset(opts: { cameras?: number; components?: number; sensorEvery?: number } = {}): SimDataset {
  const grids = [0, 1, 2, 3].map((i) => {
    const col = i % 2, row = Math.floor(i / 2);
    const props: GridProps = {
      index: i, code: `3408030010020${String(i + 1).padStart(2, '0')}`, name: `马山社区第${i + 1}网格`,
      communityCode: i < 2 ? '340803001002' : '340803001003', townshipCode: '340803001', households: 300, residents: 600 + i * 100, workerId: `W-${i}`,
    };
    return { props, area: areaOf([[square(col, row)]]) };
  });
  const nCam = opts.cameras ?? 20;
  const camera: CameraDevice[] = Array.from({ length: nCam }, (_, i) => ({
    id: `CAM-${i}`, name: `摄像机${i}`, lon: LON0 + 0.001 + (i % 10) * 0.0015, lat: LAT0 + 0.001 + Math.floor(i / 10) * 0.0015,
    gridIndex: 0, townshipCode: '340803001', ai: i % 2 === 0,
  }));
  const drone: DroneDevice[] = [{
    id: 'UAV-1', name: '无人机1', lon: LON0, lat: LAT0, gridIndex: 0, townshipCode: '340803001', base: 'LC-340803',
    patrol: [[LON0 + 0.015, LAT0 + 0.005], [LON0 + 0.015, LAT0 + 0.015], [LON0 + 0.005, LAT0 + 0.015]], maxFlightMin: 40,
  }];
  const worker: GridWorker[] = [
    ...grids.map((g, i) => ({ id: `W-${i}`, name: `网格员${i}`, lon: g.area.center[0], lat: g.area.center[1], gridIndex: i, townshipCode: '340803001', role: 'worker' as const, communityCode: g.props.communityCode, phone: `1390000${String(i).padStart(4, '0')}` })),
    { id: 'L-0', name: '网格长0', lon: LON0 + 0.01, lat: LAT0 + 0.005, gridIndex: -1, townshipCode: '340803001', role: 'leader', communityCode: '340803001002', phone: '13900009999' },
  ];
  const nComp = opts.components ?? 1000;
  const classes = ['0101', '0103', '0117', '0302', '0108'];
  const sensorEvery = opts.sensorEvery ?? 10;
  const components = {
    count: nComp,
    code: Array.from({ length: nComp }, (_, i) => `340803${classes[i % 5]}${String(i).padStart(6, '0')}`),
    classCode: Array.from({ length: nComp }, (_, i) => classes[i % 5]),
    lon: Array.from({ length: nComp }, (_, i) => LON0 + ((i * 7919) % 2000) / 100_000),
    lat: Array.from({ length: nComp }, (_, i) => LAT0 + ((i * 104729) % 2000) / 100_000),
    gridIndex: Array.from({ length: nComp }, (_, i) => i % 4),
    sensorized: Array.from({ length: nComp }, (_, i) => i).filter((i) => i % sensorEvery === 0 && classes[i % 5] !== '0302'),
  };
  return {
    manifest: {
      district: { code: '340803', name: '大观区', center: [117.03, 30.52], bbox: [117.0, 30.48, 117.08, 30.56] },
      townships: [{ code: '340803001', name: '德宽路街道', kind: 'street', center: [117.03, 30.52] }],
      communities: [
        { code: '340803001002', name: '马山社区', townshipCode: '340803001', kind: 'community', center: [117.025, 30.515] },
        { code: '340803001003', name: '龙山社区', townshipCode: '340803001', kind: 'community', center: [117.025, 30.525] },
      ],
    },
    devices: { camera, lookout: [], drone, broadcast: [], worker },
    components,
    grids,
  };
}

/** A fake clock that steps wall and simulated time together. */
export class FakeClock {
  now: number;
  sim: number;
  constructor(start = Date.UTC(2026, 10, 23, 0, 0, 0), readonly speed = 1) {
    this.now = start;
    this.sim = start;
  }
  step(dtWallS: number): TickContext {
    this.now += dtWallS * 1000;
    this.sim += dtWallS * 1000 * this.speed;
    return this.ctx(dtWallS);
  }
  ctx(dtWallS = 0): TickContext {
    return { now: this.now, sim: this.sim, dtWall: dtWallS, dtSim: dtWallS * this.speed, speed: this.speed };
  }
}
