// Emergency resources of the demo district: ~25 shelters in schools and parks, 6 supply depots,
// 8 rescue teams, 4 fire stations, 8 hospitals and health centers. Every one is placed inside a grid
// of its township (a grid drawn by residents), never at fixed coordinates, so the layer follows
// whatever outline the townships have (synthetic or a center's real one).

import type { EmergencyResource, StockItem, TeamSpecialty } from '../../core/resources.ts';
import { stream, type Rng } from '../../core/random.ts';
import { shortName } from './admin.ts';
import { allocate } from './allocate.ts';
import type { GridLayout } from './grids.ts';
import { DISTRICT_NAME, type AdminUnits } from './types.ts';

export const RESOURCE_TARGETS = { shelter: 25, depot: 6, team: 8, fire: 4, hospital: 8 } as const;

const SEAT = '340803007'; // 花亭路街道: the district's seat (the district linkage center)

interface Spot {
  lon: number;
  lat: number;
  townshipCode: string;
  communityName: string;
  address: string;
}

/** Stem of a community's name for a school or park: 马山社区 → 马山, 海口村 → 海口. */
const stem = (communityName: string) => communityName.replace(/(社区|村)$/, '');

export function generateResources(seed: number, admin: AdminUnits, grid: GridLayout): EmergencyResource[] {
  const rng = stream(seed, 'resources');
  const { gridRecs, gridResidents, gridTownship, pointInGrid } = grid;
  const townshipName = new Map(admin.townships.map((t) => [t.code, t.name]));
  const gridsOf = new Map(admin.townships.map((t) => [t.code, [] as number[]]));
  gridTownship.forEach((code, gi) => gridsOf.get(code)?.push(gi));
  const townships = admin.townships.filter((t) => (gridsOf.get(t.code)?.length ?? 0) > 0);
  const at = (code: string) => (gridsOf.get(code)?.length ? code : townships[0].code);

  /** A point in one of the township's grids, drawn by residents (people live near what serves them). */
  const spotIn = (code: string, avoid: Set<number> = new Set()): Spot => {
    const grids = gridsOf.get(at(code))!;
    const free = grids.filter((g) => !avoid.has(gridRecs[g].communityIdx));
    const pool = free.length ? free : grids;
    const gi = pool[rng.weighted(pool.map((g) => gridResidents[g] + 1))];
    avoid.add(gridRecs[gi].communityIdx);
    const [lon, lat] = pointInGrid(gi, rng);
    const community = admin.communities[gridRecs[gi].communityIdx];
    const communityName = shortName(community.name);
    return { lon, lat, townshipCode: gridTownship[gi], communityName, address: townshipName.get(gridTownship[gi]) + communityName };
  };
  const phones = dutyPhones(RESOURCE_TARGETS.shelter + RESOURCE_TARGETS.depot + RESOURCE_TARGETS.team + RESOURCE_TARGETS.fire + RESOURCE_TARGETS.hospital, rng);
  const serial = (n: number) => String(n).padStart(3, '0');
  const place = (s: Spot) => ({ lon: s.lon, lat: s.lat, townshipCode: s.townshipCode, address: s.address, phone: phones.pop()! });

  // --- shelters: in proportion to residents, at least one per township, one per community at most
  const residentsOf = townships.map((t) => gridsOf.get(t.code)!.reduce((s, g) => s + gridResidents[g], 0));
  const perTownship = allocate(RESOURCE_TARGETS.shelter, residentsOf, 1);
  const out: EmergencyResource[] = [];
  townships.forEach((t, ti) => {
    const used = new Set<number>();
    for (let k = 0; k < perTownship[ti]; k++) {
      const s = spotIn(t.code, used);
      const site = rng.pick(t.kind === 'street' ? SHELTER_SITES_URBAN : SHELTER_SITES_RURAL);
      const capacity = Math.round(rng.range(site.min, site.max) / 50) * 50;
      out.push({ id: 'SH-' + serial(out.length + 1), kind: 'shelter', name: `${stem(s.communityName)}${site.suffix}应急避难场所`, ...place(s), capacity, areaM2: Math.round((capacity * rng.range(1.5, 2.5)) / 10) * 10 });
    }
  });

  // --- supply depots: the district's store at its seat, then the riverside and rural townships'
  DEPOT_TOWNSHIPS.forEach((code, k) => {
    const s = spotIn(code);
    const name = k === 0 ? `${DISTRICT_NAME}应急物资储备库` : `${townshipName.get(at(code))}应急物资储备点`;
    out.push({ id: 'DP-' + serial(k + 1), kind: 'depot', name, ...place(s), stock: stockFor(k === 0 ? 3 : 1, rng) });
  });

  // --- rescue teams
  TEAMS.forEach((team, k) => {
    const s = spotIn(team.township);
    out.push({
      id: 'RT-' + serial(k + 1), kind: 'team', name: team.name, ...place(s),
      members: Math.round(rng.range(team.members[0], team.members[1])), specialty: team.specialty, equipment: team.equipment,
    });
  });

  // --- fire stations
  FIRE_STATIONS.forEach((f, k) => {
    const s = spotIn(f.township);
    out.push({ id: 'FS-' + serial(k + 1), kind: 'fire', name: f.name, ...place(s), members: Math.round(rng.range(24, 46)), specialty: 'fire', equipment: f.equipment });
  });

  // --- hospitals and health centers
  HOSPITALS.forEach((h, k) => {
    const s = spotIn(h.township);
    const name = h.name ?? `${townshipName.get(at(h.township))}${h.suffix}`;
    out.push({ id: 'HO-' + serial(k + 1), kind: 'hospital', name, ...place(s), beds: Math.round(rng.range(h.beds[0], h.beds[1]) / 10) * 10 });
  });
  return out;
}

const SHELTER_SITES_URBAN = [
  { suffix: '小学', min: 800, max: 2200 },
  { suffix: '中学', min: 1500, max: 3500 },
  { suffix: '公园', min: 2500, max: 8000 },
  { suffix: '文化广场', min: 1000, max: 3000 },
  { suffix: '体育馆', min: 1200, max: 3000 },
];
const SHELTER_SITES_RURAL = [
  { suffix: '小学', min: 500, max: 1500 },
  { suffix: '村民文化广场', min: 400, max: 1200 },
  { suffix: '中学', min: 1000, max: 2500 },
];

const DEPOT_TOWNSHIPS = [SEAT, '340803100', '340803200', '340803201', '340803006', '340803001'];

const STOCK: Array<{ item: string; unit: string; base: [number, number] }> = [
  { item: '帐篷', unit: '顶', base: [60, 200] },
  { item: '折叠床', unit: '张', base: [150, 500] },
  { item: '棉被', unit: '床', base: [300, 1000] },
  { item: '救生衣', unit: '件', base: [100, 400] },
  { item: '冲锋舟', unit: '艘', base: [2, 6] },
  { item: '发电机', unit: '台', base: [4, 12] },
  { item: '编织袋', unit: '条', base: [5000, 20000] },
  { item: '矿泉水', unit: '箱', base: [200, 800] },
  { item: '方便食品', unit: '箱', base: [150, 600] },
  { item: '应急照明灯', unit: '个', base: [50, 200] },
];
function stockFor(scale: number, rng: Rng): StockItem[] {
  return STOCK.map((s) => ({ item: s.item, unit: s.unit, quantity: Math.round(rng.range(s.base[0], s.base[1]) * scale) }));
}

const TEAMS: Array<{ name: string; specialty: TeamSpecialty; township: string; members: [number, number]; equipment: string[] }> = [
  { name: `${DISTRICT_NAME}综合应急救援队`, specialty: 'general', township: SEAT, members: [40, 60], equipment: ['破拆工具组', '生命探测仪', '照明车', '应急通信车'] },
  { name: `${DISTRICT_NAME}水上救援队`, specialty: 'water', township: '340803002', members: [20, 32], equipment: ['冲锋舟', '救生抛投器', '潜水装具', '救生衣'] },
  { name: `${DISTRICT_NAME}防汛抢险队`, specialty: 'flood', township: '340803100', members: [50, 80], equipment: ['编织袋', '移动泵车', '铁锹', '照明灯组'] },
  { name: '供电公司大观电力抢修队', specialty: 'power', township: '340803005', members: [18, 30], equipment: ['发电车', '绝缘斗臂车', '抢修工具车'] },
  { name: '燃气公司大观抢修队', specialty: 'gas', township: '340803006', members: [12, 20], equipment: ['燃气检测仪', '堵漏工具', '防爆工具组'] },
  { name: `${DISTRICT_NAME}医疗应急救援队`, specialty: 'medical', township: '340803003', members: [15, 25], equipment: ['救护车', '急救箱', '便携除颤仪'] },
  { name: `${DISTRICT_NAME}市政设施抢修队`, specialty: 'municipal', township: '340803004', members: [20, 35], equipment: ['高压清淤车', '挖掘机', '井盖抢修组'] },
  { name: '大观蓝天救援队', specialty: 'general', township: '340803200', members: [25, 40], equipment: ['无人机', '绳索救援装备', '救生衣'] },
];

const FIRE_STATIONS: Array<{ name: string; township: string; equipment: string[] }> = [
  { name: `${DISTRICT_NAME}消防救援大队特勤站`, township: SEAT, equipment: ['水罐消防车', '举高喷射消防车', '抢险救援车'] },
  { name: '德宽路消防救援站', township: '340803001', equipment: ['水罐消防车', '泡沫消防车'] },
  { name: '集贤路消防救援站', township: '340803005', equipment: ['水罐消防车', '登高平台车'] },
  { name: '海口消防救援站', township: '340803100', equipment: ['水罐消防车', '抢险救援车', '冲锋舟'] },
];

const HOSPITALS: Array<{ name?: string; suffix?: string; township: string; beds: [number, number] }> = [
  { name: `${DISTRICT_NAME}人民医院`, township: SEAT, beds: [400, 600] },
  { name: `${DISTRICT_NAME}中医医院`, township: '340803003', beds: [200, 320] },
  { name: `${DISTRICT_NAME}妇幼保健院`, township: '340803004', beds: [80, 150] },
  { suffix: '卫生院', township: '340803100', beds: [40, 80] },
  { suffix: '卫生院', township: '340803200', beds: [30, 60] },
  { suffix: '卫生院', township: '340803201', beds: [20, 50] },
  { suffix: '社区卫生服务中心', township: '340803006', beds: [20, 40] },
  { suffix: '社区卫生服务中心', township: '340803002', beds: [20, 40] },
];

/** Distinct Anqing landlines (0556-55xxxxx): the duty desks' numbers. */
function dutyPhones(n: number, rng: Rng): string[] {
  const seen = new Set<string>();
  while (seen.size < n) seen.add('0556-55' + String(rng.int(100_000)).padStart(5, '0'));
  return [...seen].reverse();
}
