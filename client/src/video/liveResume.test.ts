import { describe, expect, it } from 'vitest';
import { liveResumePoint } from './liveResume.ts';

describe('liveResumePoint', () => {
  it('stays put while the playhead is inside buffered picture', () => {
    expect(liveResumePoint([[10, 20]], 12)).toBeNull();
    expect(liveResumePoint([[10, 20], [25, 30]], 19)).toBeNull();
  });

  it('waits when nothing is buffered after the playhead (the network is behind, not the player)', () => {
    expect(liveResumePoint([[10, 20]], 20)).toBeNull();
    expect(liveResumePoint([], 5)).toBeNull();
  });

  it('jumps over a hole onto the next buffered range', () => {
    expect(liveResumePoint([[10, 20], [24, 30]], 20)).toBeCloseTo(24.1);
  });

  it('jumps forward when the back buffer was dropped under the playhead', () => {
    expect(liveResumePoint([[40, 48]], 31)).toBeCloseTo(40.1);
  });

  it('ignores a sliver too short to play and takes the next real range', () => {
    expect(liveResumePoint([[10, 20], [21, 21.2], [26, 34]], 20)).toBeCloseTo(26.1);
  });

  it('never jumps backwards onto picture already played', () => {
    expect(liveResumePoint([[0, 8]], 12)).toBeNull();
  });
});
