// The district's automatic weather station (安庆国家基本气象站, data/weather-stations.json): an
// observation every `everyS` wall seconds with rain, wind, temperature, humidity and the warnings
// in force. Rain comes in episodes (a Poisson number a simulated day, log-normal peak and length);
// the simulated bureau's warnings follow the rain and wind of the moment with simple thresholds
// (the real criteria are 3/6/12-hour totals: this is a demo station, not a forecast).
import type { Rng } from '../../core/random.ts';
import type { WeatherObservation, WeatherWarning } from '../../core/weather.ts';
import type { Model, Sink, TickContext } from '../types.ts';

export interface WeatherConfig {
  stationId: string;
  everyS: number;
  rainEpisodesPerDay: number;
  /** Median peak rain of an episode, mm/h. */
  rainPeakMedian: number;
  rainHoursMedian: number;
}
export const WEATHER: WeatherConfig = { stationId: '58424', everyS: 300, rainEpisodesPerDay: 0.6, rainPeakMedian: 6, rainHoursMedian: 4 };

// Monthly mean temperature (°C) at Anqing, approximately.
const MONTHLY_T = [4.5, 6.8, 11, 17, 22, 25.5, 29, 28.5, 24.5, 19, 12.5, 6.5];

/** Rain (mm/h) → rainstorm warning of the simulated bureau; wind (m/s) → gale warning. */
export function simulatedWarnings(rainMmH: number, windMs: number): WeatherWarning[] {
  const out: WeatherWarning[] = [];
  const rain = rainMmH >= 50 ? 'red' : rainMmH >= 35 ? 'orange' : rainMmH >= 20 ? 'yellow' : rainMmH >= 10 ? 'blue' : null;
  if (rain) out.push({ type: 'rainstorm', level: rain });
  const gale = windMs >= 24.5 ? 'red' : windMs >= 20.8 ? 'orange' : windMs >= 17.2 ? 'yellow' : windMs >= 10.8 ? 'blue' : null;
  if (gale) out.push({ type: 'gale', level: gale });
  return out;
}

export class WeatherModel implements Model {
  readonly name = 'weather';
  private nextAt = 0;
  private episode: { start: number; end: number; peak: number } | null = null;
  private wind = 3;
  private windDir = 90;

  constructor(private readonly rng: Rng, readonly cfg: WeatherConfig = WEATHER) {}

  private rain(sim: number): number {
    const e = this.episode;
    if (!e || sim < e.start || sim > e.end) return 0;
    // A rise to the peak and a fall, with gusts of ±30 %.
    const x = (sim - e.start) / (e.end - e.start);
    return Math.round(e.peak * Math.sin(Math.PI * x) * (0.7 + 0.6 * this.rng.next()) * 10) / 10;
  }

  observe(ctx: TickContext): WeatherObservation {
    const local = new Date(ctx.sim + 8 * 3_600_000);
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    const rainMmH = this.rain(ctx.sim);
    this.wind = Math.min(30, Math.max(0.2, this.wind + (this.rng.next() - 0.5) * 1.2 + (rainMmH > 10 ? 0.5 : 0) - (this.wind - 3) * 0.1));
    this.windDir = (this.windDir + (this.rng.next() - 0.5) * 30 + 360) % 360;
    const temperatureC = MONTHLY_T[local.getUTCMonth()] + 4 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) - (rainMmH > 0 ? 2 : 0);
    const humidityPct = rainMmH > 0 ? 92 + 6 * this.rng.next() : 60 + 15 * Math.cos(((hour - 5) / 24) * 2 * Math.PI) + 5 * this.rng.next();
    const windMs = Math.round(this.wind * 10) / 10;
    return {
      stationId: this.cfg.stationId, ts: ctx.now, rainMmH, windMs, windDirDeg: Math.round(this.windDir),
      temperatureC: Math.round(temperatureC * 10) / 10, humidityPct: Math.round(Math.min(100, humidityPct)), warnings: simulatedWarnings(rainMmH, windMs),
    };
  }

  start(ctx: TickContext, out: Sink): void {
    out.weather(this.observe(ctx));
    this.nextAt = ctx.now + this.cfg.everyS * 1000;
  }

  tick(ctx: TickContext, out: Sink): void {
    if (!this.episode || ctx.sim > this.episode.end) {
      this.episode = null;
      if (this.rng.next() < this.cfg.rainEpisodesPerDay * (ctx.dtSim / 86_400)) {
        const hours = this.rng.logNormal(this.cfg.rainHoursMedian, 0.5);
        this.episode = { start: ctx.sim, end: ctx.sim + hours * 3_600_000, peak: this.rng.logNormal(this.cfg.rainPeakMedian, 0.9) };
      }
    }
    if (ctx.now < this.nextAt) return;
    this.nextAt = ctx.now + this.cfg.everyS * 1000;
    out.weather(this.observe(ctx));
  }
}
