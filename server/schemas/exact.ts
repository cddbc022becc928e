// Response schemas are written once per read model and held to it: `exactly<T>()(schema)` compiles
// only when the schema's static type and the read model's interface are each assignable to the
// other, so a field added to (or retyped in) core/ breaks tsc here rather than being dropped from
// the answer by Fastify's serializer; the keys are compared too, deeply, so an optional field the
// schema forgets fails as well (inside unions of objects only the run-time check below sees it).
// Test servers also check every reply at run time (strictResponses in ../http-errors.ts).
import { Type, type Static, type TSchema } from 'typebox';

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/** The same keys at every level of objects and arrays (nulls set aside; unions are not compared). */
type SameKeys<A0, B0, A = NonNullable<A0>, B = NonNullable<B0>> = true extends IsUnion<A> | IsUnion<B> ? true
  : [A] extends [readonly (infer X)[]] ? ([B] extends [readonly (infer Y)[]] ? SameKeys<X, Y> : false)
  : [A] extends [object] ? ([B] extends [object]
    ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? ({ [K in keyof A]-?: SameKeys<A[K], B[K & keyof B]> }[keyof A] extends true ? true : false) : false) : false)
    : false)
  : true;

/** The schema, if it describes T both ways; else tsc asks for a second argument naming the drift. */
export const exactly = <T>() => <S extends TSchema>(schema: S, ..._drift: [Mutual<Static<S>, T>, SameKeys<Static<S>, T>] extends [true, true] ? [] : ['the schema and the read model differ']) => schema;

export const Nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
