// UI strings. Chinese is the default (the command room's language); English for visitors.
export const zhCN = {
  title: '大观区智慧联动中心 · 城市运行实时监测',
  subtitle: '一中心 · 五系统 · N项应用',
  conn: { connected: '实时', connecting: '连接中', reconnecting: '重连中', stale: '数据已过期', since: '{{ago}}前更新', lastAt: '最后更新 {{time}}' },
  staleBanner: '数据已过期：{{ago}}未收到实时数据（最后更新 {{time}}）',
  kind: { camera: '视频监控', lookout: '高空瞭望', drone: '无人机', broadcast: '应急广播', component: '城市部件', worker: '网格员' },
  status: { online: '在线', offline: '离线', fault: '故障', alarm: '告警' },
  componentStatus: { online: '正常', offline: '离线', fault: '损坏', alarm: '告警' },
  stage: { reported: '上报', filed: '立案', dispatched: '派遣', handling: '处置中', handled: '已处置', closed: '结案', voided: '作废' },
  urgency: { normal: '一般', urgent: '紧急' },
  source: { patrol: '网格巡查', 'hotline-12345': '12345热线', 'hotline-12319': '12319热线', 'video-ai': '视频AI', sensor: '物联感知', citizen: '群众上报', 'city-brain': '城市大脑' },
  panel: {
    devices: '感知设备在线', cases: '今日案件', byHour: '今日案件分时统计', eps: '事件吞吐（条/秒）', feed: '案件实时动态',
    layers: '图层', rate: '在线率', bySource: '在办案件来源', township: '在办案件 · 街道乡镇', alarms: 'AI告警',
  },
  kpi: { today: '今日上报', open: '在办', overdue: '超期', closedToday: '今日结案', eps: '事件/秒', online: '在线' },
  layer: { cases: '案件', grids: '网格', labels: '地名' },
  detail: { id: '编号', code: '标识码', cls: '类别', township: '街道乡镇', status: '状态', source: '来源', stage: '阶段', deadline: '处置时限', reported: '上报时间', urgency: '紧急程度', heading: '朝向', fov: '视场角', range: '视距', close: '关闭', overdue: '已超期', none: '—', grid: '网格', ai: 'AI分析' },
  feed: { empty: '暂无案件', overdue: '超期' },
  loading: '正在加载区域数据…',
  loadError: '区域数据加载失败：{{msg}}',
  units: { s: '秒', m: '分钟', h: '小时' },
  lang: { zh: '中文', en: 'EN' },
  legend: { normal: '正常/在线', offline: '离线', fault: '故障', alarm: '告警', overdue: '超期案件' },
};

export type Resources = typeof zhCN;

export const en: Resources = {
  title: 'Daguan District Smart Linkage Center · City Operations Live',
  subtitle: 'One center · five systems · N applications',
  conn: { connected: 'LIVE', connecting: 'Connecting', reconnecting: 'Reconnecting', stale: 'DATA STALE', since: 'updated {{ago}} ago', lastAt: 'last update {{time}}' },
  staleBanner: 'Data is stale: no live data for {{ago}} (last update {{time}})',
  kind: { camera: 'Cameras', lookout: 'Lookouts', drone: 'Drones', broadcast: 'Broadcast', component: 'Components', worker: 'Grid workers' },
  status: { online: 'Online', offline: 'Offline', fault: 'Fault', alarm: 'Alarm' },
  componentStatus: { online: 'Normal', offline: 'Offline', fault: 'Damaged', alarm: 'Alarm' },
  stage: { reported: 'Reported', filed: 'Filed', dispatched: 'Dispatched', handling: 'Handling', handled: 'Handled', closed: 'Closed', voided: 'Voided' },
  urgency: { normal: 'Normal', urgent: 'Urgent' },
  source: { patrol: 'Grid patrol', 'hotline-12345': 'Hotline 12345', 'hotline-12319': 'Hotline 12319', 'video-ai': 'Video AI', sensor: 'IoT sensor', citizen: 'Citizen', 'city-brain': 'City Brain' },
  panel: {
    devices: 'Sensing devices online', cases: 'Cases today', byHour: 'Cases today by hour', eps: 'Event throughput (per s)', feed: 'Live case feed',
    layers: 'Layers', rate: 'Online rate', bySource: 'Open cases by source', township: 'Open cases by township', alarms: 'AI alarms',
  },
  kpi: { today: 'Reported', open: 'Open', overdue: 'Overdue', closedToday: 'Closed', eps: 'Events/s', online: 'online' },
  layer: { cases: 'Cases', grids: 'Grids', labels: 'Names' },
  detail: { id: 'ID', code: 'Code', cls: 'Class', township: 'Township', status: 'Status', source: 'Source', stage: 'Stage', deadline: 'Deadline', reported: 'Reported', urgency: 'Urgency', heading: 'Heading', fov: 'FOV', range: 'Range', close: 'Close', overdue: 'Overdue', none: '—', grid: 'Grid', ai: 'AI analytics' },
  feed: { empty: 'No cases yet', overdue: 'Overdue' },
  loading: 'Loading district data…',
  loadError: 'Could not load district data: {{msg}}',
  units: { s: 's', m: 'min', h: 'h' },
  lang: { zh: '中文', en: 'EN' },
  legend: { normal: 'Normal/online', offline: 'Offline', fault: 'Fault', alarm: 'Alarm', overdue: 'Overdue case' },
};
