// JSON text as every transport receives it (HTTP bodies, MQTT payloads): parsed once by
// secure-json-parse, the guard Fastify's own parser uses, and when it refuses a text, the forbidden
// key found and named, so one polluted record can be refused without its neighbours.
import sjson from 'secure-json-parse';

/** JSON pointer of the first `__proto__` key or `constructor` object with a `prototype`, or null. Iterative: deep nesting cannot overflow the stack. */
export function pollutionKey(value: unknown): string | null {
  // secure-json-parse's scan decides (null: a forbidden key is there); the walk below only names it.
  if (value === null || typeof value !== 'object' || sjson.scan(value, { safe: true }) !== null) return null;
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const key of Object.keys(v)) {
      const child = (v as Record<string, unknown>)[key];
      const where = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === '__proto__') return where;
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) return `${where}/prototype`;
      stack.push([child, where]);
    }
  }
  return null;
}

/**
 * JSON text parsed once by secure-json-parse: `clean` when it found no forbidden key anywhere (then
 * nothing below needs scanning again). A text it refuses is parsed again with JSON.parse, which makes
 * `__proto__` an own key (never the prototype), so the caller can name the key, or refuse only the
 * records that carry one. Throws JSON.parse's SyntaxError (message and position) for text that is
 * not JSON, a leading byte order mark included (callers that allow one strip it first).
 */
export function parseJsonText(text: string): { value: unknown; clean: boolean } {
  if (text.charCodeAt(0) === 0xfeff) return { value: JSON.parse(text), clean: false }; // throws, as JSON.parse always did
  try {
    return { value: sjson.parse(text), clean: true };
  } catch {
    return { value: JSON.parse(text), clean: false };
  }
}

/** Per record index, the JSON pointer of its forbidden key; null when none carries one. Only needed for records of a text parseJsonText found not clean. */
export type PollutedRecords = ReadonlyMap<number, string>;
export function pollutedRecords(records: readonly unknown[]): PollutedRecords | null {
  let found: Map<number, string> | null = null;
  for (let i = 0; i < records.length; i++) {
    const key = pollutionKey(records[i]);
    if (key !== null) (found ??= new Map()).set(i, key);
  }
  return found;
}
