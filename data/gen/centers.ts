// Where things are: township and community centers (shown as labels and linkage-center markers)
// and the linkage centers themselves, one per district, township and community.

import type { CommunityInfo, LinkageCenter, LonLat, TownshipInfo } from '../../core/dataset.ts';
import type { Units } from './boundaries.ts';
import { kmToLL, mpCentroid, nearestInside } from './geometry.ts';
import { TOWNSHIP_SEATS } from './geography.ts';
import type { GridLayout } from './grids.ts';
import { stream } from '../../core/random.ts';
import { DEFAULT_BOUNDARY_SOURCE, DISTRICT_CODE, DISTRICT_NAME, type AdminUnits } from './types.ts';

export interface Centers {
  townships: TownshipInfo[];
  communities: CommunityInfo[];
  centers: LinkageCenter[];
  /** Center of 花亭路 street, where the district linkage center stands. */
  districtSeat: LonLat;
}

export function placeCenters(seed: number, admin: AdminUnits, units: Units, { gridRecs, commGridIdx, locator, inGrid, pointInGrid }: GridLayout): Centers {
  // --- centers: township seats, community centroids (moved into a grid when they fall outside)
  const crng = stream(seed, 'centers');
  const townshipCenter = new Map<string, LonLat>();
  for (const t of admin.townships) {
    const tp = units.townships.get(t.code)!;
    const seat = TOWNSHIP_SEATS[t.code];
    const p = units.source === DEFAULT_BOUNDARY_SOURCE ? nearestInside(tp, seat, crng) : nearestInside(tp, mpCentroid(tp), crng);
    townshipCenter.set(t.code, kmToLL(p));
  }
  const communityCenter = admin.communities.map((c, ci) => {
    const [cx, cy] = kmToLL(mpCentroid(units.communities.get(c.code)!));
    const gi = locator.locate(cx, cy);
    if (gi >= 0 && gridRecs[gi].communityIdx === ci) return [cx, cy] as LonLat;
    const grids = commGridIdx[ci];
    let best = grids[0];
    for (const g of grids) if (gridRecs[g].households > gridRecs[best].households) best = g;
    const [gx, gy] = kmToLL(mpCentroid(gridRecs[best].km));
    return inGrid(best, gx, gy) ? ([gx, gy] as LonLat) : pointInGrid(best, crng);
  });

  const townships: TownshipInfo[] = admin.townships.map((t) => ({ code: t.code, name: t.name, kind: t.kind, center: townshipCenter.get(t.code)! }));
  const communities: CommunityInfo[] = admin.communities.map((c, ci) => ({
    code: c.code,
    name: c.name,
    townshipCode: c.townshipCode,
    kind: c.kind,
    center: communityCenter[ci],
  }));
  const districtSeat = townshipCenter.get('340803007')!;
  const centers: LinkageCenter[] = [
    { id: 'LC-' + DISTRICT_CODE, level: 'district', code: DISTRICT_CODE, name: DISTRICT_NAME + '智慧联动中心', lon: districtSeat[0], lat: districtSeat[1] },
    ...townships.map((t) => ({ id: 'LC-' + t.code, level: 'township' as const, code: t.code, name: t.name + '联动中心', lon: t.center[0], lat: t.center[1] })),
    ...communities.map((c) => ({ id: 'LC-' + c.code, level: 'community' as const, code: c.code, name: c.name + '联动中心', lon: c.center[0], lat: c.center[1] })),
  ];

  return { townships, communities, centers, districtSeat };
}
