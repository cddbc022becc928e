// Who works the simulated loop (DOMAIN.md §5): a dispatcher and a duty leader at the district
// center, one operator per township and per community center, one desk per department, and the
// dataset's grid workers. Actors are plain {id,name,role,org} values sent with every command.
import { DEPARTMENTS, DISTRICT_CODE, codeOfCenter, isCenterUnit, type Actor } from '../core/org.ts';
import type { SimDataset } from './dataset.ts';

export class Staff {
  readonly dispatcher: Actor = { id: 'SIM-DISPATCHER', name: '区中心派遣员', role: 'dispatcher', org: DISTRICT_CODE };
  readonly dutyLeader: Actor = { id: 'SIM-DUTY-LEADER', name: '区中心值班领导', role: 'duty-leader', org: DISTRICT_CODE };
  private readonly operators = new Map<string, Actor>(); // admin code → center operator
  private readonly departments = new Map<string, Actor>(); // department id → its desk
  private readonly workers = new Map<string, Actor>(); // worker id → grid worker
  private readonly byCommunity = new Map<string, Actor[]>();

  constructor(ds: Pick<SimDataset, 'manifest' | 'devices'>) {
    for (const t of ds.manifest.townships) {
      this.operators.set(t.code, { id: `SIM-OP-${t.code}`, name: `${t.name}联动中心坐席`, role: 'township-operator', org: t.code });
    }
    for (const c of ds.manifest.communities) {
      this.operators.set(c.code, { id: `SIM-OP-${c.code}`, name: `${c.name}联动站坐席`, role: 'community-operator', org: c.code });
    }
    for (const d of DEPARTMENTS) this.departments.set(d.id, { id: `SIM-${d.id}`, name: `${d.name}坐席`, role: 'department', org: d.id });
    // Leaders (网格长) patrol their community too, so they count as the community's grid workers.
    for (const w of ds.devices.worker) {
      if (!w.communityCode) continue;
      const a: Actor = { id: w.id, name: w.name, role: 'grid-worker', org: w.communityCode };
      this.workers.set(w.id, a);
      const list = this.byCommunity.get(w.communityCode) ?? [];
      list.push(a);
      this.byCommunity.set(w.communityCode, list);
    }
  }

  /** The staff member of a center (admin code) who does its routine work; the dispatcher at the district. */
  center(code: string): Actor | undefined {
    return code === DISTRICT_CODE ? this.dispatcher : this.operators.get(code);
  }

  /** Who takes decisions for a center (extensions, deferral): the duty leader at the district, else its operator. */
  senior(code: string): Actor | undefined {
    return code === DISTRICT_CODE ? this.dutyLeader : this.operators.get(code);
  }

  /** Who acts for a unit a case is dispatched to: a department's desk or a center's staff ('LC-<code>'). */
  unit(unit: string): Actor | undefined {
    return isCenterUnit(unit) ? this.center(codeOfCenter(unit)) : this.departments.get(unit);
  }

  department(id: string): Actor | undefined {
    return this.departments.get(id);
  }

  worker(id: string): Actor | undefined {
    return this.workers.get(id);
  }

  communityWorkers(code: string): readonly Actor[] {
    return this.byCommunity.get(code) ?? [];
  }

  /** Every actor (tests). */
  all(): Actor[] {
    return [this.dispatcher, this.dutyLeader, ...this.operators.values(), ...this.departments.values(), ...this.workers.values()];
  }
}
