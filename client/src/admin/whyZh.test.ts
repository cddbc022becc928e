import { describe, expect, it } from 'vitest';
import { LEDGER_WHY_EN, whyText, why, type LedgerWhyKey } from '../../../core/ledger-why.ts';
import { LEDGER_WHY_ZH } from './whyZh.ts';

const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('ledger reasons in Chinese', () => {
  it('name the same values as the English ones, so no {placeholder} is left on screen', () => {
    for (const key of Object.keys(LEDGER_WHY_EN) as LedgerWhyKey[]) expect(names(LEDGER_WHY_ZH[key]), key).toEqual(names(LEDGER_WHY_EN[key]));
  });
  it('are written with their values', () => {
    expect(whyText(LEDGER_WHY_ZH, why('townshipMismatch', { there: '花山街道', code: '340803002', named: '德宽路街道' }))).toBe('点位位于花山街道（340803002），不在德宽路街道：请核对坐标和坐标系');
    expect(whyText(LEDGER_WHY_ZH, why('listedAlready', { id: 'BC-1', row: 3 }))).toBe('“BC-1”已在第 3 行列出');
  });
});
