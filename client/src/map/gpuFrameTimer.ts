// When a frame is really done: JavaScript returns from a draw long before a GPU has drawn it, and on
// a software renderer (a kiosk PC without a graphics card; headless Chromium) the drawing itself
// takes a large part of a second in another process. A fence after the draw signals once the GPU has
// executed everything before it, so the time from the push to the fence is what a frame costs.

/** What the timer needs of a WebGL2 context (a fence and its status). */
export type FenceGl = Pick<WebGL2RenderingContext, 'fenceSync' | 'getSyncParameter' | 'deleteSync' | 'flush' | 'SYNC_GPU_COMMANDS_COMPLETE' | 'SYNC_STATUS' | 'SIGNALED'>;

export interface FrameTimerDeps {
  now: () => number;
  /** Calls back later (a browser's setTimeout): a fence's status only changes between tasks. */
  later: (f: () => void, ms: number) => unknown;
}

const POLL_MS = 16;
/** Past this a frame is reported as this long, and its fence is let go. */
const GIVE_UP_MS = 10_000;

export class GpuFrameTimer {
  private inFlight = false;
  private disposed = false;

  constructor(private readonly deps: FrameTimerDeps, private readonly onMeasured: (ms: number) => void) {}

  /** After a draw on `gl`: measures from `start` to the GPU's end of it; one frame at a time (a draw while one is measured is skipped). */
  afterDraw(gl: FenceGl | null, start: number): void {
    if (this.inFlight || this.disposed) return;
    const sync = gl?.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!gl || !sync) {
      this.onMeasured(this.deps.now() - start);
      return;
    }
    gl.flush();
    this.inFlight = true;
    const poll = () => {
      if (this.disposed) return gl.deleteSync(sync);
      const ms = this.deps.now() - start;
      if (gl.getSyncParameter(sync, gl.SYNC_STATUS) !== gl.SIGNALED && ms < GIVE_UP_MS) return void this.deps.later(poll, POLL_MS);
      gl.deleteSync(sync);
      this.inFlight = false;
      this.onMeasured(ms);
    };
    this.deps.later(poll, 0);
  }

  dispose(): void {
    this.disposed = true;
  }
}
