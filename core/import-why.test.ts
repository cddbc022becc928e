import { describe, expect, it } from 'vitest';
import { IMPORT_WHY_EN, why, whyText } from './import-why.ts';

describe('import reasons', () => {
  it('fill each {name} with its value, and leave a name without a value as written', () => {
    expect(whyText(IMPORT_WHY_EN, why('tooLong', { max: 64, length: 70 }))).toBe('longer than 64 characters (70)');
    expect(whyText(IMPORT_WHY_EN, why('notLongitude', { value: 'east' }))).toBe('"east" is not a longitude');
    expect(whyText(IMPORT_WHY_EN, why('notLatitude'))).toBe('"{value}" is not a latitude');
    expect(whyText(IMPORT_WHY_EN, why('parentUnknown', { parentLevel: 'community', parent: '340803001009' }))).toBe('its community 340803001009 is neither in the district nor earlier in this file');
  });
});
