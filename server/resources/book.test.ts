import { describe, expect, it } from 'vitest';
import type { EmergencyResource } from '../../core/resources.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { RESOURCE_IMPORTED, ResourceBook } from './book.ts';

const shelter = (id: string, capacity: number): EmergencyResource => ({
  id, kind: 'shelter', name: `避难场所${id}`, lon: 117.03, lat: 30.51, townshipCode: '340803001', address: '', phone: '0556-5500001', capacity,
});
const imported = (seq: number, ts: number, changed: EmergencyResource[]): StoredEvent => ({
  seq, ts, recordedAt: ts, type: RESOURCE_IMPORTED, subject: 'resources', data: { changed, source: `file-${seq}.csv` },
});
const capacities = (list: EmergencyResource[]) => Object.fromEntries(list.map((r) => [r.id, r.capacity]));

describe('ResourceBook', () => {
  // The dataset has SH-1 (100 people); at 10:00 an import adds SH-2 (50); at 11:00 another raises SH-1 to 300.
  const book = new ResourceBook([shelter('SH-1', 100)]);
  book.apply([imported(5, 36_000_000, [shelter('SH-2', 50)]), imported(9, 39_600_000, [shelter('SH-1', 300)])]);

  it('gives today the imports applied in log order, standing since the last', () => {
    expect(capacities(book.now().resources)).toEqual({ 'SH-1': 300, 'SH-2': 50 });
    expect(book.now()).toMatchObject({ since: 39_600_000, until: null });
  });

  it('gives a past moment the list as it stood then, and the span it stood unchanged', () => {
    expect(book.at(35_999_999)).toEqual({ resources: [shelter('SH-1', 100)], since: null, until: 36_000_000 });
    const between = book.at(36_000_000);
    expect(capacities(between.resources)).toEqual({ 'SH-1': 100, 'SH-2': 50 });
    expect(between).toMatchObject({ since: 36_000_000, until: 39_600_000 });
    expect(capacities(book.at(39_600_000).resources)).toEqual({ 'SH-1': 300, 'SH-2': 50 });
    expect(book.at(39_600_000)).toMatchObject({ since: 39_600_000, until: null });
  });

  it('applies an event once, and skips events of other types', () => {
    book.apply([imported(9, 39_600_000, [shelter('SH-1', 999)]), { seq: 10, ts: 40_000_000, recordedAt: 40_000_000, type: 'case:reported', subject: 'c', data: {} }]);
    expect(capacities(book.now().resources)).toEqual({ 'SH-1': 300, 'SH-2': 50 });
    expect(book.seq).toBe(10);
  });
});
