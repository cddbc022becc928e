// The reason of a bad import row as a key with values (core/import-why.ts), described once for the
// three imports' responses (device ledger, emergency resources, boundaries).
import { Type } from 'typebox';
import { IMPORT_WHY_EN, type ImportWhyKey } from '../../core/import-why.ts';

export const ImportWhySchema = Type.Object(
  {
    key: Type.Unsafe<ImportWhyKey>({ type: 'string', enum: Object.keys(IMPORT_WHY_EN) }),
    values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  },
  { description: 'the reason as a key of core/import-why.ts and its values, for a screen to say in its language' },
);
