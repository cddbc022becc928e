// HTTP shapes of the device registry (core/registry.ts).
import { Type } from 'typebox';
import { REGISTRY_KINDS } from '../../core/registry.ts';

export const RegistryKindSchema = Type.Enum(REGISTRY_KINDS);

export const RegisteredDeviceSchema = Type.Object({
  kind: RegistryKindSchema,
  id: Type.String(),
  index: Type.Integer({ description: 'its index in its layer (status arrays, map points)' }),
  name: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  ai: Type.Boolean(),
  streamUrl: Type.Union([Type.String(), Type.Null()]),
  retired: Type.Boolean(),
});

export const RegistryParams = Type.Object({ kind: RegistryKindSchema, id: Type.String({ minLength: 1, maxLength: 64 }) });
export const RetireBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
