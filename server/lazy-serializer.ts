// Response serializers compiled at a route's first answer instead of at start: Fastify compiles
// every route's fast-json-stringify serializer while it starts (~200 ms of a restart here for 55
// operations, bench/crash.ts restartMs), though most routes are not asked for in the first seconds.
// The same compiler Fastify uses by default (fast-json-stringify with the schema as written).
import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

export const lazySerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | null = null;
  return (data: unknown) => (serialize ??= fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]))(data);
};
