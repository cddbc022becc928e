// Who works the closed loop: the district's departments, the three levels of linkage centers,
// the roles of DOMAIN.md §5 and the scopes they act in. Pure data and predicates.

/** Admin code of the district (level 1). Townships have 9 digits, communities 12. */
export const DISTRICT_CODE = '340803';

export type CenterLevel = 'district' | 'township' | 'community';

export function levelOfCode(code: string): CenterLevel | null {
  if (code === DISTRICT_CODE) return 'district';
  if (/^\d{9}$/.test(code) && code.startsWith(DISTRICT_CODE)) return 'township';
  if (/^\d{12}$/.test(code) && code.startsWith(DISTRICT_CODE)) return 'community';
  return null;
}

/** The admin code one level up (community → township → district); null at the district. */
export function parentCode(code: string): string | null {
  if (code.length === 12) return code.slice(0, 9);
  if (code.length === 9) return DISTRICT_CODE;
  return null;
}

/**
 * Is a place (a case, an alarm: by its township and community codes) inside the scope? The district
 * sees everything, including places outside every grid ('' codes); lower scopes only their own area.
 */
export function placeInScope(scope: string, place: { townshipCode: string; communityCode: string }): boolean {
  if (scope === DISTRICT_CODE) return true;
  const where = place.communityCode || place.townshipCode;
  return where !== '' && where.startsWith(scope);
}

/** True when `code` (a township or community) lies inside the scope `scope` (district/township/community code). */
export function inScope(scope: string, code: string): boolean {
  return code.startsWith(scope);
}

export interface Department {
  id: string; // 'DEPT-' + short code
  name: string;
  nameEn: string;
}

/** District departments stationed in or linked to the center (部门集中办公). */
export const DEPARTMENTS: Department[] = [
  { id: 'DEPT-CG', name: '区城管局', nameEn: 'Urban Management Bureau' },
  { id: 'DEPT-GA', name: '公安大观分局', nameEn: 'Public Security Sub-bureau' },
  { id: 'DEPT-JJ', name: '交警大队', nameEn: 'Traffic Police Brigade' },
  { id: 'DEPT-XF', name: '消防救援大队', nameEn: 'Fire and Rescue Brigade' },
  { id: 'DEPT-HB', name: '生态环境分局', nameEn: 'Ecology and Environment Sub-bureau' },
  { id: 'DEPT-SJ', name: '区市场监管局', nameEn: 'Market Regulation Bureau' },
  { id: 'DEPT-ZJ', name: '区住建局', nameEn: 'Housing and Construction Bureau' },
  { id: 'DEPT-SW', name: '区水务局', nameEn: 'Water Affairs Bureau' },
  { id: 'DEPT-GD', name: '供电公司', nameEn: 'Power Supply Company' },
  { id: 'DEPT-RQ', name: '燃气公司', nameEn: 'Gas Company' },
  { id: 'DEPT-YJ', name: '区应急管理局', nameEn: 'Emergency Management Bureau' },
  { id: 'DEPT-YL', name: '园林绿化所', nameEn: 'Landscaping Office' },
];
export const DEPARTMENT_BY_ID: ReadonlyMap<string, Department> = new Map(DEPARTMENTS.map((d) => [d.id, d]));

/** The department a case of each event class usually goes to (a dispatcher may choose another). */
export function defaultDepartment(eventClass: string): string {
  const byClass: Record<string, string> = {
    '0302': 'DEPT-HB', '0403': 'DEPT-JJ', '0405': 'DEPT-GA', '0501': 'DEPT-ZJ', '0502': 'DEPT-SW', '0503': 'DEPT-SW', '0602': 'DEPT-GD',
    // A river above its warning level is the water bureau's; above the guarantee level, the flood command's (应急管理局).
    '0506': 'DEPT-SW', '0507': 'DEPT-YJ',
  };
  if (byClass[eventClass]) return byClass[eventClass];
  if (eventClass.startsWith('03')) return 'DEPT-ZJ';
  return 'DEPT-CG';
}

/** Id of the linkage center serving an admin code (as in the dataset's centers). */
export const centerId = (code: string) => `LC-${code}`;
export const isCenterUnit = (unit: string) => unit.startsWith('LC-');
export const codeOfCenter = (unit: string) => unit.slice(3);

export const ROLES = ['duty-leader', 'dispatcher', 'department', 'township-operator', 'community-operator', 'grid-worker', 'display', 'system'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who acts. `org` is the admin code of the actor's center (district, township or community; a grid
 * worker's community), or the department id for department staff. Issue 6 binds actors to accounts;
 * until then a dashboard declares its actor when it connects and gateways name the actor per command.
 */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  org: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: '系统', role: 'system', org: DISTRICT_CODE };

/** The admin code whose area the actor sees (departments and the system see the whole district). */
export function scopeOf(actor: Actor): string {
  return actor.role === 'department' || actor.role === 'system' ? DISTRICT_CODE : actor.org;
}

/** Is this actor one of the center staff of `code`'s center (any level)? */
export function staffOf(actor: Actor, code: string): boolean {
  if (actor.org !== code) return false;
  if (code === DISTRICT_CODE) return actor.role === 'duty-leader' || actor.role === 'dispatcher';
  if (code.length === 9) return actor.role === 'township-operator' || actor.role === 'duty-leader';
  return actor.role === 'community-operator';
}

/** Can the actor act for `unit` (a department id or a center id 'LC-<code>')? */
export function actsFor(actor: Actor, unit: string): boolean {
  if (isCenterUnit(unit)) return staffOf(actor, codeOfCenter(unit));
  return actor.role === 'department' && actor.org === unit;
}

/** Is `actor` valid on its face: a known role with an org of the right kind? Returns the problem or null. */
export function actorProblem(actor: Actor): string | null {
  if (!ROLES.includes(actor.role)) return `unknown role "${actor.role}"`;
  if (actor.role === 'department') return DEPARTMENT_BY_ID.has(actor.org) ? null : `unknown department "${actor.org}"`;
  const level = levelOfCode(actor.org);
  if (!level) return `org "${actor.org}" is not an admin code of the district`;
  const want: Partial<Record<Role, CenterLevel[]>> = {
    'duty-leader': ['district', 'township'],
    dispatcher: ['district'],
    'township-operator': ['township'],
    'community-operator': ['community'],
    'grid-worker': ['community'],
  };
  const allowed = want[actor.role];
  if (allowed && !allowed.includes(level)) return `a ${actor.role} belongs to a ${allowed.join(' or ')} center, not "${actor.org}"`;
  return null;
}
