// Time in the center's zone. Asia/Shanghai is UTC+8 all year (no daylight saving), so a local day
// is a fixed 24 h slice of UTC and local dates need no time-zone database: one offset, here only.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Asia/Shanghai = UTC+8. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** Local (Asia/Shanghai) day number: 0 = 1970-01-01. */
export function shanghaiDayNumber(t: number): number {
  return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Start of the local day `day` (a shanghaiDayNumber), as UTC ms. */
export function shanghaiDayNumberStart(day: number): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** Start of the Asia/Shanghai calendar day containing `t`, as UTC ms. */
export function shanghaiDayStart(t: number): number {
  return shanghaiDayNumberStart(shanghaiDayNumber(t));
}

/** Hour of day 0..23 in Asia/Shanghai. */
export function shanghaiHour(t: number): number {
  return Math.floor(shanghaiTimeOfDay(t) / HOUR_MS);
}

/** Milliseconds since local midnight. */
export function shanghaiTimeOfDay(t: number): number {
  return t - shanghaiDayStart(t);
}

/** The local calendar date of `t` as YYYY-MM-DD. */
export function shanghaiDate(t: number): string {
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
