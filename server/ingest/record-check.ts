// Per-record validation: a batch is checked record by record so one bad record never drops its
// neighbours, and each error names the record and the field.
import type { TSchema, Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { ERROR_CODES, type RecordError } from '../../core/protocol.ts';

export interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Turns the validator's errors into one readable message per field (unions of literals read "must be one of ..."). */
export function describeErrors(errors: readonly SchemaError[]): Array<{ field: string; message: string }> {
  const byField = new Map<string, SchemaError[]>();
  for (const e of errors) {
    const list = byField.get(e.instancePath) ?? [];
    list.push(e);
    byField.set(e.instancePath, list);
  }
  const out: Array<{ field: string; message: string }> = [];
  for (const [field, list] of byField) {
    const enumError = list.find((e) => e.keyword === 'enum');
    const allowed = enumError
      ? (enumError.params.allowedValues as unknown[]).map(String)
      : list.filter((e) => e.keyword === 'const').map((e) => String(e.params.allowedValue));
    if (allowed.length > 0) {
      out.push({ field, message: `must be one of: ${allowed.join(', ')}` });
      continue;
    }
    // additionalProperties: false reports the extra property itself as matching schema `false`.
    if (list.some((e) => e.keyword === 'boolean' && e.message === 'schema is false')) {
      out.push({ field, message: 'is not an allowed property' });
      continue;
    }
    const specific = list.find((e) => e.keyword !== 'anyOf');
    out.push({ field, message: (specific ?? list[0]).message });
  }
  return out;
}

export type CheckResult<T> = { ok: true; value: T } | { ok: false; error: RecordError };

export function recordChecker<S extends TSchema>(schema: S): (value: unknown, index: number) => CheckResult<Static<S>> {
  const compiled = Compile(schema);
  return (value, index) => {
    if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
    const [first] = describeErrors([...compiled.Errors(value)] as SchemaError[]);
    const id = value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : undefined;
    return {
      ok: false,
      error: { index, ...(id !== undefined ? { id } : {}), field: first?.field ?? '', code: ERROR_CODES.invalidRecord, message: first?.message ?? 'invalid record' },
    };
  };
}

type Checker = { Check(v: unknown): boolean; Errors(v: unknown): Iterable<unknown> };

/**
 * The problem of a value of a union of objects told apart by `key` (`type`, `mode`, ...), checked
 * against THE variant it names: a whole-union check reports the fields of whichever variant it
 * tried first ("must have required properties whistleId, caseId, ..." for a bad `type`). Returns
 * null when valid, else `<at><field> <message>`.
 */
export function unionProblem(union: TSchema, key = 'type'): (value: unknown, at?: string) => string | null {
  const variants = new Map<string, Checker>(
    (union as unknown as { anyOf: Array<{ properties: Record<string, { const: string }> }> }).anyOf.map((v) => [v.properties[key].const, Compile(v as never) as Checker]),
  );
  return (value, at = '') => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return `${at || 'payload'} must be an object`;
    const tag = (value as Record<string, unknown>)[key];
    const check = typeof tag === 'string' ? variants.get(tag) : undefined;
    if (!check) return `${at}/${key} must be one of: ${[...variants.keys()].join(', ')}`;
    if (check.Check(value)) return null;
    const [first] = describeErrors([...check.Errors(value)] as SchemaError[]);
    return first ? `${at}${first.field} ${first.message}`.trim() : `${at || 'payload'} is invalid`;
  };
}
