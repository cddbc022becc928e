// Shared arbitraries for the property/fuzz tests (server/fuzz*.test.ts): hostile values (wrong
// types, huge strings, deep nesting, prototype-pollution keys, NaN/Infinity-like text, unicode,
// RTL and zero-width characters, HTML and SQL text, out-of-range numbers), and a small description
// language for the shape of each ingest record and command body, from which fast-check derives
// valid values and single-field mutations that are certainly invalid. The descriptions are written
// from the documented contract (core/protocol.ts, core/cases/schemas.ts, ...), independently of the
// validators they check, so a validator that lets a bad value through is caught.
import fc from 'fast-check';
import { expect } from 'vitest';

// ---- counting ---------------------------------------------------------------------------------

/** Cases run per path (shrinking runs included), printed once per file. */
export class FuzzCounter {
  private readonly byPath = new Map<string, number>();
  hit(path: string): void {
    this.byPath.set(path, (this.byPath.get(path) ?? 0) + 1);
  }
  get total(): number {
    let n = 0;
    for (const v of this.byPath.values()) n += v;
    return n;
  }
  report(file: string, startedAt: number): string {
    const per = [...this.byPath].map(([p, n]) => `${p}: ${n}`).join(', ');
    return `[fuzz] ${file}: ${this.total} cases in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${per})`;
  }
}

/** fast-check settings: FUZZ_SEED reproduces a run, FUZZ_SCALE multiplies the run counts. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  const scale = Number(process.env.FUZZ_SCALE ?? 1) || 1;
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  return { numRuns: Math.max(1, Math.round(numRuns * scale)), ...(seed !== undefined ? { seed } : {}), endOnFailure: false };
}

// ---- hostile values ---------------------------------------------------------------------------

export const HOSTILE_TEXT = [
  '', ' ', '\t\n\r', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x1F', '1_000', 'null', 'undefined', 'true', '[]', '{}',
  '<script>alert(1)</script>', '<img src=x onerror=alert(document.cookie)>', '"><svg onload=alert(1)>', 'javascript:alert(1)',
  "'; DROP TABLE events; --", '" OR 1=1 --', "1' OR '1'='1", "Robert'); DELETE FROM events WHERE ('1'='1", '%', '_', '\\', "\\'",
  '\u202Egnp.exe', 'abc\u202Edef', '\u200F\u200E', 'a\u200Bb\u200Cc\u200Dd', '\uFEFF', '\u0000', 'a\u0000b', '\u0007\u001B[31m',
  '\uD800', '\uDFFF\uD800', '😀', '👨‍👩‍👧‍👦', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗', 'é', 'é', '中文案件', 'ＣＡＭ－０００１', '٣٤٠٨٠٣', '३४०८०३',
  '${jndi:ldap://evil/a}', '{{constructor.constructor("return process")()}}', '#{7*7}', '../../../../etc/passwd', '..\\..\\windows', '%2e%2e%2f',
  '%00', '%s%s%s%n', 'CAM-00001 ', ' CAM-00001', 'cam-00001', 'CAM-00001\n', 'linkage/up/test/devices', '+', '#',
] as const;

/** Text an attacker would try: the list above, random unicode, and long runs of it. */
export const hostileString = (maxLength = 2000): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_TEXT), fc.integer({ min: 1, max: Math.max(1, maxLength) })).map(([s, n]) => (s || 'x').repeat(n).slice(0, maxLength)) },
  );

/** A string of exactly `n` code units, mostly hostile text repeated. */
const sized = (n: number) => fc.constantFrom(...HOSTILE_TEXT.filter((s) => s.length > 0 && !/[\uD800-\uDFFF]/.test(s))).map((s) => s.repeat(Math.ceil(n / s.length)).slice(0, n));

/** Numbers that break naive code: zero signs, precision edges, huge and tiny magnitudes. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 0.1 + 0.2, -1e308, 1e308, 1.7976931348623157e308, Number.MIN_VALUE, -Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 1e21, 4_102_444_800_001, 1_577_836_799_999),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** A value nested `depth` levels deep (arrays or objects). */
export function nested(depth: number, leaf: unknown = 1, asObject = false): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

/**
 * A deep value that reports itself briefly: fast-check's printer recurses, and a counterexample
 * 3,000 levels deep would overflow the stack and hide the real failure. The symbol key is not
 * sent: neither JSON nor Socket.IO serialise symbol properties.
 */
export const deepValue = (maxDepth = 3000): fc.Arbitrary<unknown> =>
  fc.tuple(fc.integer({ min: 2, max: maxDepth }), fc.boolean()).map(([d, obj]) => {
    const value = nested(d, 'deep', obj) as object;
    Object.defineProperty(value, fc.toStringMethod, { value: () => `nested(${d}, 'deep', ${obj})`, enumerable: false });
    return value;
  });

/** An own, enumerable property even for `__proto__` (as JSON.parse creates it). */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', '__lookupGetter__', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin'];

/** A hostile object key; `proto` includes `__proto__` and `constructor` (Fastify refuses whole bodies carrying them). */
export const hostileKey = (proto: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...POLLUTION_KEYS.filter((k) => proto || (k !== '__proto__' && k !== 'constructor')), '', ' ', 'ID', 'id ', '$where', '$gt', 'records', 'a.b', 'a/b', '~0', '中文'),
    fc.string({ maxLength: 12 }).filter((k) => proto || (k !== '__proto__' && k !== 'constructor')),
  );

/**
 * Any hostile JSON-able value: primitives above, arrays where objects belong and objects where
 * arrays belong, pollution keys, deep nesting. `maxString` bounds the long strings.
 */
export function hostileValue(opts: { proto?: boolean; maxString?: number; maxDepth?: number } = {}): fc.Arbitrary<unknown> {
  const proto = opts.proto ?? true;
  const leaf = fc.oneof(
    { weight: 4, arbitrary: hostileString(opts.maxString ?? 2000) },
    { weight: 3, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  );
  const { value } = fc.letrec<{ value: unknown; obj: Record<string, unknown>; arr: unknown[] }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('arr'), tie('obj')),
    arr: fc.array(tie('value'), { maxLength: 4 }),
    obj: fc.array(fc.tuple(hostileKey(proto), tie('value')), { maxLength: 4 }).map((pairs) => pairs.reduce((o, [k, v]) => withKey(o, k, v), {} as Record<string, unknown>)),
  }));
  return fc.oneof({ weight: 8, arbitrary: value }, { weight: 1, arbitrary: deepValue(opts.maxDepth ?? 3000) });
}

/** Values that are not of JSON type `t`. */
export function notOfType(t: 'string' | 'number' | 'boolean' | 'object' | 'array'): fc.Arbitrary<unknown> {
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.oneof(fc.constantFrom('1', '0', 'NaN', 'Infinity', '1e309', 'true', '', '[object Object]'), hostileString(100))],
    ['number', hostileNumber],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.oneof(fc.constant([]), fc.array(hostileString(20), { maxLength: 3 }), fc.constant([{}]))],
    ['object', fc.oneof(fc.constant({}), fc.constant({ value: 1 }), fc.constant({ length: 1, 0: 'a' }))],
  ];
  return fc.oneof(...all.filter(([k]) => k !== t).map(([, a]) => a));
}

// ---- shape descriptions -------------------------------------------------------------------------

/** One field of a record or body: how to make it invalid, and whether it may be left out. */
export interface Field {
  invalid: fc.Arbitrary<unknown>;
  optional?: boolean;
  /** Nested closed object. */
  shape?: Shape;
}
export type Shape = Record<string, Field>;

const ID_BAD_CHARS = [' ', '/', '<', '>', "'", '"', ';', '\u200B', '\u202E', 'é', '中', '\n', '\u0000', '$', '{', '#', '+', '%', '*', '\\'];

export const f = {
  /** String of length [min, max] (UTF-16 units here; the schema counts the same for ASCII). */
  str: (min: number, max: number, optional = false): Field => ({
    optional,
    invalid: fc.oneof(notOfType('string'), ...(min > 0 ? [fc.constant('')] : []), sized(max + 1), fc.integer({ min: max + 1, max: max + 200 }).chain((n) => sized(n))),
  }),
  /** An id: ^[A-Za-z0-9_.:-]{1,64}$. */
  id: (optional = false): Field => ({
    optional,
    invalid: fc.oneof(
      notOfType('string'),
      fc.constantFrom('', 'x'.repeat(65), 'CAM-00001 ', ' CAM-00001', 'CAM-00001\n', 'ＣＡＭ１', '../etc', 'a/b', "1' OR '1'='1", '<b>x</b>'),
      fc.tuple(fc.stringMatching(/^[A-Za-z0-9_.:-]{0,20}$/), fc.constantFrom(...ID_BAD_CHARS), fc.stringMatching(/^[A-Za-z0-9_.:-]{0,20}$/)).map(([a, c, b]) => a + c + b),
    ),
  }),
  /** One of the listed strings. */
  oneOf: (values: readonly string[], optional = false): Field => ({
    optional,
    invalid: fc.oneof(
      notOfType('string'),
      fc.constantFrom(...values.flatMap((v) => [v.toUpperCase(), ` ${v}`, `${v} `, `${v}\u200B`, v.slice(0, -1)])).filter((v) => !values.includes(v)),
      hostileString(100).filter((v) => !values.includes(v)),
    ),
  }),
  /** A finite number in [min, max] (unbounded: any finite number). */
  num: (min = -Infinity, max = Infinity, optional = false): Field => ({
    optional,
    invalid: fc.oneof(
      notOfType('number'),
      ...(min > -Infinity ? [fc.double({ min: -1e308, max: min, noNaN: true }).filter((x) => x < min), fc.constant(-1e308)] : []),
      ...(max < Infinity ? [fc.double({ min: max, max: 1e308, noNaN: true }).filter((x) => x > max), fc.constant(1e308)] : []),
    ),
  }),
  /** An integer in [min, max]. */
  int: (min: number, max: number, optional = false): Field => ({
    optional,
    invalid: fc.oneof(
      notOfType('number'),
      fc.constantFrom(min - 1, max + 1, min + 0.5, -1e308, 1e308, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER).filter((x) => !(Number.isInteger(x) && x >= min && x <= max)),
      fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((x) => !(Number.isInteger(x) && x >= min && x <= max)),
    ),
  }),
  /** UTC milliseconds between 2020 and 2100. */
  millis: (optional = false): Field => f.int(1_577_836_800_000, 4_102_444_800_000, optional),
  bool: (optional = false): Field => ({ optional, invalid: fc.oneof(notOfType('boolean'), fc.constantFrom('true', 'false', 0, 1, 'yes')) }),
  /** ^\d{4}$ (an event class code). */
  code4: (optional = false): Field => ({
    optional,
    invalid: fc.oneof(notOfType('string'), fc.constantFrom('', '010', '01020', '01a2', '0102\n', ' 0102', '٠١٠٢', '０１０２', '1e3', '-102')),
  }),
  /** A closed object (additionalProperties: false). */
  obj: (shape: Shape, optional = false): Field => ({ optional, shape, invalid: fc.oneof(notOfType('object'), fc.constant([])) }),
  /** Anything but an array of valid items (only the wrong type is generated). */
  arr: (optional = false): Field => ({ optional, invalid: notOfType('array') }),
};

/** What a single mutation did, so the error can be checked to name it. */
export interface Mutation {
  op: 'set' | 'drop' | 'extra' | 'replace';
  path: string[];
  value?: unknown;
}

function leaves(shape: Shape, prefix: string[] = []): Array<{ path: string[]; field: Field }> {
  return Object.entries(shape).flatMap(([k, field]) => [{ path: [...prefix, k], field }, ...(field.shape ? leaves(field.shape, [...prefix, k]) : [])]);
}
function objects(shape: Shape, prefix: string[] = []): Array<{ path: string[]; keys: string[] }> {
  return [{ path: prefix, keys: Object.keys(shape) }, ...Object.entries(shape).flatMap(([k, field]) => (field.shape ? objects(field.shape, [...prefix, k]) : []))];
}

/**
 * One mutation that makes a valid value of `shape` invalid: a field set to a bad value, a required
 * field dropped, an unknown key added to a closed object, or the whole value replaced by a non-object.
 * `reserved` top-level keys are set by the server whatever the client sends, so adding them is no mutation.
 */
export function mutation(shape: Shape, opts: { proto: boolean; reserved?: readonly string[] }): fc.Arbitrary<Mutation> {
  const all = leaves(shape);
  const required = all.filter((l) => !l.field.optional);
  const closed = objects(shape);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...all).chain((l) => l.field.invalid.map((value): Mutation => ({ op: 'set', path: l.path, value }))) },
    { weight: 2, arbitrary: fc.constantFrom(...required).map((l): Mutation => ({ op: 'drop', path: l.path })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...closed).chain((o) =>
        fc.tuple(hostileKey(opts.proto).filter((k) => !o.keys.includes(k) && !(o.path.length === 0 && opts.reserved?.includes(k))), hostileValue({ proto: opts.proto, maxString: 200, maxDepth: 50 })).map(([k, value]): Mutation => ({ op: 'extra', path: [...o.path, k], value })),
      ),
    },
    { weight: 1, arbitrary: fc.oneof(notOfType('object'), fc.constant([]), fc.constant([{}])).map((value): Mutation => ({ op: 'replace', path: [], value })) },
  );
}

/** A deep copy of `valid` with the mutation applied (the parent object is created when a set lands inside an absent optional object). */
export function applyMutation(valid: unknown, m: Mutation): unknown {
  if (m.op === 'replace') return m.value;
  const copy = structuredClone(valid) as Record<string, unknown>;
  let target = copy;
  for (const k of m.path.slice(0, -1)) {
    if (!target[k] || typeof target[k] !== 'object') target[k] = {};
    target = target[k] as Record<string, unknown>;
  }
  const key = m.path[m.path.length - 1];
  if (m.op === 'drop') delete target[key];
  else withKey(target, key, m.value);
  return copy;
}

/** True when the mutation certainly makes `valid` invalid (a set of an optional field inside an absent object is still invalid). */
export function effective(valid: unknown, m: Mutation): boolean {
  if (m.op !== 'drop') return true;
  // Dropping a field of an optional object that is absent changes nothing.
  let v = valid as Record<string, unknown> | undefined;
  for (const k of m.path.slice(0, -1)) v = v?.[k] as Record<string, unknown> | undefined;
  return v !== undefined && m.path[m.path.length - 1] in v;
}

/** JSON pointer of a mutation's path ('' for the whole value). */
export const pointer = (path: string[]) => path.map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

// ---- expectations -------------------------------------------------------------------------------

/** A refusal body: `{ code, message }` with both non-empty strings. */
export function expectCodedError(body: unknown, context: string): { code: string; message: string } {
  expect(body, context).toBeTypeOf('object');
  const b = body as { code?: unknown; message?: unknown };
  expect(typeof b.code === 'string' && b.code.length > 0, `${context}: no code in ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
  expect(typeof b.message === 'string' && b.message.trim().length > 0, `${context}: no message in ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
  return b as { code: string; message: string };
}

/** What a refusal of this mutation must mention: the name of the field that was wrong. */
export function mentionOf(m: Mutation): string | null {
  if (m.op === 'replace') return null;
  const key = m.path[m.path.length - 1];
  // Named as in a JSON pointer (~ and / escaped).
  return key === '' ? null : key.replace(/~/g, '~0').replace(/\//g, '~1');
}

