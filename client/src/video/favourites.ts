// Favourite cameras (★) of this screen, kept in the browser's localStorage: a wall screen keeps its
// own list across restarts, and another screen has its own.
const KEY = 'linkage.video.favourites';

/** The list with `id` added at the end, or taken out if it was there. Pure. */
export function toggleFavourite(list: readonly string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

export function readFavourites(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function writeFavourites(list: readonly string[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    /* private mode: the stars last until the page closes */
  }
}
