import type { z } from 'zod';
import type { CaseAction, CaseCreate, CaseListQuery, CaseUpdate } from '../../../contracts/cases.js';
import { type RequestContext, systemActorContext } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/database.js';
import { contentDisposition, sniff } from '../../platform/files/index.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { type Lang, problemsFromZod } from '../../platform/http/messages.js';
import { EXCEL_DATE, EXCEL_DATE_TIME, excelDate, excelDateTime, loadExcel } from '../../platform/xlsx/index.js';
import { type Actor, type Ctx, can, scopeRoots } from '../access/index.js';
import { type Calendar, describeFlags, explain, localDate, localDateTime } from '../calendar/index.js';
import { dueSoonFrom } from './engine/clocks.js';
import type { CaseRoles, CaseTypeDef, RelRole } from './engine/definition.js';
import { chooseRoles } from './engine/delegation.js';
import { sendsDraftOn } from './engine/drafts.js';
import { availableActions, creationClocks, expiryMovePlan, followPlan, isRefusal, movesState, type Plan } from './engine/machine.js';
import { isMergeRefusal, mergeResultState, mergeRoles, organizationOf, planMerge } from './engine/merge.js';
import { isClosed, isPartOver } from './engine/roles.js';
import { pendingTasks, soonestTask, taskKey, taskLabelKey } from './engine/tasks.js';
import {
  AlreadyHandled,
  type Bound,
  CASE_TYPES,
  createSharedContext,
  type Deps,
  onBehalfOfIn,
  partKey,
  SIGNING_ROLES,
  type Snapshot,
  validation,
} from './service/shared.js';

export { CASE_TYPES, registerCaseTypes } from './service/shared.js';

export function createCasesService(deps: Deps) {
  const s = createSharedContext(deps);
  const {
    db,
    clock,
    audit,
    calendar,
    notifications,
    assessments,
    search,
    files,
    repo,
    privateDraftRule,
    requestedType,
    typeOf,
    label,
    policiesFor,
    actorOf,
    access,
    openCase,
    onBehalf,
    localLabel,
    partLabel,
    notificationsFor,
    refreshTasks,
    checkBinding,
    checkWatchers,
    draftFields,
    completeFields,
    searchText,
    refuse,
    readsAnswered,
    mergeRefused,
  } = s;

  async function applyPlan(tx: Tx, ctx: RequestContext, def: CaseTypeDef, snap: Snapshot, p: Plan, at: string) {
    const revision = p.newRevision ? snap.revision + 1 : snap.revision;
    const binding = def.bind(snap.fields);
    for (const change of p.partChanges) {
      const set: Record<string, unknown> = { state: change.to, ...change.set };
      // A new revision starts from the revised form's due date.
      if (p.newRevision) Object.assign(set, { dueDate: binding.dueDate, overdue: false, requestedDueDate: null });
      await repo.updatePart(tx, change.partId, set, at);
    }
    for (const partId of new Set(p.markOverdue)) await repo.updatePart(tx, partId, { overdue: true }, at);
    for (const partId of new Set(p.clearOverdue)) if (!p.newRevision) await repo.updatePart(tx, partId, { overdue: false }, at);
    await repo.stopClocks(tx, p.stopClocks, at);
    await repo.insertClocks(
      tx,
      p.startClocks.map((c) => ({
        caseId: snap.id,
        partId: c.partId,
        code: c.code,
        revision,
        startedAt: c.startedAt.toISOString(),
        dueAt: c.dueAt.toISOString(),
        remindAt: c.remindAt?.toISOString() ?? null,
        ...(c.moreReminders?.length && { moreReminders: c.moreReminders.map((d) => d.toISOString()) }),
        explanation: c.steps,
        flags: c.flags,
      })),
    );
    for (const prop of p.proposals) {
      const part = snap.parts.find((x) => x.id === prop.partId);
      await assessments.propose(tx, ctx, {
        rule: prop.rule,
        sourceType: 'case',
        sourceId: snap.id,
        sourcePartId: prop.partId,
        evidence: snap.number,
        subjectUnitId: part?.unitId ?? null,
        proposerUnitId: snap.initiatorUnitId,
        proposerPersonId: snap.drafterPersonId,
        judgePersonId: snap.signingLeaderPersonId,
      });
    }
    if (p.children?.length) await createChildren(tx, ctx, snap, p, at);
    // A case reaching a final state takes the cases merged into it along (issue 9 §4).
    if (p.caseTo !== snap.state && isClosed(def, { state: p.caseTo })) await followMerged(tx, def, snap, p.caseTo, at, ctx.lang);
    return revision;
  }

  /**
   * The child cases a plan creates (issue 9 §4), in the parent's transaction: each complete and
   * right as when the system creates a case (a field the parent's type made wrong answers 400 naming
   * `children.<i>.fields.<name>`, and nothing changes), linked to the parent, created by the acting
   * person or by the system; one timeline event and one audit event on the parent name them all.
   */
  async function createChildren(tx: Tx, ctx: RequestContext, snap: Snapshot, p: Plan, at: string) {
    const person = ctx.actor && 'personId' in ctx.actor ? (ctx.actor as Actor) : null;
    const cal = await calendar.load(tx);
    const made: { caseId: number; number: string; type: string }[] = [];
    for (const [i, c] of (p.children ?? []).entries()) {
      const cdef = typeOf(c.type);
      const parsed = cdef.fields.safeParse(c.fields, { reportInput: true });
      if (!parsed.success) throw validation(problemsFromZod(parsed.error.issues, ['children', String(i), 'fields']));
      const unit = await repo.unitById(tx, c.initiatorUnitId);
      if (unit?.active !== 1) throw validation([{ path: `children.${i}.initiatorUnitId`, key: 'unknown_reference', params: { value: c.initiatorUnitId } }]);
      const drafter = c.as === 'actor' && person ? person.personId : snap.drafterPersonId;
      const binding = await checkBinding(tx, cdef, parsed.data, unit, cal, drafter, ctx.lang).catch((e: unknown) => {
        // The child's field, as the parent's action made it: `children.<i>.fields.<name>`.
        if (e instanceof AppError && e.code === 'VALIDATION') throw validation(e.details.map((d) => ({ ...d, path: `children.${i}.${d.path}` })));
        throw e;
      });
      const by = c.as === 'actor' && person ? { personId: person.personId, name: person.name } : null;
      const child = await insertCaseIn(
        tx,
        by ? ctx : systemActorContext(ctx.lang),
        cdef,
        unit,
        parsed.data,
        by,
        by?.personId ?? snap.drafterPersonId,
        [],
        { cal, binding },
        { id: snap.id, number: snap.number },
      );
      made.push({ caseId: child.id, number: child.number, type: cdef.code });
    }
    await repo.insertEvent(tx, {
      caseId: snap.id,
      partId: p.partId,
      at,
      actorPersonId: person?.personId ?? null,
      actorName: person?.name ?? null,
      action: 'children_created',
      fromState: null,
      toState: null,
      revision: snap.revision,
      data: { children: made },
    });
    await audit.record(tx, ctx, {
      action: 'case.children_created',
      entityType: 'case',
      entityId: snap.id,
      unitId: snap.initiatorUnitId,
      after: { children: made },
    });
  }

  /**
   * The cases merged into `target` follow it to its result (issue 9 §4): each still open reaches the
   * target's final state (one type) or its type's result, by the system, and its people are told.
   * A case that itself has cases merged into it takes them along in turn.
   */
  async function followMerged(tx: Tx, targetDef: CaseTypeDef, target: Snapshot, targetState: string, at: string, lang: Lang) {
    for (const m of await repo.mergedInto(tx, target.id)) {
      if (m.closed_at) continue;
      const mdef = typeOf(m.type_code);
      const state = mergeResultState(mdef, targetDef, targetState);
      if (!state) continue;
      await repo.lockCase(tx, m.id);
      const msnap = await repo.snapshot(tx, m.id);
      if (!msnap) continue;
      const cal = await calendar.load(tx);
      const p = followPlan({ def: mdef, snap: msnap, now: new Date(at), cal, policies: {} }, 'merge_result', state);
      const data = { caseId: target.id, number: target.number, result: label(targetDef, `state.${targetState}`, lang) };
      await moveFollowing(tx, systemActorContext(lang), mdef, msnap, p, at, data, mdef.merge?.notify ?? ['drafter'], 'case.merge_result');
    }
  }

  /**
   * A case moved because of another one (merged into it, or following its result): version bump,
   * the plan applied, one timeline event and one audit event, 待办 refreshed, its people told.
   */
  async function moveFollowing(
    tx: Tx,
    ctx: RequestContext,
    def: CaseTypeDef,
    snap: Snapshot,
    p: Plan,
    at: string,
    data: Record<string, unknown>,
    notify: readonly RelRole[],
    message: string,
  ) {
    const person = ctx.actor && 'personId' in ctx.actor ? (ctx.actor as Actor) : null;
    const closing = p.caseTo !== snap.state && isClosed(def, { state: p.caseTo });
    if (!(await repo.bumpVersion(tx, snap.id, snap.version, { state: p.caseTo, ...(closing && { closedAt: at }) }, at))) throw new AppError('CONFLICT');
    await applyPlan(tx, ctx, def, snap, p, at);
    await repo.insertEvent(tx, {
      caseId: snap.id,
      partId: null,
      at,
      actorPersonId: person?.personId ?? null,
      actorName: person?.name ?? null,
      action: p.action,
      fromState: snap.state,
      toState: p.caseTo,
      revision: snap.revision,
      data: { ...data, parts: p.partChanges.map((c) => ({ partId: c.partId, from: c.from, to: c.to })) },
    });
    const after = (await refreshTasks(tx, def, snap.id, at)) ?? snap;
    await notifications.resolveCase(
      tx,
      snap.id,
      pendingTasks(def, after).map((t) => ({ partId: t.partId, key: taskKey(t) })),
    );
    const targetNumber = typeof data.number === 'string' ? data.number : null;
    const result = typeof data.result === 'string' ? data.result : null;
    await notifications.send(
      tx,
      await notificationsFor(
        tx,
        after,
        [{ to: notify, partId: null, message }],
        () => ({ number: snap.number, title: snap.title, actor: person?.name ?? null, target: targetNumber, result }),
        person?.personId ?? null,
      ),
    );
    await audit.record(tx, ctx, {
      action: `case.${p.action}`,
      entityType: 'case',
      entityId: snap.id,
      unitId: snap.initiatorUnitId,
      before: { state: snap.state },
      after: { state: p.caseTo, ...data },
    });
  }

  /**
   * One sweep step in its own transaction: lock the case row (the same lock order as user actions),
   * claim the clock, act. Another process that got there first leaves nothing to claim: roll back.
   */
  async function claimedStep<C>(
    caseId: number,
    claim: (tx: Tx) => Promise<C | undefined>,
    step: (tx: Tx, claimed: C, snap: Snapshot) => Promise<void>,
  ): Promise<boolean> {
    try {
      await db.kysely.transaction().execute(async (tx) => {
        if (!(await repo.lockCase(tx, caseId))) throw new AlreadyHandled();
        const claimed = await claim(tx);
        if (!claimed) throw new AlreadyHandled();
        const snap = await repo.snapshot(tx, caseId);
        if (!snap) throw new AlreadyHandled();
        await step(tx, claimed, snap);
      });
      return true;
    } catch (e) {
      if (e instanceof AlreadyHandled) return false;
      throw e;
    }
  }

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

  /** The case as one user sees it: fields, parts, deadlines, their actions now, timeline, files, links. */
  async function view(ctx: Ctx, snap: Snapshot, roles: CaseRoles, q: Queryable) {
    const actor = actorOf(ctx);
    const def = typeOf(snap.typeCode);
    const lang = ctx.lang;
    const id = snap.id;
    const [units, timeline, clocks, watching, attachments, links, family] = await Promise.all([
      repo.unitsByIds([snap.initiatorUnitId, ...snap.parts.map((p) => p.unitId)], q),
      repo.timeline(id, q),
      repo.clocksOf(id, q),
      repo.isWatching(q, id, actor.personId),
      repo.attachments(id, q),
      repo.links(id, q),
      relatedCases(q, snap, lang),
    ]);
    const people = await repo.peopleByIds(
      [snap.drafterPersonId, snap.signingLeaderPersonId ?? 0, ...snap.parts.flatMap((p) => [p.handlerPersonId ?? 0, p.personId ?? 0])].filter((x) => x > 0),
      q,
    );
    const unitName = (uid: number) => units.find((u) => u.id === uid)?.name ?? String(uid);
    const personRef = (pid: number | null | undefined) => (pid ? { id: pid, name: people.find((x) => x.id === pid)?.name ?? String(pid) } : null);
    /** A part as the timeline names it: its unit, or its person in their unit (issue 9 §2). */
    const partName = (p: Snapshot['parts'][number] | undefined) =>
      p?.personId ? `${personRef(p.personId)?.name}（${unitName(p.unitId)}）` : unitName(p?.unitId ?? 0);
    const shown = clocks.filter((c) => c.revision === snap.revision || (c.fired_at === null && c.stopped_at === null));
    // One deadline, one answer (issue 8): the latest clock of each code and unit is current; one it
    // replaced (a sign clock restarted after an objection was rejected) is history.
    const latest = new Map<string, number>();
    for (const c of shown) latest.set(`${c.code}:${c.part_id ?? 0}`, Math.max(c.id, latest.get(`${c.code}:${c.part_id ?? 0}`) ?? 0));
    const isCurrent = (c: (typeof shown)[number]) => latest.get(`${c.code}:${c.part_id ?? 0}`) === c.id;
    const cal = await calendar.load(q);
    const deadlineView = (c: (typeof shown)[number]) => ({
      clock: c.code,
      clockLabel: label(def, `clock.${c.code}`, lang),
      partId: c.part_id,
      dueAt: c.due_at,
      startedAt: c.started_at,
      state: c.fired_at ? ('fired' as const) : c.stopped_at ? (c.outcome === 'missed' ? ('missed' as const) : ('met' as const)) : ('running' as const),
      explanation: explain(JSON.parse(c.explanation_json), lang),
      flags: describeFlags(JSON.parse(c.flags_json), lang),
      soonAt: c.fired_at || c.stopped_at ? null : dueSoonFrom(cal, new Date(c.due_at)).toISOString(),
    });
    return {
      id: snap.id,
      type: def.code,
      typeName: lang === 'en' ? def.nameEn : def.nameZh,
      number: snap.number,
      title: snap.title,
      state: snap.state,
      stateLabel: label(def, `state.${snap.state}`, lang),
      version: snap.version,
      revision: snap.revision,
      fields: snap.fields,
      initiatorUnit: { id: snap.initiatorUnitId, name: unitName(snap.initiatorUnitId) },
      drafter: personRef(snap.drafterPersonId) ?? { id: snap.drafterPersonId, name: '' },
      signingLeader: personRef(snap.signingLeaderPersonId),
      createdAt: snap.createdAt,
      updatedAt: snap.updatedAt,
      closedAt: snap.closedAt,
      parts: snap.parts.map((p) => ({
        id: p.id,
        unit: { id: p.unitId, name: unitName(p.unitId) },
        person: personRef(p.personId),
        role: p.role,
        state: p.state,
        stateLabel: label(def, `state.${p.state}`, lang),
        handler: personRef(p.handlerPersonId),
        dueDate: p.dueDate,
        requestedDueDate: p.requestedDueDate,
        // 已超期 is about what is still owed: never on a part or case that is over.
        overdue: p.overdue && !isPartOver(def, snap, p.state),
        supervised: p.supervised,
      })),
      deadlines: shown.filter(isCurrent).map(deadlineView),
      replacedDeadlines: shown.filter((c) => !isCurrent(c)).map(deadlineView),
      actions: availableActions(def, snap, roles).map((a) => ({ action: a.action, label: label(def, `action.${a.action}`, lang), partId: a.partId })),
      editable: roles.onCase.has('drafter') && def.editableIn.includes(snap.state),
      watching,
      timeline: timeline.map((e) => ({
        id: e.id,
        at: e.at,
        actor: e.actor_name,
        // An event without a person is the system's (an expiry, a move, a case it created): 系统 / System.
        actorKind: e.actor_person_id === null ? ('system' as const) : ('person' as const),
        action: e.action,
        label: label(def, `action.${e.action}`, lang),
        partId: e.part_id,
        unitName: e.part_id ? partName(snap.parts.find((p) => p.id === e.part_id)) : null,
        fromState: e.from_state,
        toState: e.to_state,
        revision: e.revision,
        data: e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null,
        onBehalfOf: onBehalfOfIn(e.data_json),
      })),
      attachments: attachments.map((a) => ({ id: a.id, name: a.name, mime: a.mime, size: a.size, partId: a.part_id, createdAt: a.created_at })),
      links: links.map((l) => ({ id: l.id, number: l.number, title: l.title, state: label(typeOf(l.type_code), `state.${l.state}`, lang) })),
      ...family,
    };
  }

  /**
   * The cases a case is related to by the engine (issue 9 §4): the parent that created it and the
   * children it created, the case it was merged into and those merged into it — each with its number,
   * title and state as the reader's language names it.
   */
  async function relatedCases(q: Queryable, snap: Snapshot, lang: Lang) {
    const ref = (r: { id: number; type_code: string; number: string; title: string; state: string }) => {
      const d = typeOf(r.type_code);
      return {
        id: r.id,
        type: r.type_code,
        typeName: lang === 'en' ? d.nameEn : d.nameZh,
        number: r.number,
        title: r.title,
        state: r.state,
        stateLabel: label(d, `state.${r.state}`, lang),
        closed: isClosed(d, r),
      };
    };
    const [below, up] = await Promise.all([
      repo.relatedTo(q, snap.id),
      repo.casesByIds(
        q,
        [snap.parentCaseId ?? 0, snap.mergedIntoCaseId ?? 0].filter((x) => x > 0),
      ),
    ]);
    const children = below.filter((r) => r.parent_case_id === snap.id);
    const merged = below.filter((r) => r.merged_into_case_id === snap.id);
    const parent = up.find((r) => r.id === snap.parentCaseId);
    const into = up.find((r) => r.id === snap.mergedIntoCaseId);
    return {
      parent: parent ? ref(parent) : null,
      children: children.map(ref),
      mergedInto: into ? { ...ref(into), at: snap.mergedAt } : null,
      merged: merged.map(ref),
    };
  }

  return {
    types: CASE_TYPES,

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
      return this.detail(ctx, id);
    },

    /** One action on a case: validated against the type's table, applied with its audit event in one transaction. */
    async act(ctx: Ctx, id: number, body: z.infer<typeof CaseAction>) {
      const actor = actorOf(ctx);
      return db.kysely.transaction().execute(async (tx) => {
        const { snap, held } = await openCase(ctx, id, tx);
        if (body.version !== undefined && body.version !== snap.version) throw new AppError('CONFLICT');
        const def = typeOf(snap.typeCode);
        const cal = await calendar.load(tx);
        const now = clock.now();
        const at = now.toISOString();
        // 提交签发 checks what 保存草稿 did not: the form is complete, its people and units fit. Before the
        // plan, so that no guard reads a field the draft does not have yet.
        if ([held.own, ...held.as.map((a) => a.roles)].some((r) => sendsDraftOn(def, snap, r, body.action))) await completeFields(tx, def, snap, cal, ctx.lang);
        // The person's own roles, or (委托代理) a principal's when only theirs allow the action.
        const chosen = chooseRoles(
          {
            def,
            snap,
            action: body.action,
            partId: body.partId ?? null,
            input: body.input,
            now,
            cal,
            policies: await policiesFor(def, snap.initiatorUnitId, tx),
            ...(await readsAnswered(tx, def, snap, body.action, now, cal)),
          },
          held,
        );
        const p = chosen.plan;
        if (isRefusal(p)) throw refuse(def, snap, p, body.action, ctx.lang);
        const behalf = onBehalf(chosen.onBehalfOf);
        const t = def.transitions.find((x) => x.action === p.action);
        const part = snap.parts.find((x) => x.id === p.partId) ?? null;
        const names: Record<string, string> = {};
        for (const field of t?.membersOfPartUnit ?? []) {
          const personId = Number(p.input[field]);
          const name = (await repo.personName(tx, personId)) ?? String(personId);
          if (!part || !(await repo.isMember(tx, personId, part.unitId)))
            throw validation([{ path: `input.${field}`, key: 'not_a_member', params: { value: name } }]);
          names[field.replace(/PersonId$/, 'Name')] = name;
        }
        // The optimistic lock: of two people acting at once, the second finds the version moved on.
        const closing = p.caseTo !== snap.state && def.states.find((s) => s.level === 'case' && s.code === p.caseTo)?.final;
        const ok = await repo.bumpVersion(
          tx,
          id,
          snap.version,
          { state: p.caseTo, revision: p.newRevision ? snap.revision + 1 : snap.revision, ...(closing && { closedAt: at }) },
          at,
        );
        if (!ok) throw new AppError('CONFLICT');
        const revision = await applyPlan(tx, ctx, def, snap, p, at);
        const partState = p.partChanges.find((c) => c.partId === p.partId);
        await repo.insertEvent(tx, {
          caseId: id,
          partId: p.partId,
          at,
          actorPersonId: actor.personId,
          actorName: actor.name,
          action: p.action,
          fromState: partState?.from ?? snap.state,
          toState: partState?.to ?? p.caseTo,
          revision,
          data: {
            ...p.input,
            ...names,
            ...(p.newRevision && { fields: snap.fields }),
            started: p.startClocks.map((c) => ({ clock: c.code, partId: c.partId, dueAt: c.dueAt.toISOString() })),
            stopped: p.stopClocks.map((c) => ({ clock: c.code, partId: c.partId, missed: c.missed })),
            ...behalf,
          },
        });
        const after = (await refreshTasks(tx, def, id, at)) ?? snap;
        // Doing what a notification asked reads it, for everyone it went to (the whole unit asked to sign).
        await notifications.resolveCase(
          tx,
          id,
          pendingTasks(def, after).map((t) => ({ partId: t.partId, key: taskKey(t) })),
        );
        await repo.watch(tx, id, [actor.personId], 'party', at);
        const due = p.startClocks[0]?.dueAt.toISOString() ?? after.clocks.find((c) => c.partId === p.partId)?.dueAt ?? null;
        const unitName = await partLabel(tx, part);
        const reason = (p.input.reason ?? p.input.note ?? p.input.result ?? null) as string | null;
        await notifications.send(
          tx,
          await notificationsFor(
            tx,
            after,
            p.notices,
            () => ({ number: snap.number, title: snap.title, actor: actor.name, unit: unitName, reason, due: due ? localLabel(cal, due) : null }),
            actor.personId,
          ),
        );
        // The answer is read in the transaction from the snapshot taken for the tasks: what this action
        // made. Before the audit event, whose chain lock (PostgreSQL) is held until the commit.
        const answer = await view(ctx, after, await access(ctx, after, tx), tx);
        await audit.record(tx, ctx, {
          action: `case.${p.action}`,
          entityType: 'case',
          entityId: id,
          unitId: snap.initiatorUnitId,
          before: { state: snap.state, part: partState ? { id: partState.partId, state: partState.from } : undefined },
          after: { state: p.caseTo, part: partState ? { id: partState.partId, state: partState.to } : undefined, input: p.input, ...behalf },
        });
        return answer;
      });
    },

    async comment(ctx: Ctx, id: number, text: string) {
      const actor = actorOf(ctx);
      await db.kysely.transaction().execute(async (tx) => {
        const { snap } = await openCase(ctx, id, tx);
        const at = clock.now().toISOString();
        await repo.insertEvent(tx, {
          caseId: id,
          partId: null,
          at,
          actorPersonId: actor.personId,
          actorName: actor.name,
          action: 'comment',
          fromState: null,
          toState: null,
          revision: snap.revision,
          data: { text },
        });
        await audit.record(tx, ctx, { action: 'case.comment', entityType: 'case', entityId: id, unitId: snap.initiatorUnitId, after: { text } });
      });
      return this.detail(ctx, id);
    },

    /** Links two cases the user can both see (a re-issued form to its predecessor, a form to its supervision case …). */
    async link(ctx: Ctx, id: number, otherId: number) {
      const actor = actorOf(ctx);
      if (id === otherId) throw validation([{ path: 'otherCaseId', key: 'invalid', params: {} }]);
      await db.kysely.transaction().execute(async (tx) => {
        const snap = await repo.snapshot(tx, id);
        const other = await repo.snapshot(tx, otherId);
        if (!snap || !other) throw notFound('case');
        await access(ctx, snap, tx);
        await access(ctx, other, tx);
        const at = clock.now().toISOString();
        await repo.link(tx, id, otherId, actor.personId, at);
        for (const [a, b] of [
          [snap, other],
          [other, snap],
        ] as const) {
          await repo.insertEvent(tx, {
            caseId: a.id,
            partId: null,
            at,
            actorPersonId: actor.personId,
            actorName: actor.name,
            action: 'link',
            fromState: null,
            toState: null,
            revision: a.revision,
            data: { caseId: b.id, number: b.number },
          });
        }
        await audit.record(tx, ctx, { action: 'case.link', entityType: 'case', entityId: id, unitId: snap.initiatorUnitId, after: { otherCaseId: otherId } });
      });
      return this.detail(ctx, id);
    },

    /**
     * Merges a case into another (归纳整改, issue 9 §4): the case waits in its type's merge state,
     * its clocks stopped, and follows the target to its result. Both cases must be visible (else 404,
     * as for a case that does not exist); the person must hold a role the type lets merge. Timeline
     * and audit on both, in one transaction; the merged case's people are told.
     */
    async merge(ctx: Ctx, id: number, body: { targetCaseId: number; version?: number; reason?: string }) {
      const actor = actorOf(ctx);
      await db.kysely.transaction().execute(async (tx) => {
        const { snap, roles, held } = await openCase(ctx, id, tx);
        if (body.version !== undefined && body.version !== snap.version) throw new AppError('CONFLICT');
        // 委托代理: merged through a principal's role only, it is recorded as done on their behalf.
        const mergers = mergeRoles(typeOf(snap.typeCode));
        const behalf = mergers.some((r) => held.own.onCase.has(r)) ? {} : onBehalf(held.as.find((a) => mergers.some((r) => a.roles.onCase.has(r)))?.principal);
        const target = body.targetCaseId === id ? snap : await repo.snapshot(tx, body.targetCaseId);
        if (!target) throw notFound('case');
        if (target !== snap) await access(ctx, target, tx);
        const def = typeOf(snap.typeCode);
        const targetDef = typeOf(target.typeCode);
        const organization = async (path: string) => organizationOf(await repo.unitChain(tx, path));
        const now = clock.now();
        const at = now.toISOString();
        const p = planMerge({
          def,
          snap,
          roles,
          target: { def: targetDef, snap: target },
          organization: await organization(snap.initiatorUnitPath),
          targetOrganization: await organization(target.initiatorUnitPath),
          now,
          cal: await calendar.load(tx),
          policies: {},
        });
        if (isMergeRefusal(p)) throw mergeRefused(p, snap, target, ctx.lang);
        await repo.setMergedInto(tx, id, target.id, at);
        const reason = body.reason ?? null;
        await moveFollowing(
          tx,
          ctx,
          def,
          snap,
          p,
          at,
          { caseId: target.id, number: target.number, ...(reason && { reason }), ...behalf },
          def.merge?.notify ?? ['drafter'],
          'case.merged',
        );
        await repo.touch(tx, target.id, at);
        await repo.insertEvent(tx, {
          caseId: target.id,
          partId: null,
          at,
          actorPersonId: actor.personId,
          actorName: actor.name,
          action: 'merged_in',
          fromState: null,
          toState: null,
          revision: target.revision,
          data: { caseId: snap.id, number: snap.number, ...(reason && { reason }), ...behalf },
        });
        await repo.watch(tx, id, [actor.personId], 'party', at);
        await audit.record(tx, ctx, {
          action: 'case.merged_in',
          entityType: 'case',
          entityId: target.id,
          unitId: target.initiatorUnitId,
          after: { caseId: snap.id, number: snap.number, ...(reason && { reason }), ...behalf },
        });
      });
      return this.detail(ctx, id);
    },

    async setWatching(ctx: Ctx, id: number, watching: boolean) {
      const actor = actorOf(ctx);
      await db.kysely.transaction().execute(async (tx) => {
        const { snap } = await openCase(ctx, id, tx);
        const at = clock.now().toISOString();
        if (watching) await repo.watch(tx, id, [actor.personId], 'follow', at);
        else await repo.unwatch(tx, id, actor.personId);
        await audit.record(tx, ctx, { action: watching ? 'case.follow' : 'case.unfollow', entityType: 'case', entityId: id, unitId: snap.initiatorUnitId });
      });
    },

    async detail(ctx: Ctx, id: number) {
      const { snap, roles } = await openCase(ctx, id, db.kysely);
      return view(ctx, snap, roles, db.kysely);
    },

    /** A reader opens the case: their notifications about it are read (not those about its assessments: the ledger entry opens those). */
    async open(ctx: Ctx, id: number) {
      const answer = await this.detail(ctx, id);
      await notifications.markAboutRead(actorOf(ctx).personId, { caseId: id });
      return answer;
    },

    async list(ctx: Ctx, q: z.infer<typeof CaseListQuery>) {
      const actor = actorOf(ctx);
      if (q.type) requestedType(q.type, 'type');
      const unitIds = [...new Set(actor.grants.map((g) => g.unitId))];
      // A deputy holds their principals' 待办 while the delegation is in force (委托代理, issue 9 §2).
      const principalPersonIds = (await deps.principalsOf(db.kysely, actor.personId)).map((p) => p.personId);
      const { total, rows } = await repo.list({
        personId: actor.personId,
        principalPersonIds,
        unitIds,
        readPaths: scopeRoots(actor.grants, 'case.read'),
        privateDrafts: privateDraftRule,
        tab: q.tab,
        typeCode: q.type,
        state: q.state,
        unitId: q.unitId,
        overdue: q.overdue,
        search: q.q || undefined,
        page: q.page,
        pageSize: q.pageSize,
        now: clock.now().toISOString(),
      });
      const [parts, tasks, cal] = await Promise.all([
        repo.partsOf(rows.map((r) => r.id)),
        repo.myTasks(
          rows.map((r) => r.id),
          [actor.personId, ...principalPersonIds],
          unitIds,
        ),
        calendar.load(),
      ]);
      const now = clock.now().toISOString();
      return {
        total,
        page: q.page,
        pageSize: q.pageSize,
        items: rows.map((r) => {
          const def = typeOf(r.type_code);
          // 已超期 only where something is still owed (a part over, or the case closed, is not late).
          const mine = parts.filter((p) => p.case_id === r.id).map((p) => ({ ...p, late: p.overdue === 1 && !isPartOver(def, r, p.state) }));
          const task = soonestTask(tasks.filter((t) => t.case_id === r.id));
          return {
            id: r.id,
            type: r.type_code,
            number: r.number,
            title: r.title,
            state: r.state,
            stateLabel: label(def, `state.${r.state}`, ctx.lang),
            initiatorUnitId: r.initiator_unit_id,
            dueDate: r.due_date,
            taskDueAt: r.task_due_at,
            task: task
              ? {
                  label: label(def, taskLabelKey(def, task), ctx.lang),
                  partId: task.part_id,
                  dueAt: task.due_at,
                  soonAt: task.due_at ? dueSoonFrom(cal, new Date(task.due_at)).toISOString() : null,
                }
              : null,
            overdue: mine.some((p) => p.late) || (!!task?.due_at && task.due_at < now),
            parts: mine.map((p) => ({
              id: p.id,
              // A person part is named by its person, in their unit (issue 9 §2).
              unitName: p.person_name ? `${p.person_name}（${p.unit_name}）` : p.unit_name,
              role: p.role,
              state: p.state,
              stateLabel: label(def, `state.${p.state}`, ctx.lang),
              overdue: p.late,
            })),
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          };
        }),
      };
    },

    /** Stores the file by content hash and records it on the case's timeline, after checking what it really is. */
    async attach(ctx: Ctx, id: number, file: { name: string; data: Buffer; partId: number | null }) {
      const actor = actorOf(ctx);
      const { snap } = await openCase(ctx, id, db.kysely);
      if (file.partId !== null && !snap.parts.some((p) => p.id === file.partId)) throw notFound('case');
      // A closed case keeps the evidence it was closed on (ADR 0005): comments yes, new files no.
      if (isClosed(typeOf(snap.typeCode), snap)) throw new AppError('CASE_CLOSED');
      if (file.data.length > deps.maxAttachmentBytes)
        throw new AppError('UPLOAD_TOO_LARGE', { limit: `${Math.round(deps.maxAttachmentBytes / 1024 / 1024)} MB` });
      if (file.data.length === 0) throw validation([{ path: 'file', key: 'empty_file', params: {} }]);
      const kind = sniff(file.data, file.name);
      if (!kind.ok)
        throw new AppError('ATTACHMENT_TYPE', { name: file.name, reason: kind.reason }, [
          { path: 'file', key: `attachment_${kind.reason}`, params: { ext: kind.ext } },
        ]);
      const stored = await files.put(file.data);
      const at = clock.now().toISOString();
      const attachmentId = await db.kysely.transaction().execute(async (tx) => {
        const eventId = await repo.insertEvent(tx, {
          caseId: id,
          partId: file.partId,
          at,
          actorPersonId: actor.personId,
          actorName: actor.name,
          action: 'attach',
          fromState: null,
          toState: null,
          revision: snap.revision,
          data: { name: file.name, size: stored.size },
        });
        const aid = await repo.insertAttachment(tx, {
          caseId: id,
          partId: file.partId,
          eventId,
          name: file.name,
          mime: kind.mime,
          size: stored.size,
          sha256: stored.sha256,
          uploadedBy: actor.personId,
          at,
        });
        await audit.record(tx, ctx, {
          action: 'case.attach',
          entityType: 'case',
          entityId: id,
          unitId: snap.initiatorUnitId,
          after: { attachmentId: aid, name: file.name, size: stored.size, sha256: stored.sha256 },
        });
        return aid;
      });
      return { id: attachmentId, name: file.name, mime: kind.mime, size: stored.size, partId: file.partId, createdAt: at };
    },

    async attachmentFile(ctx: Ctx, id: number, attachmentId: number) {
      await openCase(ctx, id, db.kysely);
      const a = await repo.attachment(id, attachmentId);
      if (!a || !(await files.has(a.sha256))) throw notFound('attachment');
      return { mime: a.mime, contentDisposition: contentDisposition(a.name), stream: files.createReadStream(a.sha256) };
    },

    /** The list as shown, to .xlsx (up to 10,000 rows). */
    async exportXlsx(ctx: Ctx, q: z.infer<typeof CaseListQuery>) {
      const zh = ctx.lang === 'zh-CN';
      const ExcelJS = await loadExcel();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(zh ? '工作联系' : 'Cases');
      ws.columns = [
        { header: zh ? '编号' : 'Number', key: 'number', width: 16 },
        { header: zh ? '标题' : 'Title', key: 'title', width: 40 },
        { header: zh ? '状态' : 'State', key: 'stateLabel', width: 14 },
        { header: zh ? '收单单位' : 'Receivers', key: 'receivers', width: 40 },
        { header: zh ? '要求完成日期' : 'Due date', key: 'dueDate', width: 14, style: { numFmt: EXCEL_DATE } },
        { header: zh ? '超期' : 'Overdue', key: 'overdue', width: 8 },
        { header: zh ? '起草时间' : 'Created', key: 'createdAt', width: 18, style: { numFmt: EXCEL_DATE_TIME } },
      ];
      // Dates as Excel dates, times as the organization's wall-clock time (not UTC ISO text).
      const { timeZone } = await calendar.load();
      ws.getRow(1).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
      for (let page = 1; page <= 20; page++) {
        const res = await this.list(ctx, { ...q, page, pageSize: 500 });
        for (const c of res.items) {
          ws.addRow({
            ...c,
            receivers: c.parts.map((p) => `${p.unitName}（${p.stateLabel}）`).join('；'),
            overdue: c.overdue ? (zh ? '是' : 'yes') : '',
            dueDate: excelDate(c.dueDate) ?? c.dueDate,
            createdAt: excelDateTime(localDateTime(new Date(c.createdAt), timeZone)),
          });
        }
        if (page * 500 >= res.total) break;
      }
      return { data: Buffer.from(await wb.xlsx.writeBuffer()), contentDisposition: contentDisposition(zh ? '工作联系.xlsx' : 'cases.xlsx') };
    },

    /** Every active unit, for addressing forms across the organization (an address book, not a management scope). */
    async unitDirectory() {
      return (await repo.unitDirectory()).map((u) => ({
        id: u.id,
        parentId: u.parent_id,
        typeCode: u.type_code,
        code: u.code,
        name: u.name,
        path: u.path,
        depth: u.depth,
        sortOrder: u.sort_order,
        active: true,
      }));
    },

    /** People who may sign and issue for a unit (its leaders and the leaders above it). */
    async signingLeaders(ctx: Ctx, unitId: number) {
      actorOf(ctx);
      const unit = await repo.unitById(db.kysely, unitId);
      if (!unit) throw notFound('unit');
      return repo.signingLeaders(unit.path, SIGNING_ROLES);
    },

    /** Members of the drafter's own unit (or one where they may read people), for naming people on a form. */
    async unitMembers(ctx: Ctx, unitId: number) {
      const actor = actorOf(ctx);
      const unit = await repo.unitById(db.kysely, unitId);
      if (!unit) throw notFound('unit');
      if (!actor.grants.some((g) => g.unitId === unitId) && !can(actor.grants, 'people.read', unit.path)) {
        if (can(actor.grants, 'org.read', unit.path)) throw new AppError('FORBIDDEN');
        throw notFound('unit');
      }
      return repo.unitMembers(unitId);
    },

    /** Members of a receiving unit, for naming the handler when signing. */
    async partMembers(ctx: Ctx, id: number, partId: number) {
      const { snap, roles } = await openCase(ctx, id, db.kysely);
      const part = snap.parts.find((p) => p.id === partId);
      if (!part) throw notFound('case');
      // Only the receiving unit itself names its handler; others need not see its roster.
      if (!roles.onPart.get(part.id)?.has('receiver')) throw new AppError('FORBIDDEN');
      return repo.unitMembers(part.unitId);
    },

    /**
     * Fires due clocks and reminders. Each one is claimed in its own transaction under the case's row
     * lock, so with several processes every expiry effect and every reminder happens exactly once
     * (issue 4; a clock's later reminders, issue 9 §3). The system acts: its moves are recorded as
     * 系统 / System (issue 9 §5).
     */
    async sweep(limit = 500): Promise<{ fired: number; reminded: number }> {
      let fired = 0;
      let reminded = 0;
      const now = clock.now();
      const at = now.toISOString();
      const ctx = systemActorContext();
      for (;;) {
        const due = await repo.dueReminders(at, limit);
        for (const d of due) if (await this.remindOne(d.id, d.case_id, at, ctx)) reminded++;
        if (due.length < limit) break;
      }
      for (;;) {
        const due = await repo.dueMoreReminders(at, limit);
        for (const d of due) if (await this.remindOne(d.id, d.case_id, at, ctx, 'more')) reminded++;
        if (due.length < limit) break;
      }
      for (;;) {
        const due = await repo.dueClocks(at, limit);
        for (const d of due) if (await this.fireOne(d.id, d.case_id, at, ctx)) fired++;
        if (due.length < limit) break;
      }
      return { fired, reminded };
    },

    /**
     * A clock ran out: its expiry effects, planned by the engine like an action (issue 9 §3) and
     * applied on the same path — a move to a state bumps the case's version, stops and starts the
     * clocks it needs, and is its own timeline event and audit event, by the system.
     */
    fireOne(clockId: number, caseId: number, at: string, ctx: RequestContext): Promise<boolean> {
      return claimedStep(
        caseId,
        (tx) => repo.claimClock(tx, clockId, at),
        async (tx, claimed, snap) => {
          const def = typeOf(snap.typeCode);
          const cal = await calendar.load(tx);
          const cdef = def.clocks.find((c) => c.code === claimed.code);
          // Policies only when the expiry may start clocks (a move): the common expiry reads none.
          const policies = cdef?.onExpiry.some((e) => e.kind === 'moveTo') ? await policiesFor(def, snap.initiatorUnitId, tx) : {};
          const p = expiryMovePlan({ def, snap, now: new Date(at), cal, policies, clock: { id: claimed.id, code: claimed.code, partId: claimed.part_id } });
          const moved = movesState(p);
          if (!moved) p.clearOverdue = [];
          if (moved) {
            const closing = p.caseTo !== snap.state && def.states.find((s) => s.level === 'case' && s.code === p.caseTo)?.final;
            // Under the case's row lock: nobody else can have moved the version.
            if (!(await repo.bumpVersion(tx, caseId, snap.version, { state: p.caseTo, ...(closing && { closedAt: at }) }, at))) throw new AlreadyHandled();
          } else await repo.touch(tx, snap.id, at);
          await applyPlan(tx, ctx, def, snap, p, at);
          await repo.insertEvent(tx, {
            caseId,
            partId: claimed.part_id,
            at,
            actorPersonId: null,
            actorName: null,
            action: 'clock_expired',
            fromState: null,
            toState: null,
            revision: snap.revision,
            data: { clock: claimed.code, dueAt: claimed.due_at },
          });
          const partMove = p.partChanges.find((c) => c.partId === claimed.part_id) ?? (p.caseTo === snap.state ? p.partChanges[0] : undefined);
          if (moved) {
            await repo.insertEvent(tx, {
              caseId,
              partId: partMove && p.caseTo === snap.state ? partMove.partId : null,
              at,
              actorPersonId: null,
              actorName: null,
              action: 'moved',
              fromState: partMove && p.caseTo === snap.state ? partMove.from : snap.state,
              toState: partMove && p.caseTo === snap.state ? partMove.to : p.caseTo,
              revision: snap.revision,
              data: {
                clock: claimed.code,
                parts: p.partChanges.map((c) => ({ partId: c.partId, from: c.from, to: c.to })),
                started: p.startClocks.map((c) => ({ clock: c.code, partId: c.partId, dueAt: c.dueAt.toISOString() })),
                stopped: p.stopClocks.map((c) => ({ clock: c.code, partId: c.partId, missed: c.missed })),
              },
            });
          }
          const part = snap.parts.find((x) => x.id === claimed.part_id);
          const unitName = await partLabel(tx, part);
          await notifications.send(
            tx,
            await notificationsFor(
              tx,
              snap,
              p.notices,
              () => ({ number: snap.number, title: snap.title, actor: null, unit: unitName, reason: null, due: localLabel(cal, claimed.due_at) }),
              null,
            ),
          );
          const after = (await refreshTasks(tx, def, caseId, at)) ?? snap;
          if (moved)
            await notifications.resolveCase(
              tx,
              caseId,
              pendingTasks(def, after).map((t) => ({ partId: t.partId, key: taskKey(t) })),
            );
          await audit.record(tx, ctx, {
            action: 'case.deadline_missed',
            entityType: 'case',
            entityId: caseId,
            unitId: snap.initiatorUnitId,
            after: { clock: claimed.code, partId: claimed.part_id, dueAt: claimed.due_at },
          });
          if (moved)
            await audit.record(tx, ctx, {
              action: 'case.moved',
              entityType: 'case',
              entityId: caseId,
              unitId: snap.initiatorUnitId,
              before: { state: snap.state, parts: p.partChanges.map((c) => ({ id: c.partId, state: c.from })) },
              after: { state: p.caseTo, parts: p.partChanges.map((c) => ({ id: c.partId, state: c.to })), clock: claimed.code },
            });
        },
      );
    },

    /** One reminder, sent once: the clock's own (`remind_at`) or one of its later ones (`more`, case_clock_reminder). */
    remindOne(id: number, caseId: number, at: string, ctx: RequestContext, which: 'clock' | 'more' = 'clock'): Promise<boolean> {
      return claimedStep(
        caseId,
        (tx) => (which === 'clock' ? repo.claimReminder(tx, id, at) : repo.claimMoreReminder(tx, id, at)),
        async (tx, claimed, snap) => {
          const def = typeOf(snap.typeCode);
          const cdef = def.clocks.find((c) => c.code === claimed.code);
          const cal = await calendar.load(tx);
          if (!cdef) return;
          await notifications.send(
            tx,
            await notificationsFor(
              tx,
              snap,
              [{ to: [cdef.awaits], partId: claimed.part_id, message: 'case.reminder' }],
              () => ({ number: snap.number, title: snap.title, actor: null, unit: null, reason: null, due: localLabel(cal, claimed.due_at) }),
              null,
            ),
          );
          await audit.record(tx, ctx, {
            action: 'case.reminder',
            entityType: 'case',
            entityId: caseId,
            unitId: snap.initiatorUnitId,
            after: { clock: claimed.code, partId: claimed.part_id, dueAt: claimed.due_at },
          });
        },
      );
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
