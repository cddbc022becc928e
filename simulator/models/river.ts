// The Yangtze's stage at Anqing for the embankment gauges (class 0601), in metres above the Wusong
// datum: a monthly mean (low water ~9 m in winter, ~16 m at the July peak; illustrative figures
// shaped like the station's seasonal curve, not records), a slow day-scale swell, and a few
// centimetres between gauges along the reach. The river does not jump: gauges take no random
// excursions (a flood season is played by posting readings, as the browser test does).
const MONTHLY_MEAN_M = [8.6, 8.8, 10.0, 11.5, 13.2, 14.6, 16.0, 15.3, 13.8, 12.0, 10.2, 9.0];

/** The reach's stage at simulated time `sim`. */
export function riverStage(sim: number): number {
  const d = new Date(sim + 8 * 3_600_000); // Asia/Shanghai month
  const base = MONTHLY_MEAN_M[d.getUTCMonth()];
  // A swell of ±0.15 m over about four days.
  return base + 0.15 * Math.sin((2 * Math.PI * sim) / (4 * 86_400_000));
}

/** One gauge's reading: the reach's stage, the gauge's own offset (±5 cm by position), 1 cm noise. */
export function gaugeReading(stage: number, gauge: number, noise: number): number {
  const offset = (((gauge * 7919) % 101) / 100 - 0.5) * 0.1;
  return Math.round((stage + offset + (noise - 0.5) * 0.02) * 100) / 100;
}
