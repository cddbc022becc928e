// The ledger import's reasons in Chinese, one per key of core/ledger-why.ts (the compiler checks that
// none is missing; whyZh.test.ts that each names the same values as the English one).
import type { LedgerWhyKey } from '../../../core/ledger-why.ts';

export const LEDGER_WHY_ZH: Readonly<Record<LedgerWhyKey, string>> = {
  empty: '为空',
  notDeviceKind: '“{value}”不是设备类型（摄像机、高空瞭望、应急广播、部件）',
  componentsNotHere: '城市部件随数据集（components.json）提供，不在设备登记中：请导入摄像机、高空瞭望和应急广播',
  componentLength: '“{id}”不是部件编码：应为 16 位数字（区县 6 位 + 类别 4 位 + 序号 6 位）',
  componentCounty: '部件编码“{id}”：区县代码 {county} 不是本区的（{district}）',
  componentBigClass: '部件编码“{id}”：{big} 不是部件大类（01–06）',
  componentSmallClass: '部件编码“{id}”：小类 00 不存在',
  gbLength: '“{id}”不是 GB/T 28181 编码：应为 20 位数字，实为 {length} 位',
  gbNonDigits: '“{id}”不是 GB/T 28181 编码：应为 20 位数字，实为 {length} 位且含非数字',
  gbProvince: 'GB/T 28181 编码“{id}”：中心编码 {center} 不以省级行政区划代码开头（GB/T 2260）',
  gbCountyWithoutCity: 'GB/T 28181 编码“{id}”：中心编码 {center} 无地市却有区县',
  gbNotCamera: 'GB/T 28181 编码“{id}”：类型 {type} 不是摄像机（131 摄像机或 132 网络摄像机）',
  gbNotDevice: 'GB/T 28181 编码“{id}”：{type} 不是设备或平台类型',
  idPattern: '“{id}”须为 1–64 位字母、数字或 _.:-',
  tooLong: '超过 {max} 个字符（{length}）',
  notLongitude: '“{value}”不是经度',
  notLatitude: '“{value}”不是纬度',
  notTownship: '“{value}”不是本区的街道/乡镇（{names}）',
  townshipMismatch: '点位位于{there}（{code}），不在{named}：请核对坐标和坐标系',
  notYesNo: '“{value}”应为“是”或“否”',
  notUrl: '“{value}”不是 http(s) 地址或路径',
  listedAlready: '“{id}”已在第 {row} 行列出',
  outsideDistrict: '（{lon}, {lat}）位于本区之外：请核对坐标和坐标系',
  refused: '{message}',
};
