import type { Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { AssessmentTable } from '../../platform/db/schema.js';

export type AssessmentRow = Selectable<AssessmentTable> & {
  subject_unit_name: string | null;
  subject_unit_path: string | null;
  subject_person_name: string | null;
};

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
  points: number;
  money: number;
  period: string;
  at: string;
}

export interface LedgerQuery {
  period?: string;
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
      .leftJoin('unit as u', 'u.id', 'a.subject_unit_id')
      .leftJoin('person as p', 'p.id', 'a.subject_person_id')
      .selectAll('a')
      .select(['u.name as subject_unit_name', 'u.path as subject_unit_path', 'p.name as subject_person_name']);
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
          points: a.points,
          money: a.money,
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
        if (q.unitIds.length) {
          ors.push(eb('a.subject_unit_id', 'in', q.unitIds));
          ors.push(eb('a.proposer_unit_id', 'in', q.unitIds));
        }
        for (const path of q.readPaths) ors.push(eb('u.path', 'like', `${path}%`));
        return eb.or(ors);
      });
      if (q.period) query = query.where('a.period', '=', q.period);
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
    isMember: async (q: Queryable, personId: number, unitId: number) =>
      !!(await q.selectFrom('membership').select('id').where('person_id', '=', personId).where('unit_id', '=', unitId).executeTakeFirst()),
  };
}
