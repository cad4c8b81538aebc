import type { z } from 'zod';
import type { CaseAction } from '../../../../contracts/cases.js';
import { type RequestContext, systemActorContext } from '../../../platform/context.js';
import type { Tx } from '../../../platform/db/database.js';
import { sniff } from '../../../platform/files/index.js';
import { AppError, notFound } from '../../../platform/http/errors.js';
import { type Lang, problemsFromZod } from '../../../platform/http/messages.js';
import type { Actor, Ctx } from '../../access/index.js';
import type { CaseTypeDef, RelRole } from '../engine/definition.js';
import { chooseRoles } from '../engine/delegation.js';
import { sendsDraftOn } from '../engine/drafts.js';
import { followPlan, isRefusal, type Plan } from '../engine/machine.js';
import { isMergeRefusal, mergeResultState, mergeRoles, organizationOf, planMerge } from '../engine/merge.js';
import { isClosed } from '../engine/roles.js';
import { pendingTasks, taskKey } from '../engine/tasks.js';
import type { CaseInserts } from './create.js';
import { type SharedContext, type Snapshot, validation } from './shared.js';
import type { CaseView, CaseViews } from './views.js';

/** Applying an engine plan: clocks, parts, proposals, child cases, and the cases that follow a merge target (issue 9 §4). */
export function planSteps(s: SharedContext, { insertCaseIn }: CaseInserts) {
  const { audit, calendar, notifications, assessments, repo, typeOf, label, notificationsFor, recordStep, refreshTasks, checkBinding } = s;

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
    await recordStep(tx, ctx, {
      event: {
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
      },
      audit: {
        action: 'case.children_created',
        entityType: 'case',
        entityId: snap.id,
        unitId: snap.initiatorUnitId,
        after: { children: made },
      },
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

  return { applyPlan, moveFollowing };
}

export type PlanSteps = ReturnType<typeof planSteps>;

/** What people do on a case: an action, a comment, a link, a merge, following it, a file. */
export function caseActions(s: SharedContext, { applyPlan, moveFollowing }: PlanSteps, views: CaseView & Pick<CaseViews, 'detail'>) {
  const {
    deps,
    db,
    clock,
    audit,
    calendar,
    notifications,
    files,
    repo,
    typeOf,
    policiesFor,
    actorOf,
    access,
    openCase,
    onBehalf,
    localLabel,
    partLabel,
    notificationsFor,
    recordStep,
    refreshTasks,
    completeFields,
    refuse,
    readsAnswered,
    mergeRefused,
  } = s;
  const { view } = views;

  return {
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
        await recordStep(tx, ctx, {
          event: {
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
          },
          audit: { action: 'case.comment', entityType: 'case', entityId: id, unitId: snap.initiatorUnitId, after: { text } },
        });
      });
      return views.detail(ctx, id);
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
      return views.detail(ctx, id);
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
        await repo.watch(tx, id, [actor.personId], 'party', at);
        await recordStep(tx, ctx, {
          event: {
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
          },
          audit: {
            action: 'case.merged_in',
            entityType: 'case',
            entityId: target.id,
            unitId: target.initiatorUnitId,
            after: { caseId: snap.id, number: snap.number, ...(reason && { reason }), ...behalf },
          },
        });
      });
      return views.detail(ctx, id);
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
  };
}
