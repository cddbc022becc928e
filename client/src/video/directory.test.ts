import { describe, expect, it } from 'vitest';
import { buildDirectory, camerasOf, filterDirectory, onlineCount, scopeDirectory, siteOf, type DirectoryInput } from './directory.ts';

// Two townships (the second with no camera), three communities, three grids, five cameras.
const input: DirectoryInput = {
  townships: [
    { code: '340803001', name: '德宽路街道' },
    { code: '340803002', name: '玉琳路街道' },
    { code: '340803003', name: '龙山路街道' },
  ],
  communities: [
    { code: '340803001001', name: '马山社区', townshipCode: '340803001' },
    { code: '340803001002', name: '吴越社区', townshipCode: '340803001' },
    { code: '340803002001', name: '湖心社区', townshipCode: '340803002' },
    { code: '340803003001', name: '空社区', townshipCode: '340803003' },
  ],
  grids: [
    { communityCode: '340803001001', name: '马山社区第1网格' },
    { communityCode: '340803001002', name: '吴越社区第1网格' },
    { communityCode: '340803002001', name: '湖心社区第1网格' },
  ],
  cameras: [
    { id: 'CAM-00001', name: '马山社区-1号摄像机', gridIndex: 0, townshipCode: '340803001' },
    { id: 'CAM-00002', name: '吴越街与人民路路口', gridIndex: 1, townshipCode: '340803001' },
    { id: 'CAM-00003', name: '马山社区-2号摄像机', gridIndex: 0, townshipCode: '340803001' },
    { id: 'CAM-00004', name: '吴越街与人民路路口东侧', gridIndex: 1, townshipCode: '340803001' },
    { id: 'CAM-00005', name: '湖心社区-1号摄像机', gridIndex: 2, townshipCode: '340803002' },
  ],
};

/** The tree as nested names and camera indexes, to compare with a hand-written one. */
const shape = (tree: ReturnType<typeof buildDirectory>) =>
  tree.map((t) => [t.name, t.communities.map((c) => [c.name, c.sites.map((s) => [s.name, s.cameras])])]);

describe('camera directory', () => {
  it('a crossing camera stands at the crossing, another at its grid', () => {
    expect(siteOf('吴越街与人民路路口东侧', '网格')).toBe('吴越街与人民路路口');
    expect(siteOf('吴越街与人民路路口', '网格')).toBe('吴越街与人民路路口');
    expect(siteOf('马山社区-1号摄像机', '马山社区第1网格')).toBe('马山社区第1网格');
  });

  it('builds township → community → site → cameras, leaving out places without cameras', () => {
    expect(shape(buildDirectory(input))).toEqual([
      ['德宽路街道', [
        ['马山社区', [['马山社区第1网格', [0, 2]]]],
        ['吴越社区', [['吴越街与人民路路口', [1, 3]]]],
      ]],
      ['玉琳路街道', [['湖心社区', [['湖心社区第1网格', [4]]]]]],
    ]);
    const [deKuan] = buildDirectory(input);
    expect(camerasOf(deKuan)).toEqual([0, 2, 1, 3]);
  });

  it('search keeps the cameras whose id or name matches, and everything under a matching place', () => {
    const tree = buildDirectory(input);
    expect(shape(filterDirectory(tree, input.cameras, 'cam-00003'))).toEqual([['德宽路街道', [['马山社区', [['马山社区第1网格', [2]]]]]]]);
    expect(shape(filterDirectory(tree, input.cameras, ' 东侧 '))).toEqual([['德宽路街道', [['吴越社区', [['吴越街与人民路路口', [3]]]]]]]);
    // A site's name keeps the whole site; a community's name the whole community.
    expect(shape(filterDirectory(tree, input.cameras, '人民路'))).toEqual([['德宽路街道', [['吴越社区', [['吴越街与人民路路口', [1, 3]]]]]]]);
    expect(shape(filterDirectory(tree, input.cameras, '湖心'))).toEqual([['玉琳路街道', [['湖心社区', [['湖心社区第1网格', [4]]]]]]]);
    expect(filterDirectory(tree, input.cameras, 'nothing')).toEqual([]);
    expect(filterDirectory(tree, input.cameras, '  ')).toBe(tree);
  });

  it('a township screen lists its township, a community screen its community', () => {
    const tree = buildDirectory(input);
    expect(shape(scopeDirectory(tree, '340803')).map((t) => t[0])).toEqual(['德宽路街道', '玉琳路街道']);
    expect(shape(scopeDirectory(tree, '340803002')).map((t) => t[0])).toEqual(['玉琳路街道']);
    expect(shape(scopeDirectory(tree, '340803001002'))).toEqual([['德宽路街道', [['吴越社区', [['吴越街与人民路路口', [1, 3]]]]]]]);
  });

  it('counts online cameras (an alarm is online, fault and offline are not)', () => {
    const status = Uint8Array.from([0, 1, 2, 3, 0]);
    expect(onlineCount([0, 1, 2, 3, 4], status)).toBe(3);
    expect(onlineCount([1, 2], status)).toBe(0);
  });
});
