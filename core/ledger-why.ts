// Why a ledger row is bad, as a key with its values: the API's English reason is written from it
// here, and the dashboard writes the same reason in the operator's language (client/src/admin/
// whyZh.ts has one sentence per key, checked by the compiler), so a Chinese screen does not show
// English. Pure.

/** The English sentence of each reason; `{name}` is replaced by the value of that name. */
export const LEDGER_WHY_EN = {
  empty: 'empty',
  notDeviceKind: '"{value}" is not a device kind (摄像机, 高空瞭望, 应急广播, 部件)',
  componentsNotHere: 'city components come with the dataset (components.json), not the device registry: import cameras, lookouts and broadcast points',
  componentLength: '"{id}" is not a component code: 16 digits expected (county 6 + class 4 + serial 6)',
  componentCounty: 'component code "{id}": county {county} is not this district\'s ({district})',
  componentBigClass: 'component code "{id}": {big} is not a component big class (01–06)',
  componentSmallClass: 'component code "{id}": small class 00 does not exist',
  gbLength: '"{id}" is not a GB/T 28181 id: 20 digits expected, got {length} character(s)',
  gbNonDigits: '"{id}" is not a GB/T 28181 id: 20 digits expected, got {length} character(s) with non-digits',
  gbProvince: 'GB/T 28181 id "{id}": center code {center} does not start with a province code (GB/T 2260)',
  gbCountyWithoutCity: 'GB/T 28181 id "{id}": center code {center} has no city but a county',
  gbNotCamera: 'GB/T 28181 id "{id}": type {type} is not a camera (131 摄像机 or 132 IPC)',
  gbNotDevice: 'GB/T 28181 id "{id}": {type} is not a device or platform type',
  idPattern: '"{id}" must be 1–64 letters, digits or _.:-',
  tooLong: 'longer than {max} characters ({length})',
  notLongitude: '"{value}" is not a longitude',
  notLatitude: '"{value}" is not a latitude',
  notTownship: '"{value}" is not a township of the district ({names})',
  townshipMismatch: 'its point lies in {there} ({code}), not {named}: check the coordinates and the coordinate system',
  notYesNo: '"{value}" is neither 是 nor 否',
  notUrl: '"{value}" is not an http(s) URL or a path',
  listedAlready: '"{id}" is listed already in row {row}',
  outsideDistrict: '({lon}, {lat}) lies outside the district: check the coordinates and their system',
  refused: '{message}',
} as const;

export type LedgerWhyKey = keyof typeof LEDGER_WHY_EN;
export type WhyValues = Record<string, string | number>;
export interface LedgerWhy {
  key: LedgerWhyKey;
  values: WhyValues;
}

/** A reason's sentence in `sentences` (one per key), its `{name}`s filled in. */
export function whyText(sentences: Readonly<Record<LedgerWhyKey, string>>, why: LedgerWhy): string {
  return sentences[why.key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in why.values ? String(why.values[name]) : whole));
}

export const why = (key: LedgerWhyKey, values: WhyValues = {}): LedgerWhy => ({ key, values });
