// Device ledger import (设备台账, core/ledger.ts plans it): the file is read here (CSV in UTF-8 or
// GBK, or an .xlsx's first sheet through exceljs), planned against the registry, and applied only
// when the admin confirms with the dry run's token — a hash of the file and its options, so the
// apply is of exactly what was seen, re-planned on the registry as it is then (a second import of
// the same file changes nothing). The events of one apply are appended together.
import ExcelJS from 'exceljs';
import { ERROR_CODES, type Ack } from '../../core/protocol.ts';
import { parseCsv, planLedger, type LedgerChange, type LedgerFile, type LedgerProblem, type LedgerReport } from '../../core/ledger.ts';
import { registryEventKey, type RegistryOrigin } from '../../core/registry.ts';
import type { Clock } from '../../core/domain.ts';
import { decideAndAppend } from '../store/decide-append.ts';
import type { EventLog } from '../store/event-store.ts';
import type { Projector } from '../projections/projector.ts';
import { registryEvent, registrySubject } from './registry-service.ts';
import { importToken, STALE_TOKEN } from '../import-token.ts';

const fail = (message: string) => ({ ok: false as const, code: ERROR_CODES.badRequest, message });

/** The rows of cells of a ledger file, or why it cannot be read. */
export async function readTable(bytes: Buffer, filename: string): Promise<string[][] | string> {
  if (/\.xlsx$/i.test(filename) || bytes.subarray(0, 2).toString('latin1') === 'PK') {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (error) {
      return `${filename} is not a readable .xlsx workbook: ${(error as Error).message}`;
    }
    const sheet = wb.worksheets[0];
    if (!sheet) return `${filename} has no worksheet`;
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) {
        const v = row.getCell(c).value;
        cells.push(v === null || v === undefined ? '' : typeof v === 'object' ? row.getCell(c).text : String(v));
      }
      rows[n - 1] = cells;
    });
    return Array.from(rows, (r) => r ?? []);
  }
  if (/\.xls$/i.test(filename)) return `${filename}: the old .xls format is not read; save it as .xlsx or .csv`;
  // Ledgers exported from Excel on a Chinese Windows are GBK: UTF-8 first, then GB18030 (a superset of GBK).
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return parseCsv(text);
}

export class LedgerImport {
  constructor(
    private readonly store: EventLog,
    private readonly projector: Projector,
    private readonly clock: Clock,
  ) {}

  /** The token of a file with its options: what the dry run answers and the apply must send. */
  static tokenOf(f: LedgerFile, bytes: Buffer): string {
    return importToken(bytes, [f.crs, f.retireMissing === true, Object.entries(f.mapping ?? {}).sort()]);
  }

  private async plan(f: LedgerFile, origin: RegistryOrigin) {
    const bytes = Buffer.from(f.file, 'base64');
    if (bytes.length === 0) return fail('/file is empty (base64 of the ledger file expected)');
    const table = await readTable(bytes, f.filename);
    if (typeof table === 'string') return fail(table);
    const district = this.projector.district;
    const townships = { list: district.manifest.townships, at: (lon: number, lat: number) => district.resolvePlace(lon, lat).townshipCode };
    const planned = planLedger(table, { crs: f.crs, mapping: f.mapping, retireMissing: f.retireMissing, county: district.manifest.district.code, townships }, this.projector.registry, origin);
    if (!planned.ok) return fail(planned.message);
    return { ok: true as const, token: LedgerImport.tokenOf(f, bytes), plan: planned.plan };
  }

  private report(f: LedgerFile, token: string, plan: { changes: LedgerChange[]; bad: LedgerProblem[] }, applied?: number): LedgerReport {
    const count = (a: LedgerChange['action']) => plan.changes.filter((c) => c.action === a).length;
    return {
      token, filename: f.filename,
      counts: { new: count('new'), updated: count('updated'), unchanged: count('unchanged'), retired: count('retired'), bad: plan.bad.length },
      changes: plan.changes, bad: plan.bad, ...(applied === undefined ? {} : { applied }),
    };
  }

  /** What importing the file would change, and every bad row; nothing is logged. */
  async dryRun(f: LedgerFile, origin: RegistryOrigin): Promise<Ack<LedgerReport>> {
    const p = await this.plan(f, origin);
    return p.ok ? { ok: true, data: this.report(f, p.token, p.plan) } : p;
  }

  /** Applies the file as a dry run of it now plans it, if `token` is the dry run's; the bad rows are skipped. */
  async apply(f: LedgerFile, token: string, origin: RegistryOrigin): Promise<Ack<LedgerReport>> {
    const bytes = Buffer.from(f.file, 'base64');
    if (LedgerImport.tokenOf(f, bytes) !== token) return STALE_TOKEN;
    const src = { ...origin, source: `import:${f.filename}:${token.slice(0, 12)}` };
    // Planned again on the registry as it is now (another admin may have changed it since the dry run).
    const first = await this.plan(f, src);
    if (!first.ok) return first;
    const subjects = first.plan.events.map((e) => {
      const k = registryEventKey(e);
      return registrySubject(k.kind, k.id);
    });
    return decideAndAppend(this.store, subjects, async () => {
      const p = await this.plan(f, src);
      if (!p.ok) return p;
      const now = this.clock.now();
      const report = this.report(f, p.token, p.plan, p.plan.events.length);
      return { events: p.plan.events.map((e) => registryEvent(e, now)), answer: () => ({ ok: true as const, data: report }) };
    });
  }
}
