// UI strings of replay (merged into i18n/resources.ts as `replay`).
export const replayZh = {
  open: '回放',
  badge: '回放模式',
  hint: '画面为历史时刻，非实时；操作已停用',
  period: { hour: '近1小时', shift: '本班次', day: '今天', week: '近7天' },
  play: '播放',
  pause: '暂停',
  speed: '倍速',
  live: '回到实时',
  loading: '加载中…',
  ended: '已到末尾',
};
export const replayEn: typeof replayZh = {
  open: 'Replay',
  badge: 'REPLAY',
  hint: 'A past moment, not live; actions are off',
  period: { hour: 'Last hour', shift: 'This shift', day: 'Today', week: 'Last 7 days' },
  play: 'Play',
  pause: 'Pause',
  speed: 'Speed',
  live: 'Back to live',
  loading: 'Loading…',
  ended: 'End reached',
};
