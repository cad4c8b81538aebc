import type { z } from 'zod';
import type { CaseCreate, CaseUpdate } from '../../../../contracts/cases.js';
import { type RequestContext, systemActorContext } from '../../../platform/context.js';
import type { Tx } from '../../../platform/db/database.js';
import { AppError, notFound } from '../../../platform/http/errors.js';
import { type Lang, problemsFromZod } from '../../../platform/http/messages.js';
import { type Ctx, can } from '../../access/index.js';
import { type Calendar, localDate } from '../../calendar/index.js';
import type { CaseTypeDef } from '../engine/definition.js';
import { creationClocks, type Plan } from '../engine/machine.js';
import type { PlanSteps } from './act.js';
import { type Bound, partKey, type SharedContext, validation } from './shared.js';
import type { CaseViews } from './views.js';

/**
 * Writing a new case (a person's, the system's, or a child a plan creates). The plan steps are
 * passed late: a child case is inserted by a plan, and a new case's creation clocks are applied as one.
 */
export function caseInserts(s: SharedContext, steps: () => PlanSteps) {
  const { db, clock, audit, calendar, search, repo, policiesFor, refreshTasks, checkBinding, checkWatchers, searchText } = s;
  const applyPlan: PlanSteps['applyPlan'] = (...args) => steps().applyPlan(...args);

  /**
   * A new case in one transaction: number, row, parts, the clocks it starts on creation
   * (`startOn: 'create'`), the timeline's first event, watchers, 待办, search, audit. `by`: the person
   * creating it, or null when the system does (issue 9 §5).
   */
  async function insertCase(
    ctx: RequestContext,
    def: CaseTypeDef,
    unit: { id: number; path: string },
    fields: Record<string, unknown>,
    by: { personId: number; name: string } | null,
    drafterPersonId: number,
    watcherPersonIds: number[],
  ) {
    const cal = await calendar.load();
    const binding = await checkBinding(db.kysely, def, fields, unit, cal, drafterPersonId, ctx.lang);
    await checkWatchers(watcherPersonIds);
    return db.kysely.transaction().execute((tx) => insertCaseIn(tx, ctx, def, unit, fields, by, drafterPersonId, watcherPersonIds, { cal, binding }));
  }

  /**
   * {@link insertCase} in a transaction already open: a child case is created in its parent's
   * (issue 9 §4), `parent` recorded on the row, on the child's first event and in its audit event.
   */
  async function insertCaseIn(
    tx: Tx,
    ctx: RequestContext,
    def: CaseTypeDef,
    unit: { id: number; path: string },
    fields: Record<string, unknown>,
    by: { personId: number; name: string } | null,
    drafterPersonId: number,
    watcherPersonIds: number[],
    checked: { cal: Calendar; binding: Bound },
    parent?: { id: number; number: string },
  ) {
    const { cal, binding } = checked;
    const now = clock.now();
    const at = now.toISOString();
    const year = Number(localDate(now, cal.timeZone).slice(0, 4));
    {
      const seq = await repo.nextNumber(tx, def.code, year);
      const number = `${def.numberPrefix}-${year}-${String(seq).padStart(4, '0')}`;
      const id = await repo.insertCase(tx, {
        typeCode: def.code,
        typeVersion: def.version,
        number,
        title: binding.title,
        state: def.initialState,
        fields,
        initiatorUnitId: unit.id,
        drafterPersonId,
        signingLeaderPersonId: binding.signingLeaderPersonId,
        dueDate: binding.dueDate,
        at,
        ...(parent && { parentCaseId: parent.id }),
      });
      await repo.insertParts(
        tx,
        id,
        binding.parts.map((r) => ({ ...r, state: def.initialPartState, dueDate: binding.dueDate })),
        at,
      );
      let started: { clock: string; partId: number | null; dueAt: string }[] = [];
      if (def.clocks.some((c) => c.startOn === 'create')) {
        const snap = await repo.snapshot(tx, id);
        if (snap) {
          const clocks = creationClocks({ def, snap: { ...snap, createdAt: at }, now, cal, policies: await policiesFor(def, snap.initiatorUnitId, tx) });
          await applyPlan(tx, ctx, def, snap, { ...emptyPlan('create', snap.state), startClocks: clocks }, at);
          started = clocks.map((c) => ({ clock: c.code, partId: c.partId, dueAt: c.dueAt.toISOString() }));
        }
      }
      await repo.insertEvent(tx, {
        caseId: id,
        partId: null,
        at,
        actorPersonId: by?.personId ?? null,
        actorName: by?.name ?? null,
        action: 'create',
        fromState: null,
        toState: def.initialState,
        revision: 0,
        data: { fields, ...(started.length && { started }), ...(parent && { parent: { caseId: parent.id, number: parent.number } }) },
      });
      if (by) await repo.watch(tx, id, [by.personId], 'party', at);
      if (watcherPersonIds.length) await repo.watch(tx, id, watcherPersonIds, 'cc', at);
      await refreshTasks(tx, def, id, at);
      await search.index(tx, 'case', id, searchText(number, fields));
      await audit.record(tx, ctx, {
        action: 'case.create',
        entityType: 'case',
        entityId: id,
        unitId: unit.id,
        after: { number, type: def.code, fields, ...(parent && { parentCaseId: parent.id }) },
      });
      return { id, number };
    }
  }

  const emptyPlan = (action: string, state: string): Plan => ({
    action,
    partId: null,
    caseFrom: state,
    caseTo: state,
    partChanges: [],
    stopClocks: [],
    startClocks: [],
    notices: [],
    proposals: [],
    markOverdue: [],
    clearOverdue: [],
    newRevision: false,
    input: {},
  });

  return { insertCase, insertCaseIn };
}

export type CaseInserts = ReturnType<typeof caseInserts>;

/** Creating a case (by a person, or by the system: issue 9 §5) and editing a draft. */
export function caseCreation(s: SharedContext, { insertCase }: CaseInserts, views: Pick<CaseViews, 'detail'>) {
  const { db, clock, audit, calendar, search, repo, requestedType, typeOf, actorOf, openCase, onBehalf, refreshTasks, checkBinding, draftFields, searchText } =
    s;

  return {
    async create(ctx: Ctx, input: z.infer<typeof CaseCreate>) {
      const actor = actorOf(ctx);
      const def = requestedType(input.type, 'type');
      const fields = draftFields(def, input.fields);
      const unit = await repo.unitById(db.kysely, input.initiatorUnitId);
      if (!unit) throw notFound('unit');
      // Drafting is done by a member of the initiating unit (issue 4 §1).
      if (!actor.grants.some((g) => g.unitId === unit.id)) {
        if (can(actor.grants, 'org.read', unit.path)) throw new AppError('FORBIDDEN');
        throw notFound('unit');
      }
      return insertCase(ctx, def, unit, fields, { personId: actor.personId, name: actor.name }, actor.personId, input.watcherPersonIds ?? []);
    },

    /**
     * The system creates a case (issue 9 §5: scheduled work, no logged-in person): the fields must be
     * complete and right, as when a draft is sent on. `drafterPersonId` is the person the scheduled
     * work names as responsible for the case (a series' secretary): the drafter's role (editing, being
     * told the result) needs someone. The timeline and the audit chain record 系统 / System as the actor.
     */
    async createAsSystem(
      typeCode: string,
      initiatorUnitId: number,
      fields: Record<string, unknown>,
      opts: { drafterPersonId: number; watcherPersonIds?: number[]; lang?: Lang },
    ) {
      const def = typeOf(typeCode);
      const parsed = def.fields.safeParse(fields, { reportInput: true });
      if (!parsed.success) throw validation(problemsFromZod(parsed.error.issues, ['fields']));
      const unit = await repo.unitById(db.kysely, initiatorUnitId);
      if (unit?.active !== 1) throw notFound('unit');
      if (!(await repo.peopleByIds([opts.drafterPersonId])).length)
        throw validation([{ path: 'drafterPersonId', key: 'unknown_reference', params: { value: opts.drafterPersonId } }]);
      return insertCase(systemActorContext(opts.lang), def, unit, parsed.data, null, opts.drafterPersonId, opts.watcherPersonIds ?? []);
    },

    async update(ctx: Ctx, id: number, input: z.infer<typeof CaseUpdate>) {
      const actor = actorOf(ctx);
      await db.kysely.transaction().execute(async (tx) => {
        const { snap, roles, held } = await openCase(ctx, id, tx);
        const def = typeOf(snap.typeCode);
        if (!roles.onCase.has('drafter') || !def.editableIn.includes(snap.state)) throw new AppError('NOT_EDITABLE');
        // A deputy edits the draft of the drafter they stand in for: recorded as done on their behalf.
        const drafterFor = held.own.onCase.has('drafter') ? null : held.as.find((a) => a.roles.onCase.has('drafter'))?.principal;
        if (input.version !== snap.version) throw new AppError('CONFLICT');
        const fields = draftFields(def, input.fields);
        const cal = await calendar.load(tx);
        const binding = await checkBinding(tx, def, fields, { id: snap.initiatorUnitId, path: snap.initiatorUnitPath }, cal, snap.drafterPersonId, ctx.lang);
        const at = clock.now().toISOString();
        const ok = await repo.bumpVersion(
          tx,
          id,
          snap.version,
          { fields, title: binding.title, dueDate: binding.dueDate, signingLeaderPersonId: binding.signingLeaderPersonId },
          at,
        );
        if (!ok) throw new AppError('CONFLICT');
        // Receivers follow the revised form: kept, added, or cancelled when removed (a unit, or a person).
        const wanted = new Map(binding.parts.map((r) => [partKey(r), r]));
        for (const part of snap.parts) {
          const key = partKey(part);
          if (!wanted.has(key)) await repo.updatePart(tx, part.id, { state: 'cancelled' }, at);
          else await repo.updatePart(tx, part.id, { state: def.initialPartState, dueDate: binding.dueDate }, at);
          wanted.delete(key);
        }
        await repo.insertParts(
          tx,
          id,
          [...wanted.values()].map((r) => ({ ...r, state: def.initialPartState, dueDate: binding.dueDate })),
          at,
        );
        await repo.setPartRoles(tx, id, binding.parts);
        await repo.insertEvent(tx, {
          caseId: id,
          partId: null,
          at,
          actorPersonId: actor.personId,
          actorName: actor.name,
          action: 'edit',
          fromState: snap.state,
          toState: snap.state,
          revision: snap.revision,
          data: { before: snap.fields, after: fields, ...onBehalf(drafterFor) },
        });
        await refreshTasks(tx, def, id, at);
        await search.index(tx, 'case', id, searchText(snap.number, fields));
        await audit.record(tx, ctx, {
          action: 'case.edit',
          entityType: 'case',
          entityId: id,
          unitId: snap.initiatorUnitId,
          before: snap.fields,
          after: drafterFor ? { ...fields, ...onBehalf(drafterFor) } : fields,
        });
      });
      return views.detail(ctx, id);
    },
  };
}
