import type { z } from 'zod';
import type { DelegationCreate, DelegationView } from '../../../contracts/delegation.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { FieldProblem } from '../../platform/http/messages.js';
import { assertCoversPerson, type Ctx, type Grant, scopeRoots } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { localDateTime } from '../calendar/index.js';
import type { PolicyService } from '../policy/index.js';
import { type DelegationRow, delegationRepository } from './delegation.repository.js';
import { checkPeriod, overlaps, statusOf } from './delegation.rules.js';

interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  policy: PolicyService;
  rootPath: () => Promise<string>;
  /** A person's grants (access module): a deputy acts with the principal's unit roles too. */
  grantsOf: (q: Queryable, personId: number) => Promise<Grant[]>;
  /** The organization's time zone (calendar module), for instants in messages. */
  timeZone: (q: Queryable) => Promise<string>;
}

/** Managers set up delegations for the people they manage (the scope-covers-target rule, issue 8 security 1). */
const MANAGE = 'people.manage' as const;

const validation = (problems: FieldProblem[]) => new AppError('VALIDATION', { summary: problems.map((p) => p.path).join(', ') }, problems);

/**
 * 委托代理 (issue 9 §2, ADR 0005 "Delegation"): a person hands their roles to a named deputy for a
 * period. Only delegations whose period contains the clock's now count: each ends by itself.
 */
export function createDelegationService({ db, clock, audit, policy, rootPath, grantsOf, timeZone }: Deps) {
  const repo = delegationRepository(db);
  const view = (r: DelegationRow): DelegationView => ({
    id: r.id,
    principal: { id: r.principal_person_id, name: r.principal_name },
    deputy: { id: r.deputy_person_id, name: r.deputy_name },
    from: r.valid_from,
    until: r.valid_until,
    reason: r.reason,
    createdBy: { id: r.created_by_person_id, name: r.created_by_name },
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    status: statusOf({ from: r.valid_from, until: r.valid_until, revokedAt: r.revoked_at }, clock.now()),
  });
  const actorOf = (ctx: Ctx) => {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    return ctx.actor;
  };
  /** One's own, or a manager covering the principal; 404/403 otherwise (as for the person's record). */
  const assertMayManage = async (q: Queryable, ctx: Ctx, principalPersonId: number, root: string) => {
    if (principalPersonId === actorOf(ctx).personId) return;
    await assertCoversPerson(q, ctx, principalPersonId, MANAGE, root);
  };

  return {
    async create(ctx: Ctx, input: z.infer<typeof DelegationCreate>) {
      const actor = actorOf(ctx);
      const principalPersonId = input.principalPersonId ?? actor.personId;
      const from = new Date(input.from).toISOString();
      const until = new Date(input.until).toISOString();
      const now = clock.now();
      const at = now.toISOString();
      const maxDays = await policy.get('delegation.maxDays');
      // Read before the transaction: on SQLite a read outside it would wait for it to end.
      const root = await rootPath();
      return db.kysely.transaction().execute(async (tx) => {
        await assertMayManage(tx, ctx, principalPersonId, root);
        const problems = checkPeriod({ principalPersonId, deputyPersonId: input.deputyPersonId, from, until }, now, maxDays);
        const deputy = await repo.person(tx, input.deputyPersonId);
        if (!deputy) problems.push({ path: 'deputyPersonId', key: 'unknown_reference', params: { value: input.deputyPersonId } });
        else if (deputy.status !== 'active') problems.push({ path: 'deputyPersonId', key: 'delegate_has_left', params: {} });
        const principal = await repo.person(tx, principalPersonId);
        if (!principal) throw notFound('person');
        if (principal.status !== 'active') problems.push({ path: 'principalPersonId', key: 'delegate_has_left', params: {} });
        await repo.lockPrincipal(tx, principalPersonId);
        const clash = (await repo.openOfPrincipal(tx, principalPersonId, at)).find((d) =>
          overlaps({ from, until }, { from: d.valid_from, until: d.valid_until }),
        );
        if (clash) {
          const tz = await timeZone(tx);
          const local = (iso: string) => {
            const l = localDateTime(new Date(iso), tz);
            return `${l.date} ${l.time}`;
          };
          problems.push({
            path: 'from',
            key: 'delegation_overlap',
            params: {
              deputy: clash.deputy_name,
              from: local(clash.valid_from),
              until: local(clash.valid_until),
            },
          });
        }
        if (problems.length) throw validation(problems);
        const id = await repo.insert(tx, {
          principalPersonId,
          deputyPersonId: input.deputyPersonId,
          from,
          until,
          reason: input.reason,
          createdBy: actor.personId,
          at,
        });
        await audit.record(tx, ctx, {
          action: 'delegation.create',
          entityType: 'delegation',
          entityId: id,
          after: {
            principalPersonId,
            principalName: principal.name,
            deputyPersonId: input.deputyPersonId,
            deputyName: deputy?.name,
            from,
            until,
            reason: input.reason,
          },
        });
        const row = await repo.byId(tx, id);
        if (!row) throw notFound('delegation');
        return view(row);
      });
    },

    /** Mine (as principal, deputy or the one who set it up), and for managers those of the people they manage. */
    async list(ctx: Ctx) {
      const actor = actorOf(ctx);
      return (await repo.list(actor.personId, scopeRoots(actor.grants, MANAGE))).map(view);
    },

    /** Ends it early: the principal, the deputy (handing it back), or a manager covering the principal. Audited. */
    async revoke(ctx: Ctx, id: number) {
      const actor = actorOf(ctx);
      const root = await rootPath();
      return db.kysely.transaction().execute(async (tx) => {
        const d = await repo.byId(tx, id);
        if (!d) throw notFound('delegation');
        if (d.deputy_person_id !== actor.personId && d.created_by_person_id !== actor.personId) {
          try {
            await assertMayManage(tx, ctx, d.principal_person_id, root);
          } catch (e) {
            // Not theirs to see: the delegation itself is not found.
            if (e instanceof AppError && e.code === 'NOT_FOUND') throw notFound('delegation');
            throw e;
          }
        }
        const now = clock.now();
        if (statusOf({ from: d.valid_from, until: d.valid_until, revokedAt: d.revoked_at }, now) === 'revoked' || d.valid_until <= now.toISOString())
          throw new AppError('DELEGATION_ENDED');
        if (!(await repo.revoke(tx, id, actor.personId, now.toISOString()))) throw new AppError('DELEGATION_ENDED');
        await audit.record(tx, ctx, {
          action: 'delegation.revoke',
          entityType: 'delegation',
          entityId: id,
          before: { until: d.valid_until },
          after: { revokedAt: now.toISOString(), principalPersonId: d.principal_person_id, deputyPersonId: d.deputy_person_id },
        });
        const row = await repo.byId(tx, id);
        if (!row) throw notFound('delegation');
        return view(row);
      });
    },

    /**
     * The people `deputyPersonId` stands in for now, with their grants: what the case engine resolves
     * roles for besides the deputy's own. Nothing once a period is over or revoked.
     */
    async principalsOf(q: Queryable, deputyPersonId: number) {
      const rows = await repo.inForceFor(q, deputyPersonId, clock.now().toISOString());
      const out: { personId: number; name: string; grants: Grant[] }[] = [];
      for (const r of rows) {
        if (out.some((p) => p.personId === r.principal_person_id)) continue;
        out.push({ personId: r.principal_person_id, name: r.principal_name, grants: await grantsOf(q, r.principal_person_id) });
      }
      return out;
    },
  };
}

export type DelegationService = ReturnType<typeof createDelegationService>;
