import { randomUUID } from 'node:crypto';
import type { ManualClock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { systemContext } from '../../platform/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Services } from '../../services.js';
import { accountsRepository, assertStrongPassword, hashPassword, randomPassword } from '../accounts/index.js';
import type { Change } from '../audit/index.js';
import { createImportService, type ImportActions, sheetFromRecords } from '../org/index.js';
import { buildDemoModel, type DemoModel } from './demo.data.js';
import { createDemoForms, type DemoForm } from './demo.forms.js';

/**
 * `npm run demo`: a realistic organization (group, thermal power plant, coal mine, power-supply
 * company; a few hundred people) loaded into an EMPTY database through the same validation and
 * batched writes as the spreadsheet import, every change with its audit event, in one transaction;
 * then a handful of work contact forms in varied states, written by the cases service as the demo
 * people (demo.forms.ts). The services must run on `clock`: the organization is loaded a month
 * back and the forms' history is played forward to the present, so that one form can honestly be
 * past its deadline.
 */

export class DemoRefusedError extends Error {
  constructor(organization: string) {
    super(
      `数据库中已有组织“${organization}”，演示数据只能装入空数据库（换一个 LIAISON_DATA_DIR 或 DATABASE_URL）。\n` +
        `The database already holds the organization "${organization}"; demo data can only be loaded into an empty database (use another LIAISON_DATA_DIR or DATABASE_URL).`,
    );
    this.name = 'DemoRefusedError';
  }
}

export interface DemoLogin {
  username: string;
  password: string;
  name: string;
  role: string;
  unit: string;
  label: string;
}

export interface DemoResult {
  organization: string;
  units: number;
  people: number;
  logins: DemoLogin[];
  forms: DemoForm[];
}

/** How far back the organization is loaded: ahead of the forms' working days even across the longest holiday. */
const ORG_LOADED_DAYS_AGO = 30;

const DEMO_ACTIONS: ImportActions = {
  unitCreate: 'unit.create',
  unitUpdate: 'unit.update',
  personCreate: 'person.create',
  personUpdate: 'person.update',
  summary: 'org.demo_load',
};

/** The demo's printed passwords are one-time passwords like any other. */
export { randomPassword };

/**
 * Loads the demo organization; with `clock` (the ManualClock the services run on) also the demo
 * forms. Without it only the organization, as before: the case benchmark builds its own forms on top.
 */
export async function loadDemo(s: Services, opts: { clock?: ManualClock; seed?: number; model?: DemoModel } = {}): Promise<DemoResult> {
  const { clock } = opts;
  if (clock && s.clock !== clock) throw new Error('loadDemo: the services must run on the ManualClock passed in');
  const model = opts.model ?? buildDemoModel(opts.seed);
  const status = await s.setup.status();
  if (!status.needed) throw new DemoRefusedError(status.organizationName ?? '');
  const now = s.clock.now();

  // Passwords are hashed before the transaction (argon2 is deliberately slow).
  const passwords = new Map(model.logins.map((l) => [l.username, randomPassword()]));
  for (const p of passwords.values()) assertStrongPassword(p);
  const hashes = new Map(await Promise.all([...passwords].map(async ([u, p]) => [u, await hashPassword(p)] as const)));

  const ctx: RequestContext = { ...systemContext(), requestId: `demo-${randomUUID()}` };
  clock?.set(new Date(now.getTime() - ORG_LOADED_DAYS_AGO * 24 * 3_600_000));
  try {
    let setup: Awaited<ReturnType<Services['setup']['run']>>;
    try {
      setup = await s.setup.run(ctx, {
        organizationName: model.organizationName,
        timeZone: 'Asia/Shanghai',
        admin: { name: model.admin.name, username: 'admin', password: passwords.get('admin') as string },
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'SETUP_DONE') throw new DemoRefusedError((await s.setup.status()).organizationName ?? '');
      throw err;
    }

    const importer = createImportService(s);
    const accounts = accountsRepository(s.db);
    const file = {
      format: 'xlsx' as const,
      unknown: [],
      sheets: [
        sheetFromRecords('units', [
          { code: model.rootCode, name: model.organizationName, type: 'group', parentCode: '', sortOrder: 0 },
          ...model.units.map((u) => ({ ...u })),
        ]),
        sheetFromRecords(
          'people',
          model.people.map((p) => ({ ...p })),
        ),
      ],
    };

    await s.db.kysely.transaction().execute(async (tx) => {
      const validated = await importer.plan(tx, file);
      if (!validated.ok) {
        const first = validated.problems.slice(0, 5).map((p) => `${p.sheet}:${p.row}:${p.column} ${p.key} ${JSON.stringify(p.params)}`);
        throw new Error(`demo data does not validate (a bug in demo.data.ts): ${first.join('; ')}`);
      }
      await importer.apply(tx, ctx, validated.plan, { actions: DEMO_ACTIONS, source: 'npm run demo' });

      const now = s.clock.now().toISOString();
      const events: Change[] = [];
      // The administrator from setup gets a post and an employee number like everyone else.
      const adminBefore = await s.org.repo.personById(tx, setup.personId);
      await s.org.repo.updatePerson(
        tx,
        setup.personId,
        { employeeNo: model.admin.employeeNo, post: model.admin.post, phone: model.admin.phone, gender: model.admin.gender === '女' ? 'female' : 'male' },
        now,
      );
      events.push({
        action: 'person.update',
        entityType: 'person',
        entityId: setup.personId,
        unitId: setup.rootUnitId,
        before: adminBefore,
        after: await s.org.repo.personById(tx, setup.personId),
      });

      const byNo = new Map(
        (
          await tx
            .selectFrom('person')
            .select(['id', 'employee_no'])
            .where('employee_no', 'in', [...model.extraRoles.map((r) => r.employeeNo), ...model.logins.map((l) => l.employeeNo).filter((n) => n !== 'admin')])
            .execute()
        ).map((r) => [r.employee_no as string, r.id]),
      );
      const unitIds = new Map((await tx.selectFrom('unit').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
      for (const r of model.extraRoles) {
        const personId = byNo.get(r.employeeNo) as number;
        const unitId = unitIds.get(r.unitCode) as number;
        const membershipId = await s.org.repo.insertMembership(tx, { personId, unitId, roleCode: r.roleCode, isPrimary: false }, now);
        events.push({
          action: 'membership.create',
          entityType: 'person',
          entityId: personId,
          unitId,
          after: { membershipId, personId, unitId, roleCode: r.roleCode, isPrimary: false },
        });
      }
      for (const l of model.logins) {
        if (l.employeeNo === 'admin') continue;
        const personId = byNo.get(l.employeeNo) as number;
        const id = await accounts.insertAccount(tx, { personId, username: l.username, passwordHash: hashes.get(l.username) as string, mustChange: true, now });
        events.push({ action: 'account.create', entityType: 'account', entityId: id, after: { id, username: l.username, personId, active: true } });
      }
      // The printed passwords are one-time passwords (issue 8): every demo login, the administrator
      // from setup included, must choose its own at first login.
      await accounts.updateAccount(tx, setup.accountId, { must_change_password: 1, updated_at: now });
      events.push({
        action: 'account.update',
        entityType: 'account',
        entityId: setup.accountId,
        unitId: setup.rootUnitId,
        before: { id: setup.accountId, mustChangePassword: false },
        after: { id: setup.accountId, mustChangePassword: true },
      });
      await s.audit.recordMany(tx, ctx, events);
    });

    const forms = clock ? await createDemoForms(s, clock, model, passwords, now) : [];
    return {
      organization: model.organizationName,
      units: model.units.length + 1,
      people: model.people.length + 1,
      logins: await describeLogins(s, model, passwords),
      forms,
    };
  } finally {
    // Whatever happened, the clock is not left in the past.
    if (clock && clock.now().getTime() < now.getTime()) clock.set(now);
  }
}

async function describeLogins(s: Services, model: DemoModel, passwords: Map<string, string>): Promise<DemoLogin[]> {
  const rows = await s.db.kysely
    .selectFrom('account')
    .innerJoin('membership', 'membership.person_id', 'account.person_id')
    .innerJoin('person', 'person.id', 'account.person_id')
    .innerJoin('unit', 'unit.id', 'membership.unit_id')
    .innerJoin('role', 'role.code', 'membership.role_code')
    .select(['account.username', 'person.name', 'role.name_zh as role', 'unit.name as unit', 'membership.is_primary'])
    .orderBy('membership.is_primary', 'desc')
    .orderBy('membership.id')
    .execute();
  return model.logins.map((l) => {
    const mine = rows.filter((r) => r.username === l.username);
    const primary = mine[0];
    // The primary role, then roles held elsewhere ("办公室@华岳能源集团": runs liaison work group-wide).
    const roles = mine.map((r, i) => (i === 0 ? r.role : `${r.role}@${r.unit}`)).join('，');
    return {
      username: l.username,
      password: passwords.get(l.username) as string,
      name: primary?.name ?? '',
      role: roles,
      unit: primary?.unit ?? '',
      label: l.label,
    };
  });
}
