import { describe, expect, it } from 'vitest';
import { GpuFrameTimer, type FenceGl } from './gpuFrameTimer.ts';

/** A GPU that signals a fence once the clock reaches its `doneAt`, and a queue of callbacks run by hand. */
function rig(gpuMs: number | null) {
  let t = 0;
  const tasks: Array<{ at: number; f: () => void }> = [];
  const fences = new Set<object>();
  const gl: FenceGl = {
    SYNC_GPU_COMMANDS_COMPLETE: 0x9117,
    SYNC_STATUS: 0x9114,
    SIGNALED: 0x9119,
    fenceSync: () => {
      if (gpuMs === null) return null;
      const f = { doneAt: t + gpuMs };
      fences.add(f);
      return f as unknown as WebGLSync;
    },
    getSyncParameter: (s: WebGLSync) => ((s as unknown as { doneAt: number }).doneAt <= t ? 0x9119 : 0x9118),
    deleteSync: (s: WebGLSync | null) => void fences.delete(s as unknown as object),
    flush: () => {},
  };
  const measured: number[] = [];
  const timer = new GpuFrameTimer({ now: () => t, later: (f, ms) => tasks.push({ at: t + ms, f }) }, (ms) => measured.push(ms));
  const runUntil = (end: number) => {
    for (;;) {
      tasks.sort((a, b) => a.at - b.at);
      const next = tasks[0];
      if (!next || next.at > end) break;
      tasks.shift();
      t = next.at;
      next.f();
    }
    t = end;
  };
  return { gl, timer, measured, fences, runUntil, advance: (ms: number) => (t += ms), now: () => t };
}

describe('GpuFrameTimer', () => {
  it('measures a frame from its start to when the GPU has drawn it, not to when the draw call returned', () => {
    const r = rig(300);
    r.advance(20); // the draw call's JavaScript
    r.timer.afterDraw(r.gl, 0);
    expect(r.measured).toEqual([]);
    r.runUntil(1000);
    expect(r.measured).toHaveLength(1);
    // Signalled at 320; polled every 16 ms, so seen within one poll of it.
    expect(r.measured[0]).toBeGreaterThanOrEqual(320);
    expect(r.measured[0]).toBeLessThan(320 + 17);
    expect(r.fences.size).toBe(0);
  });

  it('measures one frame at a time: a draw while a fence is pending is not timed', () => {
    const r = rig(500);
    r.timer.afterDraw(r.gl, 0);
    r.advance(100);
    r.timer.afterDraw(r.gl, 100);
    r.runUntil(2000);
    expect(r.measured).toHaveLength(1);
    r.timer.afterDraw(r.gl, r.now());
    r.runUntil(4000);
    expect(r.measured).toHaveLength(2);
  });

  it('without a fence (no WebGL2 context) reports the time to the end of the draw call', () => {
    const r = rig(null);
    r.advance(40);
    r.timer.afterDraw(r.gl, 0);
    expect(r.measured).toEqual([40]);
    r.timer.afterDraw(null, 10);
    expect(r.measured).toEqual([40, 30]);
  });

  it('lets a fence go after 10 s and stops polling once disposed', () => {
    const r = rig(60_000);
    r.timer.afterDraw(r.gl, 0);
    r.runUntil(20_000);
    expect(r.measured).toHaveLength(1);
    expect(r.measured[0]).toBeGreaterThanOrEqual(10_000);
    expect(r.measured[0]).toBeLessThan(10_017);
    const d = rig(1000);
    d.timer.afterDraw(d.gl, 0);
    d.timer.dispose();
    d.runUntil(5000);
    expect(d.measured).toEqual([]);
    expect(d.fences.size).toBe(0);
  });
});
