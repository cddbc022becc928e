import { describe, expect, it } from 'vitest';
import { LEDGER_WHY_EN, why, whyText } from './ledger-why.ts';

describe('ledger reasons', () => {
  it('fill each {name} with its value, and leave a name without a value as written', () => {
    expect(whyText(LEDGER_WHY_EN, why('tooLong', { max: 64, length: 70 }))).toBe('longer than 64 characters (70)');
    expect(whyText(LEDGER_WHY_EN, why('notLongitude', { value: 'east' }))).toBe('"east" is not a longitude');
    expect(whyText(LEDGER_WHY_EN, why('notLatitude'))).toBe('"{value}" is not a latitude');
  });
});
