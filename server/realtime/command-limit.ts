// Commands per connection: a token bucket (burst, then a steady rate). A dashboard clicks a few
// times a minute; a runaway script or a hostile client is told to slow down, and its commands are
// not run. Pure apart from the clock it is given.
export class CommandBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** Takes one token; false when the connection is over its rate. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
