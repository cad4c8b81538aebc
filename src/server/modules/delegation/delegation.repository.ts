import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { preparedQuery } from '../../platform/db/prepared.js';

export interface DelegationRow {
  id: number;
  principal_person_id: number;
  principal_name: string;
  deputy_person_id: number;
  deputy_name: string;
  valid_from: string;
  valid_until: string;
  reason: string;
  created_by_person_id: number;
  created_by_name: string;
  created_at: string;
  revoked_at: string | null;
}

export function delegationRepository(db: Database) {
  const k = db.kysely;
  const base = (q: Queryable) =>
    q
      .selectFrom('delegation as d')
      .innerJoin('person as p', 'p.id', 'd.principal_person_id')
      .innerJoin('person as dp', 'dp.id', 'd.deputy_person_id')
      .innerJoin('person as cp', 'cp.id', 'd.created_by_person_id')
      .select([
        'd.id',
        'd.principal_person_id',
        'p.name as principal_name',
        'd.deputy_person_id',
        'dp.name as deputy_name',
        'd.valid_from',
        'd.valid_until',
        'd.reason',
        'd.created_by_person_id',
        'cp.name as created_by_name',
        'd.created_at',
        'd.revoked_at',
      ]);

  // Asked on every 待办 page and every case a deputy opens: compiled once (ADR 0016).
  const inForceFor = preparedQuery((a: { deputyPersonId: number; now: string }) =>
    base(k)
      .where('d.deputy_person_id', '=', a.deputyPersonId)
      .where('d.revoked_at', 'is', null)
      .where('d.valid_from', '<=', a.now)
      .where('d.valid_until', '>', a.now)
      .orderBy('d.id'),
  );

  return {
    person: (q: Queryable, id: number) => q.selectFrom('person').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst(),

    byId: (q: Queryable, id: number): Promise<DelegationRow | undefined> => base(q).where('d.id', '=', id).executeTakeFirst(),

    /** The principal's delegations not revoked and not over by `now`: the candidates for an overlap. */
    openOfPrincipal: (q: Queryable, principalPersonId: number, now: string): Promise<DelegationRow[]> =>
      base(q).where('d.principal_person_id', '=', principalPersonId).where('d.revoked_at', 'is', null).where('d.valid_until', '>', now).execute(),

    /** Delegations to `deputy` in force at `now` (instants are stored as UTC ISO text of one length, so they compare as text). */
    inForceFor: (q: Queryable, deputyPersonId: number, now: string): Promise<DelegationRow[]> => inForceFor(q, { deputyPersonId, now }),

    /** Those the person gave, was given or set up, and (managers) those of people in the subtrees given. */
    list: (personId: number, scopePaths: string[]): Promise<DelegationRow[]> =>
      base(k)
        .where((eb) =>
          eb.or([
            eb('d.principal_person_id', '=', personId),
            eb('d.deputy_person_id', '=', personId),
            eb('d.created_by_person_id', '=', personId),
            ...scopePaths.map((path) =>
              eb.exists(
                eb
                  .selectFrom('membership as m')
                  .innerJoin('unit as u', 'u.id', 'm.unit_id')
                  .select('m.id')
                  .whereRef('m.person_id', '=', 'd.principal_person_id')
                  .where('u.path', 'like', `${path}%`),
              ),
            ),
          ]),
        )
        .orderBy('d.valid_from', 'desc')
        .orderBy('d.id', 'desc')
        .limit(500)
        .execute(),

    async insert(
      tx: Tx,
      d: { principalPersonId: number; deputyPersonId: number; from: string; until: string; reason: string; createdBy: number; at: string },
    ): Promise<number> {
      const row = await tx
        .insertInto('delegation')
        .values({
          principal_person_id: d.principalPersonId,
          deputy_person_id: d.deputyPersonId,
          valid_from: d.from,
          valid_until: d.until,
          reason: d.reason,
          created_by_person_id: d.createdBy,
          created_at: d.at,
          revoked_at: null,
          revoked_by_person_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Ends it now; false when it was already revoked (the other request won). */
    async revoke(tx: Tx, id: number, by: number, at: string): Promise<boolean> {
      const r = await tx
        .updateTable('delegation')
        .set({ revoked_at: at, revoked_by_person_id: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Serializes creations for one principal (the overlap check): PostgreSQL locks the person row; SQLite writes one at a time anyway. */
    async lockPrincipal(tx: Tx, personId: number) {
      if (db.dialect === 'postgres') await tx.selectFrom('person').select('id').where('id', '=', personId).forUpdate().execute();
    },
  };
}
