import { sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { preparedQuery } from '../../platform/db/prepared.js';
import type { UnitOverride } from './policy.resolve.js';

export function policyRepository(db: Database) {
  const overrides = (q: Queryable) =>
    q
      .selectFrom('policy_unit as o')
      .innerJoin('unit as u', 'u.id', 'o.unit_id')
      .select(['o.unit_id as unitId', 'u.name as unitName', 'u.path as unitPath', 'o.key as key', 'o.value as value']);
  // Read by every action (its type's numbers, at its unit): compiled once (ADR 0016).
  const storedValues = preparedQuery((a: { keys: readonly string[] }) => db.kysely.selectFrom('policy').select(['key', 'value']).where('key', 'in', a.keys));
  const onPath = preparedQuery((a: { unitId: number; keys: readonly string[] }) =>
    overrides(db.kysely)
      .innerJoin('unit as t', (j) => j.on('t.id', '=', a.unitId))
      .where(sql<boolean>`t.path like u.path || '%'`)
      .where('o.key', 'in', a.keys),
  );
  return {
    value: async (key: string, q: Queryable = db.kysely) => (await q.selectFrom('policy').select('value').where('key', '=', key).executeTakeFirst())?.value,
    /** Several stored values in one read. */
    async values(keys: readonly string[], q: Queryable = db.kysely): Promise<Map<string, string>> {
      if (!keys.length) return new Map();
      const rows = await storedValues(q, { keys });
      return new Map(rows.map((r) => [r.key, r.value]));
    },
    async upsert(tx: Tx, key: string, value: string, now: string, by: number | null) {
      const updated = await tx.updateTable('policy').set({ value, updated_at: now, updated_by: by }).where('key', '=', key).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('policy').values({ key, value, updated_at: now, updated_by: by }).execute();
    },

    unit: (id: number, q: Queryable = db.kysely) =>
      q.selectFrom('unit').select(['id', 'name', 'path', 'parent_id as parentId']).where('id', '=', id).executeTakeFirst(),
    /** The overrides of `keys` on the path of unit `unitId` (its own and its ancestors'), in one read. */
    overridesOnPath: (unitId: number, keys: readonly string[], q: Queryable = db.kysely): Promise<UnitOverride[]> =>
      keys.length ? onPath(q, { unitId, keys }) : Promise.resolve([]),
    /** Every unit's overrides of `keys` (to check a change against the units below it). */
    overridesOf: (keys: readonly string[], q: Queryable = db.kysely): Promise<UnitOverride[]> =>
      keys.length ? overrides(q).where('o.key', 'in', keys).execute() : Promise.resolve([]),
    async upsertOverride(tx: Tx, unitId: number, key: string, value: string, now: string, by: number | null) {
      const updated = await tx
        .updateTable('policy_unit')
        .set({ value, updated_at: now, updated_by: by })
        .where('unit_id', '=', unitId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await tx.insertInto('policy_unit').values({ unit_id: unitId, key, value, updated_at: now, updated_by: by }).execute();
    },
    deleteOverride: (tx: Tx, unitId: number, key: string) => tx.deleteFrom('policy_unit').where('unit_id', '=', unitId).where('key', '=', key).execute(),
  };
}
