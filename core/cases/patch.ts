// A case change in its smallest form: the fields that differ between the state a screen already
// holds (`from`, a version) and the new one. A screen sent a case once (snapshot, case:reported or
// a delta) then gets only what changed: a dispatch is ~150 bytes instead of the ~1 KB case.
import type { CaseState } from './model.ts';

export interface CasePatch {
  id: string;
  /** The version the patch applies to. */
  from: number;
  /** The fields that changed, with their new values (always `version`). */
  set: Partial<CaseState>;
}

const same = (a: unknown, b: unknown): boolean =>
  a === b || (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/** The patch from `base` to `next` (the same case, `next` newer). */
export function casePatch(base: CaseState, next: CaseState): CasePatch {
  const set: Partial<Record<keyof CaseState, unknown>> = { version: next.version };
  for (const k of Object.keys(next) as Array<keyof CaseState>) {
    if (!same(base[k], next[k])) set[k] = next[k];
  }
  return { id: next.id, from: base.version, set: set as Partial<CaseState> };
}

/**
 * What a screen holding `held` makes of a patch: the new state, 'stale' when it already holds that
 * version or a newer one (a command's answer got there first), 'missing' when it does not hold the
 * version the patch starts from (it must take a fresh snapshot).
 */
export function applyCasePatch(held: CaseState | undefined, p: CasePatch): CaseState | 'stale' | 'missing' {
  const to = p.set.version ?? p.from;
  if (held && held.version >= to) return 'stale';
  if (!held || held.version !== p.from) return 'missing';
  return { ...held, ...p.set };
}
