// National device identifiers a ledger (设备台账) carries, checked before anything is imported.
// GB/T 28181 (video networking): 20 digits = 8-digit center code (GB/T 2260 admin code of 6 digits +
// 2-digit grassroots unit) + 2-digit industry + 3-digit type + 7-digit serial (the first serial digit
// being the network flag). GB/T 30428.2 (city management components): 16 digits = 6-digit county +
// 2-digit big class + 2-digit small class + 6-digit serial (taxonomy.ts parseComponentCode).
import { COMPONENT_BIG_CLASSES, COMPONENT_CLASS_BY_CODE, parseComponentCode } from './taxonomy.ts';
import { IMPORT_WHY_EN, why, whyText, type ImportWhy } from './import-why.ts';

/** GB/T 2260 province codes (the first two digits of any admin code). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

/** GB/T 28181 type codes of front-end devices that carry video (a ledger's 摄像机 rows). */
export const GB28181_CAMERA_TYPES: Readonly<Record<string, string>> = { '131': '摄像机', '132': '网络摄像机(IPC)' };
/** Other GB/T 28181 device types (111–130 front-end equipment, 133–139 peripherals), for the messages. */
const GB28181_TYPES: Readonly<Record<string, string>> = {
  '111': 'DVR', '112': '视频服务器', '113': '编码器', '114': '解码器', '115': '视频切换矩阵', '116': '音频切换矩阵', '117': '报警控制器', '118': 'NVR', '119': '混合硬盘录像机',
  ...GB28181_CAMERA_TYPES,
  '133': '显示器', '134': '报警输入设备', '135': '报警输出设备', '136': '语音输入设备', '137': '语音输出设备', '138': '移动传输设备', '139': '其他外围设备',
};

export interface Gb28181Id {
  center: string;
  industry: string;
  type: string;
  serial: string;
}

/** The parts of a GB/T 28181 id, or why it is not one (an English message, and the reason as a key for other languages). `camera` asks for a video type (131/132). */
export function parseGb28181(id: string, opts: { camera?: boolean } = {}): { ok: true; id: Gb28181Id } | { ok: false; message: string; why: ImportWhy } {
  const no = (w: ImportWhy) => ({ ok: false as const, message: whyText(IMPORT_WHY_EN, w), why: w });
  if (!/^\d{20}$/.test(id)) return no(why(/\D/.test(id) ? 'gbNonDigits' : 'gbLength', { id, length: id.length }));
  const parts = { center: id.slice(0, 8), industry: id.slice(8, 10), type: id.slice(10, 13), serial: id.slice(13) };
  if (!PROVINCES.has(parts.center.slice(0, 2))) return no(why('gbProvince', { id, center: parts.center }));
  if (parts.center.slice(2, 4) === '00' && parts.center.slice(4, 6) !== '00') return no(why('gbCountyWithoutCity', { id, center: parts.center }));
  const name = GB28181_TYPES[parts.type];
  if (opts.camera && !GB28181_CAMERA_TYPES[parts.type]) return no(why('gbNotCamera', { id, type: `${parts.type}${name ? ` (${name})` : ''}` }));
  if (!opts.camera && !name && !/^(1[1-9]\d|[2-5]\d\d)$/.test(parts.type)) return no(why('gbNotDevice', { id, type: parts.type }));
  return { ok: true, id: parts };
}

/** Why a 16-digit component code (GB/T 30428.2) is not valid, as a reason key, or null. `county` is the district's code. */
export function componentCodeWhy(code: string, county: string): ImportWhy | null {
  const p = parseComponentCode(code);
  if (!p) return why('componentLength', { id: code });
  if (p.county !== county) return why('componentCounty', { id: code, county: p.county, district: county });
  if (!COMPONENT_BIG_CLASSES[p.classCode.slice(0, 2)]) return why('componentBigClass', { id: code, big: p.classCode.slice(0, 2) });
  if (!COMPONENT_CLASS_BY_CODE.has(p.classCode) && p.classCode.slice(2) === '00') return why('componentSmallClass', { id: code });
  return null;
}

/** Why a 16-digit component code (GB/T 30428.2) is not valid, in English, or null. */
export function componentCodeProblem(code: string, county: string): string | null {
  const w = componentCodeWhy(code, county);
  return w && whyText(IMPORT_WHY_EN, w);
}
