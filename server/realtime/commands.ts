// Payload checks shared by the socket handlers (server/realtime/handlers) and the HTTP routes: the
// first schema problem as a message naming the field, case commands checked against the variant
// their type names.
import { Compile } from 'typebox/compile';
import { CaseCommandSchema } from '../../core/cases/schemas.ts';
import { describeErrors, type SchemaError } from '../ingest/record-check.ts';

type Checker = { Check(v: unknown): boolean; Errors(v: unknown): Iterable<SchemaError> };
/** null when valid, else a message naming the field. */
export function schemaProblem(check: Checker, value: unknown): string | null {
  if (check.Check(value)) return null;
  const [first] = describeErrors([...check.Errors(value)]);
  return first ? `${first.field || 'payload'} ${first.message}` : 'invalid payload';
}

/** One compiled check per command type, so an error names the field of THAT command rather than listing every type. */
const variantChecks = new Map<string, Checker>(
  CaseCommandSchema.anyOf.map((v) => [v.properties.type.const, Compile(v)]),
);

/** null when `cmd` is a valid case command, else what is wrong with it (prefixed with `at`). */
export function caseCommandProblem(cmd: unknown, at = ''): string | null {
  const type = cmd && typeof cmd === 'object' ? (cmd as { type?: unknown }).type : undefined;
  const check = typeof type === 'string' ? variantChecks.get(type) : undefined;
  if (!check) return `${at}/type must be one of: ${[...variantChecks.keys()].join(', ')}`;
  const p = schemaProblem(check, cmd);
  return p ? `${at}${p.startsWith('/') ? '' : ' '}${p}`.trim() : null;
}
