import type { Queryable } from '../../platform/db/database.js';
import type { HeldGrant } from './permissions.js';

/**
 * Every role each person holds, in active and inactive units alike (a unit switched back on gives
 * its roles back), with the role's permissions, primary membership first.
 */
export async function heldGrantsOfMany(q: Queryable, personIds: readonly number[]): Promise<Map<number, (HeldGrant & { unitId: number })[]>> {
  const out = new Map<number, (HeldGrant & { unitId: number; permissions: string[] })[]>(personIds.map((id) => [id, []]));
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await q
      .selectFrom('membership')
      .innerJoin('unit', 'unit.id', 'membership.unit_id')
      .leftJoin('role_permission', 'role_permission.role_code', 'membership.role_code')
      .select(['membership.id', 'membership.person_id', 'membership.unit_id', 'unit.path', 'role_permission.permission'])
      .where('membership.person_id', 'in', personIds.slice(i, i + 500))
      .orderBy('membership.is_primary', 'desc')
      .orderBy('membership.id')
      .execute();
    const byMembership = new Map<number, HeldGrant & { unitId: number; permissions: string[] }>();
    for (const r of rows) {
      let g = byMembership.get(r.id);
      if (!g) {
        g = { unitId: r.unit_id, unitPath: r.path, permissions: [] };
        byMembership.set(r.id, g);
        out.get(r.person_id)?.push(g);
      }
      if (r.permission) g.permissions.push(r.permission);
    }
  }
  return out;
}

/** One person's roles (see heldGrantsOfMany); undefined when there is no such person. */
export async function heldGrants(q: Queryable, personId: number): Promise<(HeldGrant & { unitId: number })[] | undefined> {
  const person = await q.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
  if (!person) return undefined;
  return (await heldGrantsOfMany(q, [personId])).get(personId) ?? [];
}
