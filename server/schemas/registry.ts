// HTTP shapes of the device registry (core/registry.ts).
import { Type } from 'typebox';
import { REGISTRY_KINDS } from '../../core/registry.ts';
import { LEDGER_CRS, LEDGER_FIELDS } from '../../core/ledger.ts';
import { ImportWhySchema } from './import-why.ts';

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

/** A ledger file to import (core/ledger.ts): its bytes, name, coordinate system and optional column mapping. */
export const LedgerFileSchema = Type.Object({
  file: Type.String({ minLength: 1, maxLength: 16 * 1024 * 1024, description: 'the .csv (UTF-8 or GBK) or .xlsx file, base64' }),
  filename: Type.String({ minLength: 1, maxLength: 200 }),
  crs: Type.Enum(LEDGER_CRS, { description: 'coordinate system of the file: WGS84 (GPS), GCJ02 (Amap, Tencent) or BD09 (Baidu)' }),
  mapping: Type.Optional(Type.Object(Object.fromEntries(LEDGER_FIELDS.map((f) => [f, Type.Optional(Type.String({ minLength: 1, maxLength: 64 }))])), { additionalProperties: false, description: 'field → header of the column holding it, where the headers are not the usual ones' })),
  retireMissing: Type.Optional(Type.Boolean({ description: 'retire the devices in service of the kinds the ledger lists that it does not list' })),
}, { additionalProperties: false });

export const LedgerApplySchema = Type.Object({ ...LedgerFileSchema.properties, token: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the dry run\'s token' }) }, { additionalProperties: false });

const Change = Type.Object({
  row: Type.Union([Type.Integer(), Type.Null()], { description: 'row in the file (header = 1); null for a device retired because the ledger no longer lists it' }),
  action: Type.Enum(['new', 'updated', 'unchanged', 'retired'] as const),
  kind: RegistryKindSchema,
  id: Type.String(),
  name: Type.String(),
  changes: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), lon: Type.Optional(Type.Number()), lat: Type.Optional(Type.Number()), ai: Type.Optional(Type.Boolean()), streamUrl: Type.Optional(Type.String()) })),
});
export const LedgerReportSchema = Type.Object({
  token: Type.String({ description: 'send it back to apply exactly this file with these options' }),
  filename: Type.String(),
  counts: Type.Object({ new: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), retired: Type.Integer(), bad: Type.Integer() }),
  changes: Type.Array(Change),
  bad: Type.Array(Type.Object({
    row: Type.Integer(),
    column: Type.String(),
    reason: Type.String({ description: 'in English' }),
    why: ImportWhySchema,
  })),
  applied: Type.Optional(Type.Integer({ description: 'events logged (apply only)' })),
});
