import { describe, expect, it } from 'vitest';
import { IMPORT_WHY_EN, whyText, why, type ImportWhyKey } from '../../../core/import-why.ts';
import { IMPORT_WHY_ZH, LEVEL_WORDS_ZH } from './whyZh.ts';

const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('import reasons in Chinese', () => {
  it('name the same values as the English ones, so no {placeholder} is left on screen', () => {
    for (const key of Object.keys(IMPORT_WHY_EN) as ImportWhyKey[]) expect(names(IMPORT_WHY_ZH[key]), key).toEqual(names(IMPORT_WHY_EN[key]));
  });
  it('are written with their values', () => {
    expect(whyText(IMPORT_WHY_ZH, why('townshipMismatch', { there: '花山街道', code: '340803002', named: '德宽路街道' }))).toBe('点位位于花山街道（340803002），不在德宽路街道：请核对坐标和坐标系');
    expect(whyText(IMPORT_WHY_ZH, why('listedAlready', { id: 'BC-1', row: 3 }))).toBe('“BC-1”已在第 3 行列出');
    expect(whyText(IMPORT_WHY_ZH, why('townshipOther', { there: '340803002', named: '340803001' }))).toBe('点位位于街道/乡镇 340803002，不在 340803001');
  });
  it('name boundary levels in Chinese, and only the values that are levels', () => {
    expect(whyText(IMPORT_WHY_ZH, why('codeDigits', { level: 'grid', digits: 15, code: '3408030010020' }), LEVEL_WORDS_ZH)).toBe('网格编码应为 15 位数字，而不是“3408030010020”');
    expect(whyText(IMPORT_WHY_ZH, why('otherLevel', { code: '340803001', known: 'township', level: 'community' }), LEVEL_WORDS_ZH)).toBe('340803001 在本区是街道/乡镇，不是社区');
    // A code that happens to read "grid" elsewhere stays as written.
    expect(whyText(IMPORT_WHY_ZH, why('notPolygon', { type: 'grid' }), LEVEL_WORDS_ZH)).toBe('边界须为 Polygon 或 MultiPolygon，而不是 grid');
  });
});
