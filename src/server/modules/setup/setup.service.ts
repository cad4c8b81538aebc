import type { SetupInput } from '../../../contracts/setup.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { type Database, isUniqueViolation } from '../../platform/db/database.js';
import { AppError } from '../../platform/http/errors.js';
import { assertStrongPassword, hashPassword } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import { setupRepository } from './setup.repository.js';

export function createSetupService(db: Database, clock: Clock, audit: AuditService) {
  const repo = setupRepository(db);
  return {
    async status() {
      const org = await repo.organization();
      // Setup hands the installation to whoever reaches it first: only on a database never used.
      return { needed: !org && !(await repo.hasHistory()), organizationName: org?.name ?? null };
    },

    async organization() {
      const org = await repo.organization();
      return { name: org?.name ?? '', timeZone: org?.time_zone ?? 'Asia/Shanghai' };
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
          if ((await repo.organization(tx)) || (await repo.hasHistory(tx))) throw new AppError('SETUP_DONE');
          await repo.insertOrganization(tx, input.organizationName, input.timeZone, now);
          const rootId = await repo.insertRootUnit(tx, input.organizationName, now);
          const { personId, accountId } = await repo.insertAdministrator(tx, { ...input.admin, passwordHash, rootId, now });
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
        // The loser of two racing setups hits organization's primary key.
        if (isUniqueViolation(err)) throw new AppError('SETUP_DONE');
        throw err;
      }
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
