// Boundary import (GeoJSON townships, communities or grids; core/boundaries.ts plans it): a dry run
// answers the plan with a token, the apply with that token re-plans the file on the district as it is
// then and logs one `boundary:drawn` per new or redrawn feature, together. The projector draws them
// into the district's geography (server/district.ts), so every node, replay and checkpoint has them.
import { Type } from 'typebox';
import { BOUNDARY_EVENT_TYPE, BOUNDARY_LEVELS, planBoundaries, type BoundaryChange, type BoundaryEvent, type BoundaryFile, type BoundaryReport, type BoundaryPlan, type BoundaryProblem } from '../../core/boundaries.ts';
import { LEDGER_CRS } from '../../core/ledger.ts';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import type { RegistryOrigin } from '../../core/registry.ts';
import type { Clock } from '../../core/domain.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import type { EventLog, NewEvent } from '../store/event-store.ts';
import type { Projector } from '../projections/projector.ts';
import { importToken, STALE_TOKEN } from '../import-token.ts';
import { ImportWhySchema } from '../schemas/import-why.ts';

export const BoundaryFileSchema = Type.Object({
  file: Type.String({ minLength: 1, maxLength: 16 * 1024 * 1024, description: 'the GeoJSON FeatureCollection, as text' }),
  filename: Type.String({ minLength: 1, maxLength: 200 }),
  level: Type.Enum(BOUNDARY_LEVELS, { description: 'what the file draws: townships, communities or grids (properties code, name; a grid also community)' }),
  crs: Type.Enum(LEDGER_CRS, { description: 'coordinate system of the file: WGS84 (GPS), GCJ02 (Amap, Tencent) or BD09 (Baidu)' }),
}, { additionalProperties: false });
export const BoundaryApplySchema = Type.Object({ ...BoundaryFileSchema.properties, token: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the dry run\'s token' }) }, { additionalProperties: false });

export const BoundaryReportSchema = Type.Object({
  token: Type.String({ description: 'send it back to apply exactly this file with these options' }),
  filename: Type.String(),
  level: Type.Enum(BOUNDARY_LEVELS),
  counts: Type.Object({ new: Type.Integer(), redrawn: Type.Integer(), unchanged: Type.Integer(), bad: Type.Integer() }),
  changes: Type.Array(Type.Object({ feature: Type.Integer(), code: Type.String(), name: Type.String(), action: Type.Enum(['new', 'redrawn', 'unchanged'] as const), changed: Type.Array(Type.String()) })),
  bad: Type.Array(Type.Object({ feature: Type.Integer({ description: '0-based position in features' }), field: Type.String(), reason: Type.String({ description: 'in English' }), why: ImportWhySchema })),
  applied: Type.Optional(Type.Integer({ description: 'boundaries drawn (apply only)' })),
});

const fail = (message: string) => ({ ok: false as const, code: ERROR_CODES.badRequest, message });
/** The log's subject of a boundary: its own code, so two imports of one boundary conflict and retry. */
export const boundarySubject = (code: string) => `boundary:${code}`;

export class BoundaryImport {
  constructor(
    private readonly store: EventLog,
    private readonly projector: Projector,
    private readonly clock: Clock,
  ) {}

  static tokenOf(f: BoundaryFile): string {
    return importToken(f.file, [f.level, f.crs]);
  }

  private plan(f: BoundaryFile): { ok: true; plan: BoundaryPlan } | ReturnType<typeof fail> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(f.file);
    } catch (error) {
      return fail(`${f.filename} is not JSON: ${(error as Error).message}`);
    }
    const d = this.projector.district;
    const planned = planBoundaries(parsed, f.level, f.crs, { districtCode: d.manifest.district.code, outline: d.outline, known: (code) => d.boundary(code) });
    return planned.ok ? planned : fail(planned.message);
  }

  private report(f: BoundaryFile, plan: { changes: BoundaryChange[]; bad: BoundaryProblem[] }, applied?: number): BoundaryReport {
    const count = (a: BoundaryChange['action']) => plan.changes.filter((c) => c.action === a).length;
    return {
      token: BoundaryImport.tokenOf(f), filename: f.filename, level: f.level,
      counts: { new: count('new'), redrawn: count('redrawn'), unchanged: count('unchanged'), bad: plan.bad.length },
      changes: plan.changes, bad: plan.bad, ...(applied === undefined ? {} : { applied }),
    };
  }

  /** What importing the file would draw, and every bad feature; nothing is logged. */
  async dryRun(f: BoundaryFile): Promise<Ack<BoundaryReport>> {
    await this.store.catchUp();
    const p = this.plan(f);
    return p.ok ? { ok: true, data: this.report(f, p.plan) } : p;
  }

  /** Draws the file's new and redrawn boundaries if `token` is its dry run's; bad features are skipped. */
  async apply(f: BoundaryFile, token: string, origin: RegistryOrigin): Promise<Ack<BoundaryReport>> {
    if (BoundaryImport.tokenOf(f) !== token) return STALE_TOKEN;
    const source = `import:${f.filename}:${token.slice(0, 12)}`;
    await this.store.catchUp();
    const first = this.plan(f);
    if (!first.ok) return first;
    const subjects = first.plan.changes.map((c) => boundarySubject(c.code));
    return decideAndAppend(this.store, subjects, () => {
      const p = this.plan(f);
      if (!p.ok) return p;
      const ts = this.clock.now();
      const events: NewEvent[] = p.plan.draw.map((boundary) => {
        const data: BoundaryEvent = { type: 'drawn', boundary, actor: origin.actor, source };
        return { type: BOUNDARY_EVENT_TYPE, subject: boundarySubject(boundary.code), ts, data };
      });
      const report = this.report(f, p.plan, events.length);
      return { events, answer: () => ({ ok: true as const, data: report }) };
    });
  }
}
