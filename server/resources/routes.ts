// HTTP of the emergency resources: the list a screen draws (its area's), and the admin's import.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EmergencyResourceSchema, resourceInArea } from '../../core/resources.ts';
import { DISTRICT_CODE } from '../../core/org.ts';
import { Ok, replies } from '../http-errors.ts';
import type { ResourceBook } from './book.ts';

const Scope = Type.Object({ scope: Type.Optional(Type.String({ pattern: `^${DISTRICT_CODE}(\\d{3}){0,2}$`, description: "district, township or community code (default: the account's area)" })) });
const ResourceListSchema = Type.Object({ area: Type.String(), resources: Type.Array(EmergencyResourceSchema) });

export const resourceRoutes: FastifyPluginAsync<{ book: ResourceBook }> = async (fastify, { book }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['resources'];

  app.get('/resources', {
    // Shelters and depots are a township's (it evacuates into them); teams, fire stations and
    // hospitals serve the whole district, so every area sees them (core/resources.ts resourceInArea).
    config: { read: 'area' },
    schema: { summary: "Emergency resources of the reader's area: its township's shelters and depots, the district's teams, fire stations and hospitals", tags, querystring: Scope, response: replies(Ok(ResourceListSchema)) },
  }, async (req) => ({ ok: true as const, data: { area: req.area, resources: book.list().filter((r) => resourceInArea(req.area, r)) } }));
};
