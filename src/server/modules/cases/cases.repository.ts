import { type ExpressionBuilder, sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { preparedQuery } from '../../platform/db/prepared.js';
import type { CaseRecordTable, Schema } from '../../platform/db/schema.js';
import type { SearchRepository } from '../../platform/search/index.js';
import type { CaseSnapshot, PartSnapshot } from './engine/definition.js';
import { countChanges, holderOf, holderPairs, inboxTotal } from './engine/tasks.js';

export interface NewCase {
  typeCode: string;
  typeVersion: number;
  number: string;
  title: string;
  state: string;
  fields: Record<string, unknown>;
  initiatorUnitId: number;
  drafterPersonId: number;
  signingLeaderPersonId: number | null;
  dueDate: string | null;
  at: string;
  /** The case whose transition or expiry created this one (issue 9 §4). */
  parentCaseId?: number | null;
}

export interface NewClock {
  caseId: number;
  partId: number | null;
  code: string;
  revision: number;
  startedAt: string;
  dueAt: string;
  remindAt: string | null;
  /** Later reminders, each sent once (case_clock_reminder). */
  moreReminders?: string[];
  explanation: unknown;
  flags: unknown;
}

export interface NewTask {
  caseId: number;
  partId: number | null;
  personId: number | null;
  unitId: number | null;
  state: string;
  dueAt: string | null;
  /** The relational role the task waits on: what the inbox says I must do. */
  awaits: string;
}

export interface NewEvent {
  caseId: number;
  partId: number | null;
  at: string;
  actorPersonId: number | null;
  actorName: string | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  revision: number;
  data: unknown;
}

export interface CaseListQuery {
  personId: number;
  /** Units the person is a direct member of (tasks addressed to a unit). */
  unitIds: number[];
  /** People whose 待办 the person holds as their deputy now (委托代理, issue 9 §2): their tasks are in the inbox too. */
  principalPersonIds?: number[];
  /** Subtrees in which the person holds case.read. */
  readPaths: string[];
  /** Which rows are private drafts, per type: only the drafting side lists them (issue 8). */
  privateDrafts: readonly { typeCode: string; untilIssued: boolean; editableIn: readonly string[]; initialState: string }[];
  tab: 'todo' | 'mine' | 'done' | 'watching' | 'all';
  typeCode?: string;
  state?: string;
  unitId?: number;
  overdue?: boolean;
  /** Full-text search over number, title and text (two-character words match). */
  search?: string;
  now: string;
  page: number;
  pageSize: number;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

const clockRow = (c: NewClock) => ({
  case_id: c.caseId,
  part_id: c.partId,
  code: c.code,
  revision: c.revision,
  started_at: c.startedAt,
  due_at: c.dueAt,
  remind_at: c.remindAt,
  reminded_at: null,
  stopped_at: null,
  fired_at: null,
  outcome: null,
  explanation_json: JSON.stringify(c.explanation),
  flags_json: JSON.stringify(c.flags),
});

/** Reminders of a clock that stopped or ran out are never sent: gone, so that the sweep reads only what is due. */
const dropPendingReminders = (tx: Tx, clockIds: number[]) =>
  tx.deleteFrom('case_clock_reminder').where('clock_id', 'in', clockIds).where('reminded_at', 'is', null).execute();

export function casesRepository(db: Database, search: SearchRepository) {
  const k = db.kysely;

  // The queries behind every 待办 page, compiled once per shape (ADR 0016).
  const inboxArm = (key: 'person_id' | 'unit_id', value: number, overdue: boolean, now: string) => {
    const a = k.selectFrom('case_task as t').where(`t.${key}`, '=', value);
    return overdue ? a.where('t.due_at', '<', now) : a;
  };
  /** One key's tasks (the person, a principal, a unit) merged in deadline order, newest first among equals. */
  const taskStream = <A extends ReturnType<typeof inboxArm>>(arms: A[], dated: boolean, limit: number) => {
    const streams = arms.map((a) => a.select(['t.case_id as case_id', 't.due_at as due_at']).where('t.due_at', dated ? 'is not' : 'is', null));
    return streams
      .slice(1)
      .reduce((acc, x) => acc.unionAll(x), streams[0] as (typeof streams)[number])
      .orderBy('due_at')
      .orderBy('case_id', 'desc')
      .limit(limit);
  };
  const inboxStream = preparedQuery((a: { persons: number[]; units: number[]; dated: boolean; overdue: boolean; now: string; limit: number }) =>
    taskStream(
      [...a.persons.map((p) => inboxArm('person_id', p, a.overdue, a.now)), ...a.units.map((u) => inboxArm('unit_id', u, a.overdue, a.now))],
      a.dated,
      a.limit,
    ),
  );
  const keptCounts = preparedQuery((a: { holders: string[] }) => k.selectFrom('case_task_count').select('open_cases').where('holder', 'in', a.holders));
  const keptPairs = preparedQuery((a: { holders: string[] }) =>
    k.selectFrom('case_task_pair').select(['case_id', 'holder_a', 'holder_b']).where('holder_a', 'in', a.holders).where('holder_b', 'in', a.holders),
  );
  const pageCases = preparedQuery((a: { ids: number[] }) => k.selectFrom('case_record').selectAll().where('id', 'in', a.ids));
  const partsByCases = preparedQuery((a: { ids: number[] }) =>
    k
      .selectFrom('case_part as p')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .leftJoin('person as pp', 'pp.id', 'p.person_id')
      .select(['p.id', 'p.case_id', 'u.name as unit_name', 'pp.name as person_name', 'p.role', 'p.state', 'p.overdue'])
      .where('p.case_id', 'in', a.ids)
      .orderBy('p.id'),
  );
  const tasksOnCases = preparedQuery((a: { ids: number[]; persons: number[]; units: number[] }) =>
    k
      .selectFrom('case_task')
      .select(['case_id', 'part_id', 'state', 'due_at', 'awaits'])
      .where('case_id', 'in', a.ids)
      .where((eb) => eb.or([eb('person_id', 'in', a.persons), ...(a.units.length ? [eb('unit_id', 'in', a.units)] : [])])),
  );

  // A snapshot is read several times by every action: its two queries compiled once (ADR 0016).
  const snapshotRows = preparedQuery((a: { id: number }) =>
    k
      .selectFrom('case_record as c')
      .innerJoin('unit as u', 'u.id', 'c.initiator_unit_id')
      .leftJoin('case_part as p', 'p.case_id', 'c.id')
      .leftJoin('unit as pu', 'pu.id', 'p.unit_id')
      .selectAll('c')
      .select([
        'u.path as initiator_path',
        'p.id as p_id',
        'p.unit_id as p_unit_id',
        'p.person_id as p_person_id',
        'p.role as p_role',
        'p.state as p_state',
        'p.handler_person_id as p_handler_person_id',
        'p.due_date as p_due_date',
        'p.overdue as p_overdue',
        'p.supervised as p_supervised',
        'p.requested_due_date as p_requested_due_date',
        'pu.path as p_unit_path',
      ])
      .where('c.id', '=', a.id)
      .orderBy('p.id'),
  );
  const snapshotClocks = preparedQuery((a: { id: number; revision: number }) =>
    k
      .selectFrom('case_clock')
      .select(['id', 'code', 'part_id', 'due_at', 'started_at', 'stopped_at', 'revision', 'outcome'])
      .where('case_id', '=', a.id)
      .where((eb) => eb.or([eb('stopped_at', 'is', null), eb.and([eb('revision', '=', a.revision), eb('outcome', '=', 'missed')])]))
      .orderBy('id'),
  );

  // What the case view reads, for every open and every action's answer: compiled once (ADR 0016).
  const view = {
    watching: preparedQuery((a: { caseId: number; personId: number }) =>
      k.selectFrom('case_watch').select('case_id').where('case_id', '=', a.caseId).where('person_id', '=', a.personId),
    ),
    timeline: preparedQuery((a: { caseId: number }) => k.selectFrom('case_event').selectAll().where('case_id', '=', a.caseId).orderBy('id')),
    clocks: preparedQuery((a: { caseId: number }) => k.selectFrom('case_clock').selectAll().where('case_id', '=', a.caseId).orderBy('id')),
    attachments: preparedQuery((a: { caseId: number }) => k.selectFrom('case_attachment').selectAll().where('case_id', '=', a.caseId).orderBy('id')),
    units: preparedQuery((a: { ids: number[] }) => k.selectFrom('unit').select(['id', 'name', 'path', 'code']).where('id', 'in', a.ids)),
    people: preparedQuery((a: { ids: number[] }) => k.selectFrom('person').select(['id', 'name', 'post']).where('id', 'in', a.ids)),
    links: preparedQuery((a: { caseId: number }) =>
      k
        .selectFrom('case_link as l')
        .innerJoin('case_record as c', 'c.id', 'l.other_case_id')
        .select(['c.id', 'c.number', 'c.title', 'c.state', 'c.type_code'])
        .where('l.case_id', '=', a.caseId)
        .orderBy('c.id'),
    ),
    related: preparedQuery((a: { id: number }) =>
      k
        .selectFrom('case_record')
        .select(['id', 'type_code', 'number', 'title', 'state', 'parent_case_id', 'merged_into_case_id'])
        .where((eb) => eb.or([eb('parent_case_id', '=', a.id), eb('merged_into_case_id', '=', a.id)]))
        .orderBy('id'),
    ),
  };

  /**
   * 待办 (issue 4): one row per case with a task for the person or one of their units, the soonest
   * deadline first (undated last), newest first among equal deadlines; and the number of such cases.
   *
   * A busy person has tens of thousands of open tasks. Grouping them all by case and sorting the
   * groups took ~120 ms per query at 1,000,000 forms; instead every key (the person, each unit) is
   * read in index order and the streams are merged (migration 0004 indexes case_task by key and
   * deadline, and by key and case): the page reads only its first rows, the count merges sorted
   * case ids without a sort (~3 ms for 33,000 tasks). A case with several tasks for the person
   * shows once, at its soonest deadline: the first time the merged stream meets it.
   */
  async function todo(q: CaseListQuery) {
    const filtered = !!(q.typeCode || q.state || q.search);
    const persons = [q.personId, ...(q.principalPersonIds ?? []).filter((p) => p !== q.personId)];
    const holders = [...persons.map((p) => holderOf({ personId: p, unitId: null })), ...q.unitIds.map((u) => holderOf({ personId: null, unitId: u }))];
    const arm = (key: 'person_id' | 'unit_id', value: number) => {
      const a = inboxArm(key, value, !!q.overdue, q.now);
      if (!filtered) return a;
      let j = a.innerJoin('case_record as c', 'c.id', 't.case_id');
      if (q.typeCode) j = j.where('c.type_code', '=', q.typeCode);
      if (q.state) j = j.where('c.state', '=', q.state);
      if (q.search) j = j.where('c.id', 'in', search.matching('case', q.search));
      return j as unknown as typeof a;
    };
    const arms = () => [...persons.map((p) => arm('person_id', p)), ...q.unitIds.map((u) => arm('unit_id', u))];
    const total = filtered || q.overdue ? await recount() : await keptTotal();

    async function recount() {
      const ids = arms().map((a) => a.select('t.case_id as case_id'));
      const union = ids.slice(1).reduce((acc, x) => acc.union(x), ids[0] as (typeof ids)[number]);
      const r = await k.selectFrom(union.as('u')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    }
    // The whole inbox: the counts kept with the tasks, not a recount (see replaceTasks).
    async function keptTotal() {
      const [counts, pairs] = await Promise.all([keptCounts(k, { holders }), holders.length > 1 ? keptPairs(k, { holders }) : []]);
      return inboxTotal(counts, pairs);
    }

    // Dated tasks in deadline order, then undated ones newest first; each stream read until the page is full.
    const want = q.page * q.pageSize;
    const order = new Map<number, string | null>();
    for (const dated of [true, false]) {
      if (!dated && q.overdue) break;
      for (let limit = want * 2 + 20; ; limit *= 4) {
        // A filtered inbox's shape follows its search words: built each time; the whole inbox is compiled once.
        const rows = filtered
          ? await taskStream(arms(), dated, limit).execute()
          : await inboxStream(k, { persons, units: q.unitIds, dated, overdue: !!q.overdue, now: q.now, limit });
        const seen = new Map(order);
        for (const r of rows) if (!seen.has(r.case_id)) seen.set(r.case_id, r.due_at);
        if (seen.size >= want || rows.length < limit) {
          for (const [id, due] of seen) order.set(id, due);
          break;
        }
      }
      if (order.size >= want) break;
    }
    const page = [...order].slice((q.page - 1) * q.pageSize, want);
    const cases = page.length ? await pageCases(k, { ids: page.map(([id]) => id) }) : [];
    const byId = new Map(cases.map((c) => [c.id, c]));
    // The rows are this call's own: each takes its deadline in place rather than being copied (a case row has thirty-odd columns).
    const rows = page.flatMap(([id, due]) => {
      const c = byId.get(id);
      return c ? [Object.assign(c, { task_due_at: due })] : [];
    });
    return { total, rows };
  }
  return {
    async nextNumber(tx: Tx, typeCode: string, year: number): Promise<number> {
      const row = await tx
        .insertInto('case_counter')
        .values({ type_code: typeCode, year, last: 1 })
        .onConflict((oc) => oc.columns(['type_code', 'year']).doUpdateSet({ last: sql<number>`case_counter.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow();
      return row.last;
    },

    async insertCase(tx: Tx, c: NewCase): Promise<number> {
      const row = await tx
        .insertInto('case_record')
        .values({
          type_code: c.typeCode,
          type_version: c.typeVersion,
          number: c.number,
          title: c.title,
          state: c.state,
          version: 1,
          revision: 0,
          fields_json: JSON.stringify(c.fields),
          initiator_unit_id: c.initiatorUnitId,
          drafter_person_id: c.drafterPersonId,
          signing_leader_person_id: c.signingLeaderPersonId,
          due_date: c.dueDate,
          created_at: c.at,
          updated_at: c.at,
          closed_at: null,
          ...(c.parentCaseId && { parent_case_id: c.parentCaseId }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async insertParts(
      tx: Tx,
      caseId: number,
      parts: { unitId: number; personId?: number | null; role: string; state: string; dueDate: string | null }[],
      at: string,
    ) {
      if (parts.length === 0) return;
      await tx
        .insertInto('case_part')
        .values(
          parts.map((p) => ({
            case_id: caseId,
            unit_id: p.unitId,
            person_id: p.personId ?? null,
            role: p.role,
            state: p.state,
            handler_person_id: null,
            due_date: p.dueDate,
            requested_due_date: null,
            overdue: 0,
            supervised: 0,
            updated_at: at,
          })),
        )
        .execute();
    },

    deleteParts: (tx: Tx, ids: number[]) => (ids.length ? tx.deleteFrom('case_part').where('id', 'in', ids).execute() : Promise.resolve([])),

    async snapshot(
      q: Queryable,
      id: number,
    ): Promise<
      | (Omit<CaseSnapshot, 'parts'> & {
          number: string;
          title: string;
          createdAt: string;
          updatedAt: string;
          closedAt: string | null;
          dueDate: string | null;
          typeVersion: number;
          mergedAt: string | null;
          parts: readonly (PartSnapshot & { requestedDueDate: string | null })[];
        })
      | undefined
    > {
      // The case with its parts in one read, then its clocks: every action takes several snapshots.
      const joined = await snapshotRows(q, { id });
      const c = joined[0];
      if (!c) return undefined;
      const parts = joined.flatMap((r) =>
        r.p_id === null
          ? []
          : [
              {
                id: r.p_id,
                unit_id: r.p_unit_id as number,
                person_id: r.p_person_id,
                unit_path: r.p_unit_path as string,
                role: r.p_role as string,
                state: r.p_state as string,
                handler_person_id: r.p_handler_person_id,
                due_date: r.p_due_date,
                overdue: r.p_overdue as number,
                supervised: r.p_supervised as number,
                requested_due_date: r.p_requested_due_date,
              },
            ],
      );
      // The open clocks and this revision's missed ones in one read.
      const clockRows = await snapshotClocks(q, { id, revision: c.revision });
      // A fired clock stays open until its obligation is met: it still orders the inbox (overdue first) and is stopped by the late action.
      const clocks = clockRows.filter((x) => x.stopped_at === null);
      const missed = clockRows.filter((x) => x.revision === c.revision && x.outcome === 'missed');
      return {
        id: c.id,
        typeCode: c.type_code,
        typeVersion: c.type_version,
        number: c.number,
        title: c.title,
        state: c.state,
        version: c.version,
        revision: c.revision,
        fields: JSON.parse(c.fields_json),
        initiatorUnitId: c.initiator_unit_id,
        initiatorUnitPath: c.initiator_path,
        drafterPersonId: c.drafter_person_id,
        signingLeaderPersonId: c.signing_leader_person_id,
        dueDate: c.due_date,
        createdAt: c.created_at,
        updatedAt: c.updated_at,
        closedAt: c.closed_at,
        parentCaseId: c.parent_case_id,
        mergedIntoCaseId: c.merged_into_case_id,
        mergedAt: c.merged_at,
        parts: parts.map((p): PartSnapshot & { requestedDueDate: string | null } => ({
          id: p.id,
          unitId: p.unit_id,
          unitPath: p.unit_path,
          personId: p.person_id,
          role: p.role === 'main' ? 'main' : 'assist',
          state: p.state,
          handlerPersonId: p.handler_person_id,
          dueDate: p.due_date,
          overdue: p.overdue === 1,
          supervised: p.supervised === 1,
          requestedDueDate: p.requested_due_date,
        })),
        clocks: clocks.map((x) => ({ id: x.id, code: x.code, partId: x.part_id, dueAt: x.due_at, startedAt: x.started_at })),
        missed: missed.map((x) => ({ code: x.code, partId: x.part_id })),
      };
    },

    /** The optimistic lock: false when someone else changed the case since `version` was read. */
    async bumpVersion(
      tx: Tx,
      id: number,
      version: number,
      patch: {
        state?: string;
        revision?: number;
        fields?: Record<string, unknown>;
        title?: string;
        dueDate?: string | null;
        signingLeaderPersonId?: number | null;
        closedAt?: string | null;
      },
      at: string,
    ): Promise<boolean> {
      const r = await tx
        .updateTable('case_record')
        .set({
          version: version + 1,
          updated_at: at,
          ...(patch.state !== undefined && { state: patch.state }),
          ...(patch.revision !== undefined && { revision: patch.revision }),
          ...(patch.fields !== undefined && { fields_json: JSON.stringify(patch.fields) }),
          ...(patch.title !== undefined && { title: patch.title }),
          ...(patch.dueDate !== undefined && { due_date: patch.dueDate }),
          ...(patch.signingLeaderPersonId !== undefined && { signing_leader_person_id: patch.signingLeaderPersonId }),
          ...(patch.closedAt !== undefined && { closed_at: patch.closedAt }),
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async updatePart(tx: Tx, id: number, set: Record<string, unknown>, at: string) {
      const cols: Record<string, unknown> = { updated_at: at };
      if ('state' in set) cols.state = set.state;
      if ('handlerPersonId' in set) cols.handler_person_id = set.handlerPersonId;
      if ('dueDate' in set) cols.due_date = set.dueDate;
      if ('requestedDueDate' in set) cols.requested_due_date = set.requestedDueDate;
      if ('overdue' in set) cols.overdue = set.overdue ? 1 : 0;
      if ('supervised' in set) cols.supervised = set.supervised ? 1 : 0;
      await tx.updateTable('case_part').set(cols).where('id', '=', id).execute();
    },

    async stopClocks(tx: Tx, stops: { id: number; missed: boolean }[], at: string) {
      for (const s of stops) {
        await tx
          .updateTable('case_clock')
          .set({ stopped_at: at, outcome: s.missed ? 'missed' : 'met' })
          .where('id', '=', s.id)
          .where('stopped_at', 'is', null)
          .execute();
      }
      if (stops.length)
        await dropPendingReminders(
          tx,
          stops.map((s) => s.id),
        );
    },

    async insertClocks(tx: Tx, all: NewClock[]) {
      // A clock with later reminders is inserted alone, for its id; the others together, as before.
      const clocks = all.filter((c) => !c.moreReminders?.length);
      for (const c of all.filter((x) => x.moreReminders?.length)) {
        const { id } = await tx.insertInto('case_clock').values(clockRow(c)).returning('id').executeTakeFirstOrThrow();
        await tx
          .insertInto('case_clock_reminder')
          .values((c.moreReminders ?? []).map((remind_at) => ({ clock_id: id, case_id: c.caseId, remind_at, reminded_at: null })))
          .execute();
      }
      if (clocks.length === 0) return;
      await tx.insertInto('case_clock').values(clocks.map(clockRow)).execute();
    },

    /** Rewrites a case's 待办 rows and, in the same transaction, the per-holder counts the inbox total is read from. */
    async replaceTasks(tx: Tx, caseId: number, tasks: NewTask[], at: string) {
      const old = await tx.deleteFrom('case_task').where('case_id', '=', caseId).returning(['person_id', 'unit_id']).execute();
      const before = new Set(old.map((t) => holderOf({ personId: t.person_id, unitId: t.unit_id })));
      const after = new Set(tasks.map(holderOf));
      const changes = countChanges(before, after);
      if (changes.length) {
        await tx
          .insertInto('case_task_count')
          .values(changes.map((c) => ({ holder: c.holder, open_cases: c.delta })))
          .onConflict((oc) => oc.column('holder').doUpdateSet({ open_cases: sql`case_task_count.open_cases + excluded.open_cases` }))
          .execute();
        if (before.size > 1) await tx.deleteFrom('case_task_pair').where('case_id', '=', caseId).execute();
        if (after.size > 1)
          await tx
            .insertInto('case_task_pair')
            .values(holderPairs(after).map(([a, b]) => ({ case_id: caseId, holder_a: a, holder_b: b })))
            .execute();
      }
      if (tasks.length === 0) return;
      await tx
        .insertInto('case_task')
        .values(
          tasks.map((t) => ({
            case_id: t.caseId,
            part_id: t.partId,
            person_id: t.personId,
            unit_id: t.unitId,
            state: t.state,
            due_at: t.dueAt,
            created_at: at,
            awaits: t.awaits,
          })),
        )
        .execute();
    },

    async insertEvent(tx: Tx, e: NewEvent): Promise<number> {
      const r = await tx
        .insertInto('case_event')
        .values({
          case_id: e.caseId,
          part_id: e.partId,
          at: e.at,
          actor_person_id: e.actorPersonId,
          actor_name: e.actorName,
          action: e.action,
          from_state: e.fromState,
          to_state: e.toState,
          revision: e.revision,
          data_json: json(e.data),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },

    async watch(tx: Tx, caseId: number, personIds: number[], kind: string, at: string) {
      const unique = [...new Set(personIds)];
      if (unique.length === 0) return;
      await tx
        .insertInto('case_watch')
        .values(unique.map((person_id) => ({ case_id: caseId, person_id, kind, created_at: at })))
        .onConflict((oc) => oc.columns(['case_id', 'person_id']).doNothing())
        .execute();
    },

    /** Has acted on the case (a party to it), as opposed to being copied in or following it. */
    isParty: async (q: Queryable, caseId: number, personId: number) =>
      !!(await q
        .selectFrom('case_watch')
        .select('case_id')
        .where('case_id', '=', caseId)
        .where('person_id', '=', personId)
        .where('kind', '=', 'party')
        .executeTakeFirst()),

    /** The person's own tasks (theirs or their units') on the listed cases: the inbox names them. */
    myTasks: (caseIds: number[], personId: number | number[], unitIds: number[]) =>
      caseIds.length ? tasksOnCases(k, { ids: caseIds, persons: [personId].flat(), units: unitIds }) : Promise.resolve([]),

    isWatching: async (q: Queryable, caseId: number, personId: number) => (await view.watching(q, { caseId, personId })).length > 0,

    timeline: (caseId: number, q: Queryable = k) => view.timeline(q, { caseId }),

    clocksOf: (caseId: number, q: Queryable = k) => view.clocks(q, { caseId }),

    unitsByIds: (ids: number[], q: Queryable = k) => (ids.length ? view.units(q, { ids }) : Promise.resolve([])),

    peopleByIds: (ids: number[], q: Queryable = k) => (ids.length ? view.people(q, { ids }) : Promise.resolve([])),

    unitById: (q: Queryable, id: number) => q.selectFrom('unit').select(['id', 'name', 'path', 'active']).where('id', '=', id).executeTakeFirst(),

    /** Is the person a member (any role) of the unit? */
    isMember: async (q: Queryable, personId: number, unitId: number) =>
      !!(await q.selectFrom('membership').select('id').where('person_id', '=', personId).where('unit_id', '=', unitId).executeTakeFirst()),

    /** Active people with an account holding one of `roles` in a unit whose path is a prefix of `path` (or any role when none given). */
    async peopleWithRoleOver(q: Queryable, roles: string[], path: string): Promise<number[]> {
      const rows = await q
        .selectFrom('membership as m')
        .innerJoin('unit as u', 'u.id', 'm.unit_id')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select('m.person_id')
        .where('m.role_code', 'in', roles)
        .where('p.status', '=', 'active')
        .where(sql<boolean>`${path} like u.path || '%'`)
        .execute();
      return [...new Set(rows.map((r) => r.person_id))];
    },

    async personName(q: Queryable, id: number): Promise<string | undefined> {
      return (await q.selectFrom('person').select('name').where('id', '=', id).executeTakeFirst())?.name;
    },

    // ---- sweep ----
    dueClocks: (now: string, limit: number) =>
      k
        .selectFrom('case_clock')
        .select(['id', 'case_id'])
        .where('fired_at', 'is', null)
        .where('stopped_at', 'is', null)
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(limit)
        .execute(),

    dueReminders: (now: string, limit: number) =>
      k
        .selectFrom('case_clock')
        .select(['id', 'case_id'])
        .where('remind_at', 'is not', null)
        .where('reminded_at', 'is', null)
        .where('fired_at', 'is', null)
        .where('stopped_at', 'is', null)
        .where('remind_at', '<=', now)
        .orderBy('remind_at')
        .limit(limit)
        .execute(),

    /** Claims a due clock for this process: exactly one claimant wins (the row is re-checked under its lock). */
    async claimClock(tx: Tx, id: number, now: string) {
      const r = await tx
        .updateTable('case_clock')
        .set({ fired_at: now, outcome: 'missed' })
        .where('id', '=', id)
        .where('fired_at', 'is', null)
        .where('stopped_at', 'is', null)
        .where('due_at', '<=', now)
        .returning(['id', 'case_id', 'part_id', 'code', 'due_at', 'explanation_json'])
        .executeTakeFirst();
      if (r) await dropPendingReminders(tx, [r.id]);
      return r;
    },

    /** A clock's later reminders that are due (the clock still running). */
    dueMoreReminders: (now: string, limit: number) =>
      k
        .selectFrom('case_clock_reminder as r')
        .innerJoin('case_clock as c', 'c.id', 'r.clock_id')
        .select(['r.id', 'r.case_id'])
        .where('r.reminded_at', 'is', null)
        .where('r.remind_at', '<=', now)
        .where('c.fired_at', 'is', null)
        .where('c.stopped_at', 'is', null)
        .orderBy('r.remind_at')
        .limit(limit)
        .execute(),

    /** Claims one later reminder: exactly one claimant wins; answers its clock as {@link claimReminder} does. */
    async claimMoreReminder(tx: Tx, id: number, now: string) {
      const r = await tx
        .updateTable('case_clock_reminder')
        .set({ reminded_at: now })
        .where('id', '=', id)
        .where('reminded_at', 'is', null)
        .where('remind_at', '<=', now)
        .returning(['clock_id'])
        .executeTakeFirst();
      if (!r) return undefined;
      return tx
        .selectFrom('case_clock')
        .select(['id', 'case_id', 'part_id', 'code', 'due_at'])
        .where('id', '=', r.clock_id)
        .where('fired_at', 'is', null)
        .where('stopped_at', 'is', null)
        .executeTakeFirst();
    },

    async claimReminder(tx: Tx, id: number, now: string) {
      return tx
        .updateTable('case_clock')
        .set({ reminded_at: now })
        .where('id', '=', id)
        .where('reminded_at', 'is', null)
        .where('fired_at', 'is', null)
        .where('stopped_at', 'is', null)
        .returning(['id', 'case_id', 'part_id', 'code', 'due_at'])
        .executeTakeFirst();
    },

    /** Takes the case's row lock first, so that the sweep and user actions lock in the same order. */
    async lockCase(tx: Tx, id: number): Promise<boolean> {
      // SQLite transactions already hold the write lock (BEGIN IMMEDIATE, ADR 0002); PostgreSQL locks the row.
      const q = tx.selectFrom('case_record').select('id').where('id', '=', id);
      return !!(await (db.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst());
    },

    /** A change made by the system (an expiry): bumps the version so stale screens reload. */
    async touch(tx: Tx, id: number, at: string) {
      await tx.updateTable('case_record').set({ version: sql<number>`version + 1`, updated_at: at }).where('id', '=', id).execute();
    },

    // ---- lists ----
    async list(q: CaseListQuery) {
      let query = k.selectFrom('case_record as c');
      type Eb = ExpressionBuilder<Schema & { c: CaseRecordTable }, 'c'>;
      // A private draft (not yet issued): the same rule as the service's isPrivateDraft.
      const privateDraft = (eb: Eb) =>
        eb.or(
          // A type that is never issued and never edited (a report, a rectification; issue 9 §4) has no private drafts: no `in ()`, which PostgreSQL refuses.
          q.privateDrafts
            .filter((d) => d.untilIssued || d.editableIn.length > 0)
            .map((d) => eb.and([eb('c.type_code', '=', d.typeCode), d.untilIssued ? eb('c.revision', '=', 0) : eb('c.state', 'in', [...d.editableIn])])),
        );
      const watching = (eb: Eb, kinds?: string[]) => {
        let w = eb.selectFrom('case_watch as w').select('w.case_id').whereRef('w.case_id', '=', 'c.id').where('w.person_id', '=', q.personId);
        if (kinds) w = w.where('w.kind', 'in', kinds);
        return eb.exists(w);
      };
      const visible = (eb: Eb) => {
        // The drafting side sees its drafts; whoever has a task on a case (a signature, an approval) sees it.
        const drafting = [
          eb('c.drafter_person_id', '=', q.personId),
          watching(eb, ['party']),
          eb.exists(eb.selectFrom('case_task as t').select('t.case_id').whereRef('t.case_id', '=', 'c.id').where('t.person_id', '=', q.personId)),
        ];
        // Everyone else only once it is issued.
        const issued = [watching(eb)];
        const initialStates = [...new Set(q.privateDrafts.map((d) => d.initialState))];
        drafting.push(eb.and([eb('c.signing_leader_person_id', '=', q.personId), eb('c.state', 'not in', initialStates)]));
        issued.push(eb('c.signing_leader_person_id', '=', q.personId));
        if (q.unitIds.length) {
          drafting.push(eb('c.initiator_unit_id', 'in', q.unitIds));
          // A person part is its person's, not its unit's (issue 9 §2).
          issued.push(
            eb.exists(
              eb
                .selectFrom('case_part as p')
                .select('p.id')
                .whereRef('p.case_id', '=', 'c.id')
                .where('p.unit_id', 'in', q.unitIds)
                .where('p.person_id', 'is', null),
            ),
          );
        }
        issued.push(eb.exists(eb.selectFrom('case_part as p').select('p.id').whereRef('p.case_id', '=', 'c.id').where('p.person_id', '=', q.personId)));
        for (const path of q.readPaths) {
          drafting.push(
            eb.exists(eb.selectFrom('unit as iu').select('iu.id').whereRef('iu.id', '=', 'c.initiator_unit_id').where('iu.path', 'like', `${path}%`)),
          );
          issued.push(
            eb.exists(
              eb
                .selectFrom('case_part as p')
                .innerJoin('unit as pu', 'pu.id', 'p.unit_id')
                .select('p.id')
                .whereRef('p.case_id', '=', 'c.id')
                .where('pu.path', 'like', `${path}%`),
            ),
          );
        }
        return eb.or([...drafting, eb.and([eb.not(privateDraft(eb)), eb.or(issued)])]);
      };

      if (q.tab === 'todo') return todo(q);

      query = query.where(visible);
      if (q.tab === 'mine')
        query = query.where((eb) =>
          eb.or([eb('c.drafter_person_id', '=', q.personId), ...(q.unitIds.length ? [eb('c.initiator_unit_id', 'in', q.unitIds)] : [])]),
        );
      if (q.tab === 'done')
        query = query.where((eb) =>
          eb.exists(eb.selectFrom('case_event as e').select('e.id').whereRef('e.case_id', '=', 'c.id').where('e.actor_person_id', '=', q.personId)),
        );
      if (q.tab === 'watching')
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('case_watch as w')
              .select('w.case_id')
              .whereRef('w.case_id', '=', 'c.id')
              .where('w.person_id', '=', q.personId)
              .where('w.kind', 'in', ['cc', 'follow']),
          ),
        );
      if (q.typeCode) query = query.where('c.type_code', '=', q.typeCode);
      if (q.state) query = query.where('c.state', '=', q.state);
      if (q.unitId !== undefined) {
        const unitId = q.unitId;
        query = query.where((eb) =>
          eb.or([
            eb('c.initiator_unit_id', '=', unitId),
            eb.exists(eb.selectFrom('case_part as p').select('p.id').whereRef('p.case_id', '=', 'c.id').where('p.unit_id', '=', unitId)),
          ]),
        );
      }
      if (q.overdue)
        query = query.where((eb) => eb.exists(eb.selectFrom('case_part as p').select('p.id').whereRef('p.case_id', '=', 'c.id').where('p.overdue', '=', 1)));
      if (q.search) query = query.where('c.id', 'in', search.matching('case', q.search));
      const total = await query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await query
        .selectAll('c')
        .select(sql<string | null>`null`.as('task_due_at'))
        .orderBy('c.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      return { total: Number(total.n), rows };
    },

    async unwatch(tx: Tx, caseId: number, personId: number) {
      await tx.deleteFrom('case_watch').where('case_id', '=', caseId).where('person_id', '=', personId).execute();
    },

    async setPartRoles(tx: Tx, caseId: number, receivers: readonly { unitId: number; personId?: number | null; role: string }[]) {
      for (const r of receivers) {
        const part = tx.updateTable('case_part').set({ role: r.role }).where('case_id', '=', caseId);
        await (r.personId ? part.where('person_id', '=', r.personId) : part.where('unit_id', '=', r.unitId).where('person_id', 'is', null)).execute();
      }
    },

    /** A person's primary unit (the one a person part reaches them in), if they are active and have one. */
    async primaryUnitOf(q: Queryable, personId: number): Promise<{ id: number; path: string } | undefined> {
      return q
        .selectFrom('membership as m')
        .innerJoin('unit as u', 'u.id', 'm.unit_id')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select(['u.id', 'u.path'])
        .where('m.person_id', '=', personId)
        .where('p.status', '=', 'active')
        .where('u.active', '=', 1)
        .orderBy('m.is_primary', 'desc')
        .orderBy('m.id')
        .limit(1)
        .executeTakeFirst();
    },

    attachments: (caseId: number, q: Queryable = k) => view.attachments(q, { caseId }),

    attachment: (caseId: number, id: number) =>
      k.selectFrom('case_attachment').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst(),

    async insertAttachment(
      tx: Tx,
      a: {
        caseId: number;
        partId: number | null;
        eventId: number | null;
        name: string;
        mime: string;
        size: number;
        sha256: string;
        uploadedBy: number | null;
        at: string;
      },
    ): Promise<number> {
      const r = await tx
        .insertInto('case_attachment')
        .values({
          case_id: a.caseId,
          part_id: a.partId,
          event_id: a.eventId,
          name: a.name,
          mime: a.mime,
          size: a.size,
          sha256: a.sha256,
          uploaded_by: a.uploadedBy,
          created_at: a.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    },

    links: (caseId: number, q: Queryable = k) => view.links(q, { caseId }),

    /** Cases created by these cases (issue 9 §4), oldest first. */
    childrenOf: (q: Queryable, parentIds: readonly number[]) =>
      parentIds.length === 0
        ? Promise.resolve([])
        : q
            .selectFrom('case_record')
            .select(['id', 'parent_case_id', 'type_code', 'number', 'title', 'state'])
            .where('parent_case_id', 'in', [...parentIds])
            .orderBy('id')
            .execute(),

    /** Cases merged into this one that still follow it, or all of them (`open: false`), oldest first. */
    mergedInto: (q: Queryable, targetId: number) =>
      q
        .selectFrom('case_record')
        .select(['id', 'type_code', 'number', 'title', 'state', 'closed_at'])
        .where('merged_into_case_id', '=', targetId)
        .orderBy('id')
        .execute(),

    /** The cases this one created or that were merged into it, in one read (the case view, every action's answer). */
    relatedTo: (q: Queryable, id: number) => view.related(q, { id }),

    casesByIds: (q: Queryable, ids: readonly number[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : q
            .selectFrom('case_record')
            .select(['id', 'type_code', 'number', 'title', 'state'])
            .where('id', 'in', [...ids])
            .orderBy('id')
            .execute(),

    async setMergedInto(tx: Tx, id: number, targetId: number, at: string) {
      await tx.updateTable('case_record').set({ merged_into_case_id: targetId, merged_at: at }).where('id', '=', id).execute();
    },

    /** How many cases of a type a guard's question counts (created in [from, to), by a drafter or unit). */
    async countCases(q: Queryable, c: { type: string; drafterPersonId?: number; initiatorUnitId?: number; from?: string; to?: string }) {
      let query = q
        .selectFrom('case_record')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('type_code', '=', c.type);
      if (c.drafterPersonId !== undefined) query = query.where('drafter_person_id', '=', c.drafterPersonId);
      if (c.initiatorUnitId !== undefined) query = query.where('initiator_unit_id', '=', c.initiatorUnitId);
      if (c.from !== undefined) query = query.where('created_at', '>=', c.from);
      if (c.to !== undefined) query = query.where('created_at', '<', c.to);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    /** The units from the root down to the unit at `path` ("/1/5/12/"), with their types. */
    async unitChain(q: Queryable, path: string) {
      const ids = path.split('/').filter(Boolean).map(Number);
      const rows = ids.length ? await q.selectFrom('unit').select(['id', 'type_code']).where('id', 'in', ids).execute() : [];
      return ids.flatMap((id) => rows.filter((r) => r.id === id).map((r) => ({ id, typeCode: r.type_code })));
    },

    async link(tx: Tx, a: number, b: number, by: number | null, at: string) {
      await tx
        .insertInto('case_link')
        .values([
          { case_id: a, other_case_id: b, created_at: at, created_by: by },
          { case_id: b, other_case_id: a, created_at: at, created_by: by },
        ])
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    unitDirectory: () =>
      k
        .selectFrom('unit')
        .select(['id', 'parent_id', 'type_code', 'code', 'name', 'path', 'depth', 'sort_order'])
        .where('active', '=', 1)
        .orderBy('depth')
        .orderBy('sort_order')
        .orderBy('id')
        .execute(),

    signingLeaders: (unitPath: string, roles: string[]) =>
      k
        .selectFrom('membership as m')
        .innerJoin('unit as u', 'u.id', 'm.unit_id')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select(['p.id', 'p.name', 'p.post', 'u.name as unitName', 'm.role_code as role'])
        .where('m.role_code', 'in', roles)
        .where('p.status', '=', 'active')
        .where(sql<boolean>`${unitPath} like u.path || '%'`)
        .orderBy('u.depth', 'desc')
        .orderBy('p.name')
        .execute(),

    unitMembers: async (unitId: number) => {
      const rows = await k
        .selectFrom('membership as m')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select(['p.id', 'p.name', 'p.post'])
        .where('m.unit_id', '=', unitId)
        .where('p.status', '=', 'active')
        .orderBy('p.name')
        .execute();
      return [...new Map(rows.map((r) => [r.id, r])).values()];
    },

    /** What a list row shows of each listed case's parts. */
    partsOf: (caseIds: number[]) => (caseIds.length ? partsByCases(k, { ids: caseIds }) : Promise.resolve([])),
  };
}

export type CasesRepository = ReturnType<typeof casesRepository>;
