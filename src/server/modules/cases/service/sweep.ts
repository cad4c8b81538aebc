import { type RequestContext, systemActorContext } from '../../../platform/context.js';
import type { Tx } from '../../../platform/db/database.js';
import { expiryMovePlan, movesState } from '../engine/machine.js';
import { pendingTasks, taskKey } from '../engine/tasks.js';
import type { PlanSteps } from './act.js';
import type { SharedContext, Snapshot } from './shared.js';

/** A rolled-back sweep step: another process already handled the clock. */
class AlreadyHandled extends Error {}

/** The clock sweep: due clocks fired and reminders sent, each exactly once (issue 4, issue 9 §3). */
export function caseSweep(s: SharedContext, { applyPlan }: PlanSteps) {
  const { db, clock, audit, calendar, notifications, repo, typeOf, policiesFor, localLabel, partLabel, notificationsFor, refreshTasks } = s;

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

  return {
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
