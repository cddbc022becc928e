// Bounded context: the district's geography (admin imports). GET /api/boundaries is every boundary
// an import drew (district-wide on purpose: the map is the same on every screen); the dry run and the
// apply of a GeoJSON of townships, communities or grids are the admin's.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { auditActorOf } from '../../core/accounts.ts';
import { BOUNDARY_LEVELS } from '../../core/boundaries.ts';
import { Ok, replies, sendFailure, sendResult } from '../http-errors.ts';
import { BoundaryApplySchema, BoundaryFileSchema, BoundaryReportSchema, type BoundaryImport } from '../geography/boundary-import.ts';

const Geometry = Type.Object({ type: Type.Enum(['Polygon', 'MultiPolygon'] as const), coordinates: Type.Array(Type.Any()) });
const BoundarySchema = Type.Object({ level: Type.Enum(BOUNDARY_LEVELS), code: Type.String(), name: Type.String(), parentCode: Type.String(), geometry: Geometry });

export const boundaryRoutes: FastifyPluginAsync<{ boundaries: BoundaryImport }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['geography'];
  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.signedIn) return sendFailure(reply, 'UNAUTHORIZED', 'sign in first');
    if (req.signedIn.account.role !== 'admin') return sendFailure(reply, 'FORBIDDEN', 'only an admin imports boundaries');
  };
  const importLimit = 24 * 1024 * 1024;

  app.get('/boundaries', {
    config: { read: 'district' },
    schema: { summary: 'Townships, communities and grids drawn by imports since the dataset (WGS84), in the order drawn', tags, response: replies(Ok(Type.Array(BoundarySchema))) },
  }, async () => ({ ok: true as const, data: app.projector.district.drawnBoundaries() }));

  app.post('/boundaries/import/dry-run', {
    config: { read: 'admin' }, preHandler: admin, bodyLimit: importLimit,
    schema: { summary: 'Dry run of a GeoJSON of townships, communities or grids (admin): what would be new, redrawn or unchanged, and every bad feature; nothing is applied', tags, body: BoundaryFileSchema, response: replies(Ok(BoundaryReportSchema)) },
  }, async (req, reply) => sendResult(reply, await opts.boundaries.dryRun(req.body)));

  app.post('/boundaries/import/apply', {
    config: { read: 'admin' }, preHandler: admin, bodyLimit: importLimit,
    schema: { summary: 'Apply a boundary GeoJSON (admin): the same file and options as the dry run, with its token; bad features are skipped, a second apply changes nothing', tags, body: BoundaryApplySchema, response: replies(Ok(BoundaryReportSchema)) },
  }, async (req, reply) => {
    const { token, ...file } = req.body;
    return sendResult(reply, await opts.boundaries.apply(file, token, { actor: auditActorOf(req.signedIn!.account), source: 'admin' }));
  });
};
