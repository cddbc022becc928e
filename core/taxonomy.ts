// Standard classes of city components and events (GB/T 30428.2, local extensions), with the
// share of each among the district's components and the handling time limit of each event class.

export interface ComponentClass {
  code: string; // 4 digits: 2-digit big class + 2-digit small class
  name: string;
  nameEn: string;
  /** Relative share of this class among the district's components (weights, not percentages). */
  weight: number;
  /** Sensorized components of this class send readings of this metric. */
  sensor?: SensorMetric;
}

export type SensorMetric = 'water-level' | 'cover-tilt' | 'smoke' | 'gas' | 'lamp-power';

export const COMPONENT_BIG_CLASSES: Record<string, { name: string; nameEn: string }> = {
  '01': { name: '公用设施', nameEn: 'Public utilities' },
  '02': { name: '道路交通', nameEn: 'Roads and traffic' },
  '03': { name: '市容环境', nameEn: 'City appearance' },
  '04': { name: '园林绿化', nameEn: 'Landscaping' },
  '05': { name: '房屋土地', nameEn: 'Buildings and land' },
  '06': { name: '其他设施', nameEn: 'Other facilities' },
};

export const COMPONENT_CLASSES: ComponentClass[] = [
  { code: '0101', name: '上水井盖', nameEn: 'Water supply manhole cover', weight: 9, sensor: 'cover-tilt' },
  { code: '0102', name: '污水井盖', nameEn: 'Sewage manhole cover', weight: 9, sensor: 'cover-tilt' },
  { code: '0103', name: '雨水井盖', nameEn: 'Storm drain cover', weight: 10, sensor: 'water-level' },
  { code: '0104', name: '雨水箅子', nameEn: 'Storm drain grate', weight: 6 },
  { code: '0105', name: '电力井盖', nameEn: 'Power manhole cover', weight: 5, sensor: 'cover-tilt' },
  { code: '0106', name: '通讯井盖', nameEn: 'Telecom manhole cover', weight: 5 },
  { code: '0108', name: '燃气井盖', nameEn: 'Gas manhole cover', weight: 3, sensor: 'gas' },
  { code: '0111', name: '消火栓', nameEn: 'Fire hydrant', weight: 3 },
  { code: '0117', name: '路灯', nameEn: 'Street lamp', weight: 14, sensor: 'lamp-power' },
  { code: '0118', name: '地灯', nameEn: 'Ground lamp', weight: 2 },
  { code: '0122', name: '邮筒', nameEn: 'Mailbox', weight: 0.3 },
  { code: '0201', name: '停车场', nameEn: 'Car park', weight: 0.4 },
  { code: '0203', name: '公交站亭', nameEn: 'Bus shelter', weight: 0.8 },
  { code: '0206', name: '过街天桥', nameEn: 'Footbridge', weight: 0.1 },
  { code: '0208', name: '交通标志牌', nameEn: 'Traffic sign', weight: 4 },
  { code: '0209', name: '交通信号灯', nameEn: 'Traffic light', weight: 1.5 },
  { code: '0210', name: '隔离护栏', nameEn: 'Guard rail', weight: 3 },
  { code: '0301', name: '公共厕所', nameEn: 'Public toilet', weight: 0.3, sensor: 'smoke' },
  { code: '0302', name: '垃圾箱', nameEn: 'Litter bin', weight: 8 },
  { code: '0303', name: '垃圾间(楼)', nameEn: 'Garbage room', weight: 1, sensor: 'smoke' },
  { code: '0305', name: '广告牌匾', nameEn: 'Billboard', weight: 3 },
  { code: '0401', name: '古树名木', nameEn: 'Ancient tree', weight: 0.2 },
  { code: '0402', name: '行道树', nameEn: 'Street tree', weight: 9 },
  { code: '0404', name: '绿地', nameEn: 'Green space', weight: 1 },
  { code: '0405', name: '雕塑', nameEn: 'Sculpture', weight: 0.1 },
  { code: '0501', name: '危房', nameEn: 'Unsafe building', weight: 0.2 },
  { code: '0601', name: '水位监测点', nameEn: 'Water level gauge', weight: 0.2, sensor: 'water-level' },
  { code: '0602', name: '防汛墙', nameEn: 'Flood wall', weight: 0.3, sensor: 'water-level' },
  { code: '0603', name: '监控电子眼', nameEn: 'Traffic camera pole', weight: 1.5 },
];

/** English names of the event big classes (大类), for the dashboard's English mode. */
export const EVENT_BIG_CLASS_EN: Readonly<Record<string, string>> = {
  市容环境: 'City appearance',
  宣传广告: 'Advertising',
  施工管理: 'Construction',
  突发事件: 'Emergencies',
  街面秩序: 'Street order',
  设施管理: 'Facilities',
};

export interface EventClass {
  code: string; // 4 digits
  bigName: string;
  name: string;
  nameEn: string;
  /** Handling limit in working hours (工作时). */
  limitHours: number;
  /** Typical video-AI detection of this class. */
  videoAi?: boolean;
}

export const EVENT_CLASSES: EventClass[] = [
  { code: '0101', bigName: '市容环境', name: '私搭乱建', nameEn: 'Illegal construction', limitHours: 4 },
  { code: '0102', bigName: '市容环境', name: '暴露垃圾', nameEn: 'Exposed garbage', limitHours: 4, videoAi: true },
  { code: '0103', bigName: '市容环境', name: '积存垃圾渣土', nameEn: 'Accumulated waste', limitHours: 8 },
  { code: '0104', bigName: '市容环境', name: '道路不洁', nameEn: 'Dirty road', limitHours: 2 },
  { code: '0105', bigName: '市容环境', name: '水域不洁', nameEn: 'Dirty water body', limitHours: 120 },
  { code: '0106', bigName: '市容环境', name: '垃圾桶满溢', nameEn: 'Overflowing bin', limitHours: 2, videoAi: true },
  { code: '0107', bigName: '市容环境', name: '门前脏乱', nameEn: 'Untidy shopfront', limitHours: 4, videoAi: true },
  { code: '0201', bigName: '宣传广告', name: '非法小广告', nameEn: 'Illegal flyers', limitHours: 8 },
  { code: '0202', bigName: '宣传广告', name: '违规户外广告', nameEn: 'Illegal billboard', limitHours: 40 },
  { code: '0301', bigName: '施工管理', name: '施工占道', nameEn: 'Construction on road', limitHours: 8 },
  { code: '0302', bigName: '施工管理', name: '工地扬尘', nameEn: 'Construction dust', limitHours: 4 },
  { code: '0303', bigName: '施工管理', name: '施工废弃料', nameEn: 'Construction waste', limitHours: 8 },
  { code: '0401', bigName: '街面秩序', name: '无照经营游商', nameEn: 'Unlicensed vendor', limitHours: 4 },
  { code: '0402', bigName: '街面秩序', name: '占道经营', nameEn: 'Street stall on road', limitHours: 4, videoAi: true },
  { code: '0403', bigName: '街面秩序', name: '机动车乱停放', nameEn: 'Illegal car parking', limitHours: 2, videoAi: true },
  { code: '0404', bigName: '街面秩序', name: '非机动车乱停放', nameEn: 'Illegal bike parking', limitHours: 2, videoAi: true },
  { code: '0405', bigName: '街面秩序', name: '人群聚集', nameEn: 'Crowd gathering', limitHours: 1, videoAi: true },
  { code: '0501', bigName: '突发事件', name: '路面塌陷', nameEn: 'Road collapse', limitHours: 2 },
  { code: '0502', bigName: '突发事件', name: '管道破裂', nameEn: 'Burst pipe', limitHours: 2 },
  { code: '0503', bigName: '突发事件', name: '道路积水', nameEn: 'Road flooding', limitHours: 2 },
  { code: '0504', bigName: '突发事件', name: '烟雾火情', nameEn: 'Smoke or fire', limitHours: 1 },
  { code: '0505', bigName: '突发事件', name: '燃气泄漏', nameEn: 'Gas leak', limitHours: 1 },
  // Raised by the embankment gauges (0601) against the Yangtze's 警戒水位 / 保证水位 (core/flood.ts).
  { code: '0506', bigName: '突发事件', name: '江河水位超警戒', nameEn: 'River above warning level', limitHours: 1 },
  { code: '0507', bigName: '突发事件', name: '江河水位超保证', nameEn: 'River above guarantee level', limitHours: 1 },
  { code: '0601', bigName: '设施管理', name: '井盖破损', nameEn: 'Damaged manhole cover', limitHours: 6 },
  { code: '0602', bigName: '设施管理', name: '路灯不亮', nameEn: 'Street lamp out', limitHours: 24 },
];

export const EVENT_CLASS_BY_CODE: ReadonlyMap<string, EventClass> = new Map(EVENT_CLASSES.map((c) => [c.code, c]));
export const COMPONENT_CLASS_BY_CODE: ReadonlyMap<string, ComponentClass> = new Map(COMPONENT_CLASSES.map((c) => [c.code, c]));

/** 16-digit component code: county (6) + big class (2) + small class (2) + serial (6). */
export function componentCode(countyCode: string, classCode: string, serial: number): string {
  if (!/^\d{6}$/.test(countyCode) || !/^\d{4}$/.test(classCode) || serial < 0 || serial > 999_999) {
    throw new RangeError(`bad component code parts: ${countyCode} ${classCode} ${serial}`);
  }
  return countyCode + classCode + String(serial).padStart(6, '0');
}

export function parseComponentCode(code: string): { county: string; classCode: string; serial: number } | null {
  if (!/^\d{16}$/.test(code)) return null;
  return { county: code.slice(0, 6), classCode: code.slice(6, 10), serial: Number(code.slice(10)) };
}
