import type { Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { AssessmentPeriodTable, AssessmentTable } from '../../platform/db/schema.js';

export type AssessmentRow = Selectable<AssessmentTable> & {
  subject_unit_name: string | null;
  /** The path of the unit the entry is filed under (scope_unit_id): who may read it. */
  subject_unit_path: string | null;
  subject_person_name: string | null;
};
export type PeriodRow = Selectable<AssessmentPeriodTable>;

export interface NewEvent {
  kind: string;
  sourceType: string;
  sourceId: number | null;
  reason: string;
  period: string;
  at: string;
  by: number | null;
}

export interface NewAssessment {
  rule: string;
  sourceType: string;
  sourceId: number;
  sourcePartId: number | null;
  evidence: string;
  subjectUnitId: number | null;
  subjectPersonId: number | null;
  proposerUnitId: number | null;
  proposerPersonId: number | null;
  judgePersonId: number | null;
  direction: 'debit' | 'credit';
  pointsCenti: number;
  moneyFen: number;
  scopeUnitId: number | null;
  eventId: number | null;
  reason: string | null;
  period: string;
  at: string;
}

export interface LedgerQuery {
  /** The months to show (a quarter or a year is its months). */
  months?: string[];
  state?: string;
  unitId?: number;
  rule?: string;
  /** Subtrees where the reader holds assessment.read; undefined = no restriction. */
  readPaths: string[];
  /** The reader's own units and person: parties always see their events. */
  personId: number;
  unitIds: number[];
  page: number;
  pageSize: number;
}

export function assessmentRepository(db: Database) {
  const k = db.kysely;
  const base = (q: Queryable) =>
    q
      .selectFrom('assessment as a')
      .leftJoin('unit as u', 'u.id', 'a.scope_unit_id')
      .leftJoin('unit as su', 'su.id', 'a.subject_unit_id')
      .leftJoin('person as p', 'p.id', 'a.subject_person_id')
      .selectAll('a')
      .select(['su.name as subject_unit_name', 'u.path as subject_unit_path', 'p.name as subject_person_name']);
  return {
    async insert(tx: Tx, a: NewAssessment): Promise<number> {
      const r = await tx
        .insertInto('assessment')
        .values({
          rule: a.rule,
          source_type: a.sourceType,
          source_id: a.sourceId,
          source_part_id: a.sourcePartId,
          evidence: a.evidence,
          subject_unit_id: a.subjectUnitId,
          subject_person_id: a.subjectPersonId,
          proposer_unit_id: a.proposerUnitId,
          proposer_person_id: a.proposerPersonId,
          judge_person_id: a.judgePersonId,
          direction: a.direction,
          points_centi: a.pointsCenti,
          money_fen: a.moneyFen,
          scope_unit_id: a.scopeUnitId,
          event_id: a.eventId,
          reason: a.reason,
          period: a.period,
          state: 'proposed',
          version: 1,
          proposed_at: a.at,
          confirmed_at: null,
          confirmed_by: null,
          appeal_due_at: null,
          appeal_reason: null,
          appealed_at: null,
          ruling: null,
          ruling_reason: null,
          ruled_by: null,
          ruled_at: null,
          final_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },
    byId: (q: Queryable, id: number) => base(q).where('a.id', '=', id).executeTakeFirst() as Promise<AssessmentRow | undefined>,
    /** Optimistic update: false when the row changed since `version`. */
    async update(tx: Tx, id: number, version: number, set: Updateable<AssessmentTable>): Promise<boolean> {
      const r = await tx
        .updateTable('assessment')
        .set({ ...set, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async list(q: LedgerQuery, all = false) {
      let query = base(k);
      query = query.where((eb) => {
        const ors = [eb('a.proposer_person_id', '=', q.personId), eb('a.judge_person_id', '=', q.personId)];
        ors.push(eb('a.subject_person_id', '=', q.personId));
        if (q.unitIds.length) {
          ors.push(eb('a.subject_unit_id', 'in', q.unitIds));
          ors.push(eb('a.proposer_unit_id', 'in', q.unitIds));
        }
        for (const path of q.readPaths) ors.push(eb('u.path', 'like', `${path}%`));
        return eb.or(ors);
      });
      if (q.months) query = query.where('a.period', 'in', q.months.length ? q.months : ['-']);
      if (q.state) query = query.where('a.state', '=', q.state);
      if (q.rule) query = query.where('a.rule', '=', q.rule);
      if (q.unitId !== undefined) query = query.where('a.subject_unit_id', '=', q.unitId);
      const total = await query.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      // What needs attention first (issue 8, first use 5): events still open, of any period, then the rest, newest first.
      let rows = query.orderBy(sql`case when a.state in ('proposed', 'confirmed', 'appealed') then 0 else 1 end`).orderBy('a.id', 'desc');
      if (!all) rows = rows.limit(q.pageSize).offset((q.page - 1) * q.pageSize);
      return { total: Number(total.n), rows: (await rows.execute()) as AssessmentRow[] };
    },
    bySource: (sourceType: string, sourceId: number) =>
      base(k).where('a.source_type', '=', sourceType).where('a.source_id', '=', sourceId).orderBy('a.id').execute() as Promise<AssessmentRow[]>,
    byEvent: (q: Queryable, eventId: number) => base(q).where('a.event_id', '=', eventId).orderBy('a.id').execute() as Promise<AssessmentRow[]>,
    async insertEvent(tx: Tx, e: NewEvent): Promise<number> {
      const r = await tx
        .insertInto('assessment_event')
        .values({
          kind: e.kind,
          source_type: e.sourceType,
          source_id: e.sourceId,
          reason: e.reason,
          period: e.period,
          created_at: e.at,
          created_by: e.by,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },
    /**
     * The month's state, holding it for the rest of the transaction: on PostgreSQL a share lock
     * that a closing transaction waits for (and that waits for one), so an entry never lands in a
     * month closed meanwhile; the row is made first if the month has none. SQLite writes one
     * transaction at a time.
     */
    async holdPeriod(tx: Tx, period: string): Promise<PeriodRow> {
      const read = () => {
        const q = tx.selectFrom('assessment_period').selectAll().where('period', '=', period);
        return (db.dialect === 'postgres' ? q.forShare() : q).executeTakeFirst();
      };
      const found = await read();
      if (found) return found;
      await tx
        .insertInto('assessment_period')
        .values({ period, state: 'open', version: 1, closed_at: null, closed_by: null, reopened_at: null, reopened_by: null, reopen_reason: null })
        .onConflict((oc) => oc.column('period').doNothing())
        .execute();
      return (await read()) as PeriodRow;
    },
    /** The month's row locked for a change (close, reopen); made open first if it has none. */
    async lockPeriod(tx: Tx, period: string): Promise<PeriodRow> {
      await tx
        .insertInto('assessment_period')
        .values({ period, state: 'open', version: 1, closed_at: null, closed_by: null, reopened_at: null, reopened_by: null, reopen_reason: null })
        .onConflict((oc) => oc.column('period').doNothing())
        .execute();
      const q = tx.selectFrom('assessment_period').selectAll().where('period', '=', period);
      return (await (db.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirstOrThrow()) as PeriodRow;
    },
    async updatePeriod(tx: Tx, period: string, version: number, set: Updateable<AssessmentPeriodTable>): Promise<boolean> {
      const r = await tx
        .updateTable('assessment_period')
        .set({ ...set, version: version + 1 })
        .where('period', '=', period)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    periods: (q: Queryable, months: string[]) =>
      q
        .selectFrom('assessment_period')
        .selectAll()
        .where('period', 'in', months.length ? months : ['-'])
        .execute() as Promise<PeriodRow[]>,
    unitById: (q: Queryable, id: number) => q.selectFrom('unit').select(['id', 'name', 'path']).where('id', '=', id).executeTakeFirst(),
    personById: (q: Queryable, id: number) => q.selectFrom('person').select(['id', 'name']).where('id', '=', id).executeTakeFirst(),
    /** The units a person is a member of, with their paths (to find where the office may assess them). */
    personUnits: (q: Queryable, personId: number) =>
      q
        .selectFrom('membership as m')
        .innerJoin('unit as u', 'u.id', 'm.unit_id')
        .select(['u.id', 'u.path'])
        .where('m.person_id', '=', personId)
        .orderBy('m.id')
        .execute(),
    isMember: async (q: Queryable, personId: number, unitId: number) =>
      !!(await q.selectFrom('membership').select('id').where('person_id', '=', personId).where('unit_id', '=', unitId).executeTakeFirst()),
  };
}
