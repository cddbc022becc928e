// Infrastructure plugin: the working calendar and the SLA bound to it, read once from their files.
// Shared by the case services (deadlines), the realtime hub and replay (overdue counts): each
// depends on this plugin rather than reaching through another's service for it.
import fp from 'fastify-plugin';
import { readFileSync } from 'node:fs';
import { calendarFromConfig } from '../../core/cases/calendar.ts';
import { bindSla, DEFAULT_SLA_CONFIG, slaConfigFrom, type BoundSla } from '../../core/cases/sla.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SLA bound to the working calendar (`sla.calendar.config` is the calendar's data). */
    sla: BoundSla;
  }
}

export interface CalendarPluginOptions {
  calendarFile: string;
  /** null: the built-in SLA of GB/T 30428's handling limits. */
  slaFile: string | null;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

export const calendarPlugin = fp<CalendarPluginOptions>(
  async (app, opts) => {
    const calendar = calendarFromConfig(readJson(opts.calendarFile, 'working calendar'));
    const sla = opts.slaFile ? slaConfigFrom(readJson(opts.slaFile, 'SLA config')) : DEFAULT_SLA_CONFIG;
    app.decorate('sla', bindSla(calendar, sla));
  },
  { name: 'linkage-calendar' },
);
