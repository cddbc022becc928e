// Where a stalled live player should go on. A starved screen (a software-rendered map on a busy
// wall PC) lets the playhead fall behind while hls.js keeps buffering near the live edge: the
// segments arrive, but the playhead sits in a hole before them, or behind what the back buffer
// already dropped, and hls.js only skips holes shorter than maxBufferHole. Live video is about now,
// so the player jumps onto the buffered picture rather than waiting for data that will never come.

/** Buffered media as [start, end] seconds, in order (HTMLMediaElement.buffered). */
export type Ranges = ReadonlyArray<readonly [number, number]>;

/** How close to a range counts as inside it (hls.js appends segments with tiny gaps). */
const SLACK_S = 0.2;
/** A later range must hold at least this much picture to be worth jumping to. */
const MIN_AHEAD_S = 0.5;
/** Land this far inside the range, past the decoder's first frame. */
const LAND_S = 0.1;

/**
 * The time to jump to so a stalled live player plays again, or null when the playhead is already
 * in buffered picture (the decoder is merely slow) or nothing is buffered after it (the network is).
 */
export function liveResumePoint(ranges: Ranges, playhead: number): number | null {
  for (const [start, end] of ranges) {
    if (playhead >= start - SLACK_S && playhead < end - SLACK_S) return null;
  }
  const next = ranges.find(([start, end]) => start > playhead - SLACK_S && end - start >= MIN_AHEAD_S);
  return next ? next[0] + LAND_S : null;
}

/** The element's buffered ranges as plain pairs. */
export function rangesOf(buffered: TimeRanges): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < buffered.length; i++) out.push([buffered.start(i), buffered.end(i)]);
  return out;
}
