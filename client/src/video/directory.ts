// The camera directory, pure: the district's cameras as a tree township → community → site
// (a road crossing for the crossing cameras, else the grid the camera stands in) → cameras, and
// the same tree filtered by a search on a camera's name or id (or a place's name).
import { canStream } from '../../../core/video.ts';

export interface DirectoryInput {
  townships: readonly { code: string; name: string }[];
  communities: readonly { code: string; name: string; townshipCode: string }[];
  /** By grid index: its community and name. */
  grids: readonly { communityCode: string; name: string }[];
  cameras: readonly { id: string; name: string; gridIndex: number; townshipCode: string }[];
}

export interface SiteNode {
  key: string;
  name: string;
  /** Camera indexes (dataset order, = index in the camera status array), ascending. */
  cameras: number[];
}

export interface CommunityNode {
  code: string;
  name: string;
  sites: SiteNode[];
}

export interface TownshipNode {
  code: string;
  name: string;
  communities: CommunityNode[];
}

/** "吴越街与人民路路口东侧" stands at the crossing "吴越街与人民路路口"; other cameras at their grid. */
export function siteOf(cameraName: string, gridName: string): string {
  const crossing = /^(.+?路口)/.exec(cameraName);
  return crossing ? crossing[1] : gridName;
}

/**
 * The whole tree: townships and communities in the manifest's order (empty ones left out), sites
 * in the order of their first camera. A camera outside every grid goes under its township's
 * pseudo-community '' (named by the caller).
 */
export function buildDirectory(input: DirectoryInput): TownshipNode[] {
  const sites = new Map<string, Map<string, SiteNode>>(); // community code → site key → node
  input.cameras.forEach((c, i) => {
    const grid = input.grids[c.gridIndex];
    const community = grid ? grid.communityCode : `${c.townshipCode}:`;
    const name = siteOf(c.name, grid?.name ?? '');
    let bySite = sites.get(community);
    if (!bySite) sites.set(community, (bySite = new Map()));
    let site = bySite.get(name);
    if (!site) bySite.set(name, (site = { key: `${community}/${name}`, name, cameras: [] }));
    site.cameras.push(i);
  });
  const node = (code: string, name: string): CommunityNode | null => {
    const s = sites.get(code);
    return s ? { code, name, sites: [...s.values()] } : null;
  };
  return input.townships
    .map((t) => ({
      code: t.code,
      name: t.name,
      communities: [...input.communities.filter((c) => c.townshipCode === t.code).map((c) => node(c.code, c.name)), node(`${t.code}:`, '')].filter((c): c is CommunityNode => c !== null),
    }))
    .filter((t) => t.communities.length > 0);
}

/** The part of the tree a scoped screen shows: its township, or its community (the district: all). */
export function scopeDirectory(tree: TownshipNode[], scope: string): TownshipNode[] {
  const inside = (code: string) => code.startsWith(scope) || scope.startsWith(code);
  return tree.filter((t) => inside(t.code)).map((t) => (scope.length > t.code.length ? { ...t, communities: t.communities.filter((c) => c.code === scope) } : t));
}

/** Every camera index under a node, in tree order. */
export function camerasOf(node: TownshipNode | CommunityNode | SiteNode): number[] {
  if ('cameras' in node) return node.cameras;
  if ('sites' in node) return node.sites.flatMap((s) => s.cameras);
  return node.communities.flatMap(camerasOf);
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * The tree pruned to what matches `query` (case-insensitive, anywhere in the text): a camera whose
 * name or id matches, or everything under a township, community or site whose name matches. An
 * empty query returns the tree itself.
 */
export function filterDirectory(tree: TownshipNode[], cameras: DirectoryInput['cameras'], query: string): TownshipNode[] {
  const q = norm(query);
  if (!q) return tree;
  const hit = (s: string) => s.toLowerCase().includes(q);
  const out: TownshipNode[] = [];
  for (const t of tree) {
    if (hit(t.name)) {
      out.push(t);
      continue;
    }
    const communities: CommunityNode[] = [];
    for (const c of t.communities) {
      if (c.name && hit(c.name)) {
        communities.push(c);
        continue;
      }
      const sites: SiteNode[] = [];
      for (const s of c.sites) {
        if (hit(s.name)) sites.push(s);
        else {
          const kept = s.cameras.filter((i) => hit(cameras[i].id) || hit(cameras[i].name));
          if (kept.length) sites.push({ ...s, cameras: kept });
        }
      }
      if (sites.length) communities.push({ ...c, sites });
    }
    if (communities.length) out.push({ ...t, communities });
  }
  return out;
}

/** How many of `indexes` can stream (online, or online and raising an alarm). */
export function onlineCount(indexes: readonly number[], status: ArrayLike<number>): number {
  let n = 0;
  for (const i of indexes) if (canStream(status[i] ?? 1)) n++;
  return n;
}
