// Numbers and times the Chinese way: zh-CN grouping, Asia/Shanghai wall clock.
const TZ = 'Asia/Shanghai';
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const dec1 = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const hm = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false });
// The date in the screen's language: "2026/12/07周一" in Chinese, "Mon, Dec 7, 2026" in English.
const dateZh = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });
const dateEn = new Intl.DateTimeFormat('en', { timeZone: TZ, year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
const full = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export const fmtInt = (n: number): string => int.format(n);
export const fmtDec = (n: number): string => dec1.format(n);
export const fmtPct = (n: number): string => pct.format(Number.isFinite(n) ? n : 0);
export const fmtClock = (t: number): string => clock.format(t);
export const fmtHM = (t: number): string => hm.format(t);
export const fmtDate = (t: number, en = false): string => (en ? dateEn : dateZh).format(t);
export const fmtDateTime = (t: number): string => full.format(t);

/** Elapsed time as "12秒" / "3分钟" / "2小时" (units from the caller's language). */
export function fmtAgo(ms: number, units: { s: string; m: string; h: string }): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}${units.s === 's' ? ' s' : units.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}${units.m === 'min' ? ' min' : units.m}`;
  return `${Math.floor(m / 60)}${units.h === 'h' ? ' h' : units.h}`;
}

/** A duration as "2小时15分" / "2 h 15 min" (minutes rounded down; under a minute shows "<1分"). */
export function fmtDuration(ms: number, en: boolean): string {
  const m = Math.floor(Math.max(0, ms) / 60_000);
  if (m < 1) return en ? '<1 min' : '<1分';
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (en) return [d ? `${d} d` : '', h ? `${h} h` : '', !d && mm ? `${mm} min` : ''].filter(Boolean).join(' ');
  return `${d ? `${d}天` : ''}${h ? `${h}小时` : ''}${!d && mm ? `${mm}分` : ''}`;
}

/** "剩余 2小时15分" / "超期 35分" and their English forms. */
export function fmtCountdown(ms: number, overdue: boolean, en: boolean): string {
  const d = fmtDuration(ms, en);
  if (en) return overdue ? `${d} overdue` : `${d} left`;
  return overdue ? `超期 ${d}` : `剩余 ${d}`;
}
