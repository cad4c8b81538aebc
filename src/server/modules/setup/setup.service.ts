import type { SetupInput } from '../../../contracts/setup.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/http/errors.js';
import { assertStrongPassword, hashPassword } from '../access/index.js';
import type { AuditService } from '../audit/index.js';

export function createSetupService(db: Database, clock: Clock, audit: AuditService) {
  return {
    async status() {
      const org = await db.kysely.selectFrom('organization').select('name').executeTakeFirst();
      return { needed: !org, organizationName: org?.name ?? null };
    },

    /**
     * First start: the organization, its root unit and the first administrator, in one transaction.
     * The organization row has id = 1 with a CHECK, so two racing setups cannot both succeed.
     */
    async run(ctx: RequestContext, input: SetupInput): Promise<{ accountId: number; personId: number; rootUnitId: number }> {
      assertStrongPassword(input.admin.password, 'admin.password');
      if (!Intl.supportedValuesOf('timeZone').includes(input.timeZone) && input.timeZone !== 'UTC')
        throw new AppError('VALIDATION', { summary: 'timeZone' }, [{ path: 'timeZone', key: 'invalid', params: {} }]);
      const passwordHash = await hashPassword(input.admin.password);
      const now = clock.now().toISOString();
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          if (await tx.selectFrom('organization').select('id').executeTakeFirst()) throw new AppError('SETUP_DONE');
          await tx.insertInto('organization').values({ id: 1, name: input.organizationName, time_zone: input.timeZone, created_at: now }).execute();
          const { id: rootId } = await tx
            .insertInto('unit')
            .values({ parent_id: null, type_code: 'company', code: 'ROOT', name: input.organizationName, path: '', depth: 0, sort_order: 0, active: 1, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx.updateTable('unit').set({ path: `/${rootId}/` }).where('id', '=', rootId).execute();
          const { id: personId } = await tx
            .insertInto('person')
            .values({ name: input.admin.name, gender: null, post: null, employee_no: null, phone: null, status: 'active', created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx.insertInto('membership').values({ person_id: personId, unit_id: rootId, role_code: 'system_admin', is_primary: 1, created_at: now }).execute();
          const { id: accountId } = await tx
            .insertInto('account')
            .values({
              person_id: personId,
              username: input.admin.username,
              password_hash: passwordHash,
              must_change_password: 0,
              active: 1,
              failed_logins: 0,
              locked_until: null,
              last_login_at: null,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const actorCtx = { ...ctx, actor: { accountId, name: input.admin.name } };
          await audit.record(tx, actorCtx, {
            action: 'organization.setup',
            entityType: 'organization',
            entityId: 1,
            unitId: rootId,
            after: { name: input.organizationName, timeZone: input.timeZone, admin: input.admin.username },
          });
          return { accountId, personId, rootUnitId: rootId };
        });
      } catch (err) {
        const e = err as { code?: string };
        if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new AppError('SETUP_DONE');
        throw err;
      }
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
