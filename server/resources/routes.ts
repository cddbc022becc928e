// HTTP of the emergency resources: the list a screen draws (its area's), and the admin's import.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EmergencyResourceSchema, resourceInArea } from '../../core/resources.ts';
import { IMPORT_FORMATS, planImport } from '../../core/resources-import.ts';
import { auditActorOf } from '../../core/accounts.ts';
import type { BBox } from '../../core/dataset.ts';
import { DISTRICT_CODE } from '../../core/org.ts';
import { Ok, replies, sendFailure } from '../http-errors.ts';
import { LEDGER_CRS } from '../../core/ledger.ts';
import { importToken, STALE_TOKEN } from '../import-token.ts';
import { ImportWhySchema } from '../schemas/import-why.ts';
import { RESOURCE_IMPORTED, type ResourceBook, type ResourcesImported } from './book.ts';

const Scope = Type.Object({ scope: Type.Optional(Type.String({ pattern: `^${DISTRICT_CODE}(\\d{3}){0,2}$`, description: "district, township or community code (default: the account's area)" })) });
const ListQuery = Type.Object({
  ...Scope.properties,
  at: Type.Optional(Type.Integer({ minimum: 0, description: 'a past moment (UTC ms, as a replay shows it): the list as it stood then; default now' })),
});
const ResourceListSchema = Type.Object({
  area: Type.String(),
  resources: Type.Array(EmergencyResourceSchema),
  since: Type.Union([Type.Integer(), Type.Null()], { description: 'when the import that made this list was committed (UTC ms; null: the dataset\'s list)' }),
  until: Type.Union([Type.Integer(), Type.Null()], { description: 'when the next import was committed (UTC ms; null: none since): a replay keeps this list for moments before it' }),
});
const ImportBody = Type.Object(
  {
    format: Type.Enum(IMPORT_FORMATS),
    /** The file's text: CSV with a header row, or a GeoJSON FeatureCollection of Points (WGS84). */
    text: Type.String({ maxLength: 900_000 }),
    /** The file's name, for the audit log. */
    source: Type.String({ minLength: 1, maxLength: 120 }),
    /** The file's coordinate system (default WGS84); positions are stored in WGS84. */
    crs: Type.Optional(Type.Enum(LEDGER_CRS, { description: 'coordinate system of the file: WGS84 (GPS, the default), GCJ02 (Amap, Tencent) or BD09 (Baidu)' })),
    /** false: a dry run (nothing stored); true: store the added and changed rows. */
    apply: Type.Boolean(),
    token: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the dry run\'s token: an apply must send it (the same file and options as the dry run)' })),
  },
  { additionalProperties: false },
);
const Change = Type.Object({ row: Type.Integer(), id: Type.String(), name: Type.String(), fields: Type.Array(Type.String()) });
const ImportResultSchema = Type.Object({
  applied: Type.Boolean(),
  rows: Type.Integer(),
  added: Type.Array(Change),
  changed: Type.Array(Change),
  unchanged: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), reason: Type.String({ description: 'in English' }), why: ImportWhySchema })),
  /** The log's sequence number of the stored import (null: nothing stored). */
  seq: Type.Union([Type.Integer(), Type.Null()]),
  token: Type.String({ description: 'send it back with apply: true to store exactly this file with these options' }),
});

export const resourceRoutes: FastifyPluginAsync<{ book: ResourceBook; bbox: BBox; now: () => number; townshipAt: (lon: number, lat: number) => string }> = async (fastify, { book, bbox, now, townshipAt }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['resources'];

  app.get('/resources', {
    // Shelters and depots are a township's (it evacuates into them); teams, fire stations and
    // hospitals serve the whole district, so every area sees them (core/resources.ts resourceInArea).
    config: { read: 'area' },
    schema: { summary: "Emergency resources of the reader's area: its township's shelters and depots, the district's teams, fire stations and hospitals (now, or at a replayed moment)", tags, querystring: ListQuery, response: replies(Ok(ResourceListSchema)) },
  }, async (req) => {
    const { resources, since, until } = req.query.at === undefined ? book.now() : book.at(req.query.at);
    return { ok: true as const, data: { area: req.area, resources: resources.filter((r) => resourceInArea(req.area, r)), since, until } };
  });

  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    // With AUTH_MODE=declared (development) nobody is signed in: the import needs an admin all the same.
    if (!req.signedIn) return sendFailure(reply, 'UNAUTHORIZED', 'sign in as an admin to import resources');
    if (req.signedIn.account.role !== 'admin') return sendFailure(reply, 'FORBIDDEN', 'only an admin imports resources');
  };

  app.post('/resources/import', {
    config: { read: 'admin' },
    preHandler: admin,
    schema: {
      summary: 'Import emergency resources from CSV or GeoJSON (admin): a dry run lists what would be added or changed and every bad row and answers a token; apply with that token stores the good rows (one bad row costs only itself); the same file again changes nothing',
      tags,
      body: ImportBody,
      response: replies(Ok(ImportResultSchema)),
    },
  }, async (req, reply) => {
    const { format, text, source, apply } = req.body;
    const crs = req.body.crs ?? 'WGS84';
    const token = importToken(text, [format, crs]);
    if (apply && req.body.token === undefined) return sendFailure(reply, 'BAD_REQUEST', '/token is required to apply: run the dry run (apply: false) and send its token');
    if (apply && req.body.token !== token) return sendFailure(reply, STALE_TOKEN.code, STALE_TOKEN.message);
    // Decided on the latest state: an import another node committed a moment ago counts.
    await app.store.catchUp();
    const plan = planImport(format, text, (id) => book.get(id), bbox, { crs, townshipAt });
    if ('fileError' in plan) return sendFailure(reply, 'BAD_REQUEST', `${source}: ${plan.fileError}`);
    let seq: number | null = null;
    if (apply && plan.apply.length > 0) {
      const data: ResourcesImported = { changed: plan.apply, source };
      // Answered only once durable; the book applies it from the commit like any node's.
      const [stored] = await app.store.append([{ type: RESOURCE_IMPORTED, subject: 'resources', ts: now(), data }]);
      seq = stored.seq;
      await app.audit.record({
        action: 'resource:import', actor: auditActorOf(req.signedIn!.account), scope: DISTRICT_CODE, subject: source,
        after: { added: plan.added.map((c) => c.id), changed: plan.changed.map((c) => c.id), rejectedRows: plan.errors.map((e) => e.row), seq },
      });
    }
    const { apply: _rows, ...result } = plan;
    return { ok: true as const, data: { applied: seq !== null, ...result, seq, token } };
  });
};
