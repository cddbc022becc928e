// Why a row of an import (the device ledger, emergency resources, boundaries) is bad, as a key with
// its values: the API's English reason is written from it here, and the dashboard writes the same
// reason in the operator's language (client/src/admin/whyZh.ts has one sentence per key, checked by
// the compiler), so a Chinese screen does not show English. Pure.

/** The English sentence of each reason; `{name}` is replaced by the value of that name. */
export const IMPORT_WHY_EN = {
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
  // Emergency resources (core/resources-import.ts)
  notPoint: 'a resource is a GeoJSON Point',
  missing: 'missing',
  notOneOf: '"{value}" is not one of {allowed}',
  idPrefix: '"{id}" must start with the kind\'s prefix (shelter SH-, depot DP-, team RT-, fire FS-, hospital HO-)',
  notNumber: '"{value}" is not a number',
  outsideDistrictAs: '{lon}, {lat} is outside the district (read as {crs})',
  notTownshipCode: '"{value}" is not a township code of the district (9 digits, 340803xxx)',
  townshipOther: 'its point lies in township {there}, not {named}',
  townshipNone: 'its point lies in no township\'s grids, so not in {named}',
  notPositiveInt: '"{value}" is not a positive whole number',
  notStock: '"{value}" is not item:quantity:unit (e.g. 帐篷:120:顶)',
  appearsAlready: '{id} appears already in row {row}',
  // Boundaries (core/boundaries.ts); {level}, {known} and {parentLevel} are level words (LEVEL_WORDS)
  notPolygon: 'a boundary is a Polygon or MultiPolygon, not {type}',
  noCoordinates: 'no coordinates',
  noRings: 'a polygon without rings',
  ringTooShort: 'a ring needs at least 4 positions (3 corners and the first again)',
  positionNotPair: 'a position is not a [lon, lat] pair of numbers',
  positionNotLonLat: 'position [{lon}, {lat}] is not a longitude and latitude',
  ringNotClosed: 'the ring is not closed (its last position must repeat its first)',
  ringCrosses: 'a ring crosses itself (near {lon}, {lat})',
  codeDigits: 'a {level} code has {digits} digits, not "{code}"',
  notDistrictCode: '{code} is not an admin code of this district ({district})',
  gridNoCommunity: 'a grid names its community (12-digit code)',
  gridCommunity: 'grid {code} lies in community {parent} by its code, not {community}',
  parentUnknown: 'its {parentLevel} {parent} is neither in the district nor earlier in this file',
  noName: 'a boundary has a name',
  featureRepeated: '{code} is already feature {feature} of this file',
  otherLevel: '{code} is a {known} of the district, not a {level}',
  outsideShare: '{percent}% of its outline lies outside the district (check the coordinate system: {crs})',
} as const;

/** The values that are a boundary level, each written in English as itself. */
export const LEVEL_WORDS_EN = { district: 'district', township: 'township', community: 'community', grid: 'grid' } as const;
export type LevelWord = keyof typeof LEVEL_WORDS_EN;

export type ImportWhyKey = keyof typeof IMPORT_WHY_EN;
export type WhyValues = Record<string, string | number>;
export interface ImportWhy {
  key: ImportWhyKey;
  values: WhyValues;
}

/** Value names whose value is a level word (LEVEL_WORDS_EN), written in the sentence's language. */
const LEVEL_VALUES = new Set(['level', 'known', 'parentLevel']);

/** A reason's sentence in `sentences` (one per key), its `{name}`s filled in; level words from `levels`. */
export function whyText(sentences: Readonly<Record<ImportWhyKey, string>>, why: ImportWhy, levels: Readonly<Record<LevelWord, string>> = LEVEL_WORDS_EN): string {
  return sentences[why.key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in why.values)) return whole;
    const v = String(why.values[name]);
    return LEVEL_VALUES.has(name) && v in levels ? levels[v as LevelWord] : v;
  });
}

export const why = (key: ImportWhyKey, values: WhyValues = {}): ImportWhy => ({ key, values });

/** A bad row's reason as the API gives it: the English sentence beside its key and values. */
export const explained = (w: ImportWhy): { reason: string; why: ImportWhy } => ({ reason: whyText(IMPORT_WHY_EN, w), why: w });
