/**
 * Data for `npm run bench -- --cases`: the demo organization with an account and API token for
 * everyone, a plan of N work contact forms across it, and a generator that writes those forms with
 * direct batched inserts — the same rows, column for column, that the cases service writes when
 * the forms are created, submitted, issued, signed, replied to and reminded over the API.
 *
 * How "the same rows" is made sure of: the first few planned forms (one of each shape) are written
 * by the real service (`cases.create` / `cases.act` / `cases.sweep` on a manual clock), and the
 * generator's output for the same plans is compared with what the service wrote, table by table
 * and column by column (`fidelityCheck`). The generator mirrors `cases.service.ts`; when the
 * service changes what it writes, the check says where.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor, Ctx } from '../src/server/modules/access/index.js';
import { accountsRepository, hashPassword, newApiToken, sha256 } from '../src/server/modules/accounts/index.js';
import { GENESIS_HASH, hashEvent } from '../src/server/modules/audit/index.js';
import { type Calendar, deadlineAfter, localDate, localDateTime } from '../src/server/modules/calendar/index.js';
import { type ClockStart, casesRepository, contactForm, type PolicyNumbers, reminderAt, startClock } from '../src/server/modules/cases/index.js';
import { prng } from '../src/server/modules/demo/index.js';
import { SYSTEM_ACTOR_NAME } from '../src/server/platform/context.js';
import { indexText } from '../src/server/platform/search/bigrams.js';
import type { Services } from '../src/server/services.js';

// ---------------------------------------------------------------------------------------------
// The organization
// ---------------------------------------------------------------------------------------------

export interface Org {
  units: Map<number, { id: number; code: string; name: string; path: string }>;
  names: Map<number, string>;
  accountOf: Map<number, number>;
  tokenOf: Map<number, string>;
  /** Active members of each unit (any role). */
  members: Map<number, number[]>;
  /** What the org repository's `unitContacts` answers: who a unit-addressed notice reaches. */
  contacts: Map<number, number[]>;
  /** Signing leaders over a unit (`peopleWithRoleOver(['leader','unit_head'], path)`). */
  leadersOver: Map<number, number[]>;
  officeOver: Map<number, number[]>;
  supervisionOver: Map<number, number[]>;
  initiatorUnits: number[];
  receiverUnits: number[];
  /** The unit that receives a larger share of forms, and its head: the busy inbox. */
  busyUnit: number;
  busyPerson: number;
}

const SIGNING_ROLES = ['leader', 'unit_head'];

/** People of the busy unit who list their 待办 at once (issue 9: 8 concurrent users); the demo's unit has two. */
export const BUSY_UNIT_PEOPLE = 8;

/** The busy unit staffed up to BUSY_UNIT_PEOPLE: staff members, each seeing the unit's tasks in their 待办. */
async function staffBusyUnit(s: Services, busyUnitCode: string, now: string) {
  const k = s.db.kysely;
  const unit = await k.selectFrom('unit').select('id').where('code', '=', busyUnitCode).executeTakeFirstOrThrow();
  const have = await k.selectFrom('membership').select(sql<number>`count(distinct person_id)`.as('n')).where('unit_id', '=', unit.id).executeTakeFirstOrThrow();
  const names = ['韩立新', '邵春梅', '程志刚', '蒋丽娟', '曹文博', '彭晓燕', '袁建国', '任海燕'];
  await k.transaction().execute(async (tx) => {
    for (const name of names.slice(0, Math.max(0, BUSY_UNIT_PEOPLE - Number(have.n)))) {
      const { id } = await tx
        .insertInto('person')
        .values({ name, gender: null, post: '设备专工', employee_no: null, phone: null, status: 'active', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.insertInto('membership').values({ person_id: id, unit_id: unit.id, role_code: 'staff', is_primary: 1, created_at: now }).execute();
    }
  });
}

/**
 * Gives every active person with a membership an account and an API token (setup, not measured),
 * through the access repository's own inserts, and reads the organization the planner needs
 * through the cases repository's own queries.
 */
export async function prepareOrg(s: Services, busyUnitCode = 'RD-SB'): Promise<Org> {
  const k = s.db.kysely;
  const repo = casesRepository(s.db, { index: async () => {}, remove: async () => {}, matching: () => null as never });
  const unitContacts = s.org.repo.unitContacts;
  const accounts = accountsRepository(s.db);
  const now = s.clock.now().toISOString();
  await staffBusyUnit(s, busyUnitCode, now);
  const people = await k
    .selectFrom('person')
    .select(['id', 'name'])
    .where('status', '=', 'active')
    .where((eb) => eb.exists(eb.selectFrom('membership').select('membership.id').whereRef('membership.person_id', '=', 'person.id')))
    .orderBy('id')
    .execute();
  const passwordHash = await hashPassword(`Bench-${randomUUID()}`);
  const tokenOf = new Map<number, string>();
  const accountOf = new Map<number, number>();
  await k.transaction().execute(async (tx) => {
    for (const p of people) {
      let account = await accounts.accountByPerson(tx, p.id);
      if (!account) {
        const id = await accounts.insertAccount(tx, { personId: p.id, username: `bench${p.id}`, passwordHash, mustChange: false, now });
        account = await accounts.accountById(tx, id);
      } else if (account.must_change_password === 1) {
        // The demo's one-time passwords are never used here; its people act through API tokens.
        await accounts.updateAccount(tx, account.id, { must_change_password: 0, updated_at: now });
      }
      const token = newApiToken();
      await accounts.insertToken(tx, {
        accountId: account!.id,
        name: 'bench',
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        now,
      });
      tokenOf.set(p.id, token);
      accountOf.set(p.id, account!.id);
    }
  });
  const units = new Map(
    (await k.selectFrom('unit').select(['id', 'code', 'name', 'path']).where('active', '=', 1).orderBy('id').execute()).map((u) => [u.id, u]),
  );
  const names = new Map(people.map((p) => [p.id, p.name]));
  const memberRows = await k
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .select(['m.unit_id', 'm.person_id'])
    .where('p.status', '=', 'active')
    .orderBy('m.id')
    .execute();
  const members = new Map<number, number[]>();
  for (const r of memberRows) {
    const list = members.get(r.unit_id) ?? [];
    if (!list.includes(r.person_id)) list.push(r.person_id);
    members.set(r.unit_id, list);
  }
  const contacts = new Map<number, number[]>();
  const leadersOver = new Map<number, number[]>();
  const officeOver = new Map<number, number[]>();
  const supervisionOver = new Map<number, number[]>();
  for (const u of units.values()) {
    contacts.set(u.id, await unitContacts(k, u.id));
    leadersOver.set(u.id, await repo.peopleWithRoleOver(k, SIGNING_ROLES, u.path));
    officeOver.set(u.id, await repo.peopleWithRoleOver(k, ['office'], u.path));
    supervisionOver.set(u.id, await repo.peopleWithRoleOver(k, ['supervision'], u.path));
  }
  const root = [...units.values()].find((u) => u.path.split('/').filter(Boolean).length === 1);
  const staffed = [...units.values()].filter((u) => (members.get(u.id)?.length ?? 0) > 0 && (contacts.get(u.id)?.length ?? 0) > 0);
  const initiatorUnits = staffed.filter((u) => (leadersOver.get(u.id) ?? []).length > 0).map((u) => u.id);
  const receiverUnits = staffed.filter((u) => u.id !== root?.id).map((u) => u.id);
  const busy = [...units.values()].find((u) => u.code === busyUnitCode);
  if (!busy) throw new Error(`no unit ${busyUnitCode} in the demo organization`);
  const busyPerson = contacts.get(busy.id)?.[0];
  if (!busyPerson) throw new Error(`unit ${busyUnitCode} has nobody`);
  return {
    units,
    names,
    accountOf,
    tokenOf,
    members,
    contacts,
    leadersOver,
    officeOver,
    supervisionOver,
    initiatorUnits,
    receiverUnits,
    busyUnit: busy.id,
    busyPerson,
  };
}

// ---------------------------------------------------------------------------------------------
// The plan: who writes what to whom, and when
// ---------------------------------------------------------------------------------------------

export type Target = 'awaiting_sign' | 'in_progress' | 'replied';

export interface FormPlan {
  idx: number;
  target: Target;
  /** One of the forms whose sign-or-object deadline has passed at the sweep's time (reminded before it). */
  due: boolean;
  initiator: number;
  drafter: number;
  leader: number;
  receivers: { unitId: number; role: 'main' | 'assist' }[];
  /** Per part: who signs for it, whom they name as handler. */
  signers: number[];
  handlers: number[];
  title: string;
  body: string;
  dueDate: string;
  t: { create: Date; submit: Date; issue: Date; sign: Date[]; reply: Date[] };
}

export interface Layout {
  /** When the 1,000 due forms were issued, and their deadline. */
  dueIssue: Date;
  dueDeadline: Date;
  /** The sweep's clock: just after the due forms' deadline, before every other form's deadline and reminder. */
  sweepAt: Date;
  /** Every other form's last action happens in [windowStart, windowEnd]. */
  windowStart: Date;
  windowEnd: Date;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * Places the due forms' deadline at least 20 hours back, so that every other form can have been
 * issued (or replied to) after it: their deadlines and reminders then all lie after the sweep time.
 */
export function layout(cal: Calendar, policies: PolicyNumbers, now: Date): Layout {
  const signDays = policies['contactForm.signWorkingDays'] ?? 1;
  let issue = new Date(now.getTime() - 3 * 24 * HOUR);
  // 09:10 local on that day.
  const morning = (d: Date) => {
    const local = localDateTime(d, cal.timeZone);
    const offset = d.getTime() - Date.parse(`${local.date}T${local.time}:00Z`);
    return new Date(Date.parse(`${local.date}T09:10:00Z`) + offset);
  };
  for (;;) {
    issue = morning(issue);
    const due = deadlineAfter(cal, issue, signDays).deadline;
    if (due.getTime() < now.getTime() - 20 * HOUR) {
      const sweepAt = new Date(due.getTime() + 1000);
      return { dueIssue: issue, dueDeadline: due, sweepAt, windowStart: new Date(sweepAt.getTime() + MINUTE), windowEnd: new Date(now.getTime() - MINUTE) };
    }
    issue = new Date(issue.getTime() - 24 * HOUR);
  }
}

const TITLES = [
  ['关于', '皮带机检修台账核对的工作联系'],
  ['关于', '安全生产月活动材料报送的联系'],
  ['关于', '设备缺陷消缺情况反馈的联系'],
  ['请', '配合完成节前安全大检查'],
  ['关于', '煤矿井下通风系统巡检记录补录'],
  ['请', '核对本月考勤与绩效台账'],
  ['关于', '配电室标识标牌更换的工作联系'],
  ['请', '提供上季度隐患排查整改清单'],
];

/** The plans, one at a time (a million of them do not fit comfortably in memory at once); the same seed gives the same forms. */
export function* planForms(org: Org, cal: Calendar, lay: Layout, n: number, due: number, seed = 20_261_127): Generator<FormPlan> {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const today = localDate(lay.windowEnd, cal.timeZone);
  const addDays = (date: string, d: number) => new Date(Date.parse(`${date}T00:00:00Z`) + d * 24 * HOUR).toISOString().slice(0, 10);
  const span = lay.windowEnd.getTime() - lay.windowStart.getTime();
  for (let idx = 0; idx < n; idx++) {
    const isDue = idx < due;
    const r = rnd();
    const target: Target = isDue ? 'awaiting_sign' : r < 0.3 ? 'awaiting_sign' : r < 0.7 ? 'in_progress' : 'replied';
    const main = !isDue && rnd() < 0.03 ? org.busyUnit : pick(org.receiverUnits);
    let initiator = pick(org.initiatorUnits);
    while (initiator === main) initiator = pick(org.initiatorUnits);
    const receivers: FormPlan['receivers'] = [{ unitId: main, role: 'main' }];
    if (!isDue && rnd() < 0.2) {
      let assist = pick(org.receiverUnits);
      while (assist === main || assist === initiator) assist = pick(org.receiverUnits);
      receivers.push({ unitId: assist, role: 'assist' });
    }
    const drafter = pick(org.members.get(initiator) as number[]);
    const leaders = (org.leadersOver.get(initiator) as number[]).filter((l) => l !== drafter);
    const leader = leaders.length ? pick(leaders) : pick(org.leadersOver.get(initiator) as number[]);
    const signers = receivers.map((x) => pick(org.members.get(x.unitId) as number[]));
    const handlers = receivers.map((x) => (x.unitId === org.busyUnit ? org.busyPerson : pick(org.members.get(x.unitId) as number[])));
    const [pre, topic] = pick(TITLES) as [string, string];
    const title = `${pre}${org.units.get(main)?.name}${topic}（第${idx + 1}号）`;
    const body = `请${org.units.get(main)?.name}于要求完成日期前${topic.replace(/^关于|的工作联系$|的联系$/g, '')}，并填写回复单。联系人：${org.names.get(drafter)}。`;
    const dueDate = addDays(today, 14 + Math.floor(rnd() * 46));
    let t: FormPlan['t'];
    if (isDue) {
      const issue = new Date(lay.dueIssue.getTime() + idx * 1500);
      t = { create: new Date(issue.getTime() - 40 * MINUTE), submit: new Date(issue.getTime() - 20 * MINUTE), issue, sign: [], reply: [] };
    } else {
      // The form's last action; earlier steps go back from it. Monotonic in idx, so numbers follow creation.
      const a = lay.windowStart.getTime() + Math.floor((span * (idx - due)) / Math.max(1, n - due)) + Math.floor(rnd() * 997);
      const at = (msBefore: number) => new Date(a - msBefore);
      const parts = receivers.length;
      const create = at(3 * HOUR);
      if (target === 'awaiting_sign') t = { create, submit: at(2 * HOUR), issue: at(0), sign: [], reply: [] };
      else if (target === 'in_progress')
        t = { create, submit: at(2 * HOUR), issue: at(HOUR), sign: receivers.map((_, i) => at((parts - 1 - i) * 7000)), reply: [] };
      else
        t = {
          create,
          submit: at(2.5 * HOUR),
          issue: at(2 * HOUR),
          sign: receivers.map((_, i) => at(HOUR + (parts - 1 - i) * 7000)),
          reply: receivers.map((_, i) => at((parts - 1 - i) * 7000)),
        };
    }
    yield { idx, target, due: isDue, initiator, drafter, leader, receivers, signers, handlers, title, body, dueDate, t };
  }
}

export const replyText = (idx: number) => `已按要求完成核对，台账已更新（第${idx + 1}号）。`;

// ---------------------------------------------------------------------------------------------
// The generator: the rows the service writes, written directly
// ---------------------------------------------------------------------------------------------

export type Row = Record<string, string | number | null>;
export interface Sink {
  insert(table: string, row: Row): void;
}

/** Where each sequence stands: the next id of every table, the audit chain head, the number counters. */
export interface GenState {
  next: Record<string, number>;
  auditSeq: number;
  auditHash: string;
  counters: Map<number, number>;
}

export const ID_TABLES = ['case_record', 'case_part', 'case_clock', 'case_task', 'case_event', 'notification', 'outbox', 'search_doc'] as const;

export async function readState(s: Services): Promise<GenState> {
  const k = s.db.kysely;
  const next: Record<string, number> = {};
  for (const t of ID_TABLES) {
    if (t === 'search_doc' && s.db.dialect === 'postgres') continue;
    const r = await sql<{ m: number | null }>`select max(id) as m from ${sql.table(t)}`.execute(k);
    let m = Number(r.rows[0]?.m ?? 0);
    // AUTOINCREMENT never reuses an id, even of a deleted row (tasks are replaced on every action).
    if (s.db.dialect === 'sqlite' && t !== 'search_doc') {
      const q = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${t}`.execute(k);
      m = Math.max(m, Number(q.rows[0]?.seq ?? 0));
    } else if (s.db.dialect === 'postgres') {
      // A fresh sequence reports last_value 1 before handing it out (is_called false).
      const q = await sql<{ v: number; called: boolean }>`select last_value as v, is_called as called from ${sql.raw(`${t}_id_seq`)}`.execute(k);
      const row = q.rows[0];
      m = Math.max(m, row ? Number(row.v) - (row.called ? 0 : 1) : 0);
    }
    next[t] = m + 1;
  }
  const head = await k.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const counters = new Map(
    (await k.selectFrom('case_counter').select(['year', 'last']).where('type_code', '=', contactForm.code).execute()).map((r) => [r.year, r.last]),
  );
  return { next, auditSeq: head?.seq ?? 0, auditHash: head?.hash ?? GENESIS_HASH, counters };
}

interface Part {
  id: number;
  unitId: number;
  role: string;
  state: string;
  handler: number | null;
  dueDate: string | null;
  updatedAt: string;
}
interface Clock {
  id: number;
  partId: number | null;
  code: string;
  revision: number;
  startedAt: string;
  dueAt: string;
  remindAt: string | null;
  remindedAt: string | null;
  stoppedAt: string | null;
  outcome: string | null;
  explanation: string;
  flags: string;
}

export interface GenOptions {
  cal: Calendar;
  policies: PolicyNumbers;
  org: Org;
  dialect: 'sqlite' | 'postgres';
  /** The request id the audit row carries for step `step` of form `idx` (the server uses a random UUID). */
  requestId?: (idx: number, step: string) => string | null;
  ip?: string | null;
}

const cdef = (code: string) => {
  const d = contactForm.clocks.find((c) => c.code === code);
  if (!d) throw new Error(`no clock ${code}`);
  return d;
};

/**
 * Deadlines and local-time labels, memoized per minute: a deadline "N working days after t" or "end
 * of the day on a date" depends only on t's local day (the explanation's first step carries t itself,
 * patched in), and Intl time-zone lookups are most of the generator's time otherwise. Every 997th
 * call is also computed directly and compared, so the memo cannot drift from the engine unnoticed.
 */
interface Memo {
  clocks: Map<string, { dueAt: Date; steps: ClockStart['steps']; flags: ClockStart['flags']; remind: Date | null }>;
  labels: Map<string, string>;
  dates: Map<number, string>;
  calls: number;
}
const memos = new WeakMap<Calendar, Memo>();

/** Writes plans in order; the state carries ids and the audit chain from one call to the next. */
export function generate(plans: readonly FormPlan[], st: GenState, o: GenOptions, sink: Sink): { caseIds: number[]; partIds: number[][] } {
  const { cal, policies, org } = o;
  const reqId = o.requestId ?? (() => randomUUID());
  const ip = o.ip === undefined ? '127.0.0.1' : o.ip;
  const nextId = (t: string) => {
    const v = st.next[t] as number;
    st.next[t] = v + 1;
    return v;
  };
  const name = (p: number) => org.names.get(p) as string;
  let memo = memos.get(cal);
  if (!memo) {
    memo = { clocks: new Map(), labels: new Map(), dates: new Map(), calls: 0 };
    memos.set(cal, memo);
  }
  const m = memo;
  const verify = () => ++m.calls % 997 === 0;
  const directLabel = (iso: string) => {
    const l = localDateTime(new Date(iso), cal.timeZone);
    return `${l.date} ${l.time}`;
  };
  const label = (iso: string) => {
    const key = iso.slice(0, 16);
    let v = m.labels.get(key);
    if (v === undefined) {
      v = directLabel(iso);
      m.labels.set(key, v);
    } else if (verify() && v !== directLabel(iso)) throw new Error(`label memo drifted at ${iso}`);
    return v;
  };
  const localDay = (d: Date) => {
    const key = Math.floor(d.getTime() / 60_000);
    let v = m.dates.get(key);
    if (v === undefined) {
      v = localDate(d, cal.timeZone);
      m.dates.set(key, v);
    }
    return v;
  };
  const audit = (
    idx: number,
    step: string,
    at: string,
    actor: number | null,
    action: string,
    caseId: number,
    unitId: number,
    before: unknown,
    after: unknown,
    system = false,
  ) => {
    const fields = {
      seq: ++st.auditSeq,
      at,
      actorAccountId: actor === null ? null : (org.accountOf.get(actor) as number),
      // The sweep acts as 系统 (issue 9 §5): the audit chain names it `system`.
      actorName: actor === null ? (system ? SYSTEM_ACTOR_NAME : null) : name(actor),
      action,
      entityType: 'case',
      entityId: String(caseId),
      unitId,
      before: before === undefined || before === null ? null : JSON.stringify(before),
      after: after === undefined || after === null ? null : JSON.stringify(after),
      requestId: system ? null : reqId(idx, step),
      ip: system ? null : ip,
    };
    const hash = hashEvent(st.auditHash, fields);
    sink.insert('audit_event', {
      seq: fields.seq,
      at,
      actor_account_id: fields.actorAccountId,
      actor_name: fields.actorName,
      action,
      entity_type: 'case',
      entity_id: fields.entityId,
      unit_id: unitId,
      before_json: fields.before,
      after_json: fields.after,
      request_id: fields.requestId,
      ip: fields.ip,
      prev_hash: st.auditHash,
      hash,
    });
    st.auditHash = hash;
  };
  /** Notification rows of the form being generated, written once it is done (their read_at settles on the way). */
  let notes: Row[] = [];
  let outbox: Row[] = [];
  const notify = (
    caseId: number,
    at: string,
    people: [number, string | null, number | null][],
    kind: string,
    params: Record<string, string | number | null>,
  ) => {
    const paramsJson = JSON.stringify(params);
    for (const [personId, task, partId] of people) {
      const id = nextId('notification');
      notes.push({
        id,
        person_id: personId,
        case_id: caseId,
        kind,
        params_json: paramsJson,
        created_at: at,
        read_at: null,
        part_id: partId,
        task,
        assessment_id: null,
      });
      outbox.push({
        id: nextId('outbox'),
        notification_id: id,
        channel: 'default',
        payload_json: JSON.stringify({ personId, caseId, kind, params }),
        created_at: at,
        delivered_at: null,
        attempts: 0,
      });
    }
  };
  const caseIds: number[] = [];
  const partIds: number[][] = [];

  for (const p of plans) {
    const caseId = nextId('case_record');
    caseIds.push(caseId);
    const fields = {
      title: p.title,
      body: p.body,
      dueDate: p.dueDate,
      receivers: p.receivers.map((r) => ({ unitId: r.unitId, role: r.role })),
      signingLeaderPersonId: p.leader,
    };
    const createAt = p.t.create.toISOString();
    const year = Number(localDay(p.t.create).slice(0, 4));
    const seq = (st.counters.get(year) ?? 0) + 1;
    st.counters.set(year, seq);
    const number = `${contactForm.numberPrefix}-${year}-${String(seq).padStart(4, '0')}`;
    let state = 'draft';
    let version = 1;
    let revision = 0;
    let updatedAt = createAt;
    const parts: Part[] = p.receivers.map((r) => ({
      id: nextId('case_part'),
      unitId: r.unitId,
      role: r.role,
      state: 'pending',
      handler: null,
      dueDate: p.dueDate,
      updatedAt: createAt,
    }));
    partIds.push(parts.map((x) => x.id));
    const clocks: Clock[] = [];
    const watches = new Map<number, { kind: string; at: string }>();
    const watch = (person: number, at: string) => {
      if (!watches.has(person)) watches.set(person, { kind: 'party', at });
    };
    let tasks: Row[] = [];
    const event = (at: string, actor: number | null, action: string, partId: number | null, from: string | null, to: string | null, data: unknown) =>
      sink.insert('case_event', {
        id: nextId('case_event'),
        case_id: caseId,
        part_id: partId,
        at,
        actor_person_id: actor,
        actor_name: actor === null ? null : name(actor),
        action,
        from_state: from,
        to_state: to,
        revision,
        data_json: JSON.stringify(data),
      });
    // refreshTasks: whose move it is, after every action.
    const refreshTasks = (at: string) => {
      const out: Row[] = [];
      const base = (partId: number | null, st2: string, dueAt: string | null) => ({ case_id: caseId, part_id: partId, state: st2, due_at: dueAt });
      if (state === 'draft') out.push({ ...base(null, state, null), person_id: p.drafter, unit_id: null, awaits: 'drafter' });
      else if (state === 'pending_issue') out.push({ ...base(null, state, null), person_id: p.leader, unit_id: null, awaits: 'signing_leader' });
      else
        for (const part of parts) {
          const open = clocks.filter((c) => c.partId === part.id && c.stoppedAt === null);
          const soonest = open
            .filter((c) => c.code !== 'supervise')
            .map((c) => c.dueAt)
            .sort()[0];
          const dueAt = soonest ?? null;
          if (part.state === 'awaiting_sign') out.push({ ...base(part.id, part.state, dueAt), person_id: null, unit_id: part.unitId, awaits: 'receiver' });
          else if (part.state === 'in_progress' && !part.handler)
            out.push({ ...base(part.id, part.state, dueAt), person_id: null, unit_id: part.unitId, awaits: 'handler' });
          else if (part.state === 'in_progress') out.push({ ...base(part.id, part.state, dueAt), person_id: part.handler, unit_id: null, awaits: 'handler' });
          else if (part.state === 'replied') out.push({ ...base(part.id, part.state, dueAt), person_id: p.drafter, unit_id: null, awaits: 'drafter' });
        }
      tasks = out.map((t) => ({ id: 0, ...t, created_at: at }));
      // As notifications.resolveCase: what a notification asked is done once no open task matches it.
      const open = new Set(tasks.map((t) => `${t.part_id ?? 0}|${t.awaits}:${t.state}`));
      for (const n of notes) if (n.read_at === null && n.task !== null && !open.has(`${n.part_id ?? 0}|${n.task}`)) n.read_at = at;
    };
    const start = (code: string, partId: number, now: Date, part: Part): ClockStart => {
      const def = cdef(code);
      const src = { input: {}, fields, part: { id: part.id, unitId: part.unitId, dueDate: part.dueDate, handlerPersonId: part.handler } };
      if (def.rule.kind !== 'workingDays' && def.rule.kind !== 'date') return startClock(cal, policies, def, partId, now, src);
      const minute = Math.floor(now.getTime() / 60_000);
      const key = `${code}|${minute}|${def.rule.kind === 'date' ? part.dueDate : ''}`;
      let hit = m.clocks.get(key);
      if (!hit) {
        const r = startClock(cal, policies, def, partId, new Date(minute * 60_000), src);
        const remind = def.remindBefore ? reminderAt(cal, r.dueAt, policies[def.remindBefore] as number) : null;
        hit = { dueAt: r.dueAt, steps: r.steps, flags: r.flags, remind };
        m.clocks.set(key, hit);
      }
      const first = hit.steps[0] as ClockStart['steps'][number];
      const c: ClockStart = {
        code,
        partId,
        startedAt: now,
        dueAt: hit.dueAt,
        remindAt: hit.remind && hit.remind > now ? hit.remind : null,
        steps: [{ ...first, at: now.toISOString() } as ClockStart['steps'][number], ...hit.steps.slice(1)],
        flags: hit.flags,
      };
      if (verify()) {
        const d = startClock(cal, policies, def, partId, now, src);
        const j = (x: ClockStart) => JSON.stringify([x.dueAt, x.remindAt, x.steps, x.flags]);
        if (j(d) !== j(c)) throw new Error(`clock memo drifted: ${j(d)} ≠ ${j(c)}`);
      }
      return c;
    };
    const addClock = (c: ClockStart) =>
      clocks.push({
        id: nextId('case_clock'),
        partId: c.partId,
        code: c.code,
        revision,
        startedAt: c.startedAt.toISOString(),
        dueAt: c.dueAt.toISOString(),
        remindAt: c.remindAt?.toISOString() ?? null,
        remindedAt: null,
        stoppedAt: null,
        outcome: null,
        explanation: JSON.stringify(c.steps),
        flags: JSON.stringify(c.flags),
      });
    const stop = (c: Clock, at: Date) => {
      c.stoppedAt = at.toISOString();
      c.outcome = new Date(c.dueAt) < at ? 'missed' : 'met';
      return { clock: c.code, partId: c.partId, missed: c.outcome === 'missed' };
    };
    const peopleIn = (role: string, ps: readonly Part[]): number[] =>
      role === 'drafter'
        ? [p.drafter]
        : role === 'signing_leader'
          ? [p.leader]
          : role === 'handler'
            ? ps.flatMap((x) => (x.handler ? [x.handler] : []))
            : role === 'receiver'
              ? ps.flatMap((x) => org.contacts.get(x.unitId) as number[])
              : role === 'initiator'
                ? (org.contacts.get(p.initiator) as number[])
                : role === 'office'
                  ? (org.officeOver.get(p.initiator) as number[])
                  : (org.supervisionOver.get(p.initiator) as number[]);
    /** As cases.notificationsFor: each recipient with the task the notification asks of them (first asking role wins). */
    const recipients = (roles: readonly string[], partId: number | null, except: number | null): [number, string | null, number | null][] => {
      const people = new Map<number, { key: string; partId: number | null } | null>();
      const add = (ids: number[], role: string, pid: number | null) => {
        const t = tasks.find((x) => x.awaits === role && x.part_id === pid);
        const task = t ? { key: `${t.awaits}:${t.state}`, partId: pid } : null;
        for (const id of ids) if (!people.get(id)) people.set(id, task);
      };
      for (const role of roles) {
        if (partId === null && (role === 'receiver' || role === 'handler')) for (const x of parts) add(peopleIn(role, [x]), role, x.id);
        else add(peopleIn(role, partId === null ? parts : parts.filter((x) => x.id === partId)), role, partId);
      }
      people.delete(except ?? -1);
      return [...people].map(([id, t]) => [id, t?.key ?? null, t?.partId ?? null]);
    };

    // ---- create (cases.create) ----
    event(createAt, p.drafter, 'create', null, null, 'draft', { fields });
    watch(p.drafter, createAt);
    refreshTasks(createAt);
    const searchText = [number, ...Object.values(fields).filter((v): v is string => typeof v === 'string')].join('\n');
    sink.insert('search_doc', {
      ...(o.dialect === 'sqlite' ? { id: nextId('search_doc') } : {}),
      entity_type: 'case',
      entity_id: caseId,
      body: indexText(searchText),
    });
    audit(p.idx, 'create', createAt, p.drafter, 'case.create', caseId, p.initiator, undefined, { number, type: contactForm.code, fields });

    // ---- submit (drafter) ----
    {
      const at = p.t.submit.toISOString();
      version++;
      updatedAt = at;
      state = 'pending_issue';
      event(at, p.drafter, 'submit', null, 'draft', 'pending_issue', { started: [], stopped: [] });
      refreshTasks(at);
      watch(p.drafter, at);
      const params = { number, title: p.title, actor: name(p.drafter), unit: null, reason: null, due: null };
      notify(caseId, at, recipients(['signing_leader'], null, p.drafter), 'cf.submitted', params);
      audit(p.idx, 'submit', at, p.drafter, 'case.submit', caseId, p.initiator, { state: 'draft' }, { state: 'pending_issue', input: {} });
    }

    // ---- issue (signing leader): a new revision, every part awaits signature, sign clocks start ----
    {
      const now = p.t.issue;
      const at = now.toISOString();
      version++;
      updatedAt = at;
      state = 'issued';
      revision = 1;
      const started: ClockStart[] = [];
      for (const part of parts) {
        part.state = 'awaiting_sign';
        part.updatedAt = at;
      }
      for (const part of parts) started.push(start('sign', part.id, now, part));
      for (const c of started) addClock(c);
      event(at, p.leader, 'issue', null, 'pending_issue', 'issued', {
        fields,
        started: started.map((c) => ({ clock: c.code, partId: c.partId, dueAt: c.dueAt.toISOString() })),
        stopped: [],
      });
      refreshTasks(at);
      watch(p.leader, at);
      const params = { number, title: p.title, actor: name(p.leader), unit: null, reason: null, due: label((started[0] as ClockStart).dueAt.toISOString()) };
      notify(caseId, at, recipients(['receiver'], null, p.leader), 'cf.issued', params);
      notify(caseId, at, recipients(['drafter'], null, p.leader), 'cf.issued_to_drafter', params);
      audit(p.idx, 'issue', at, p.leader, 'case.issue', caseId, p.initiator, { state: 'pending_issue' }, { state: 'issued', input: {} });
    }

    // ---- the sweep's reminder, 2 working hours before the deadline (cases.remindOne) ----
    if (p.due) {
      for (const part of parts) {
        const c = clocks.find((x) => x.partId === part.id && x.code === 'sign') as Clock;
        if (!c.remindAt) continue;
        // The sweep runs every 30 s; it reminded this one a moment after the reminder time.
        const at = new Date(Date.parse(c.remindAt) + 2000 + p.idx).toISOString();
        // A reminder changes nothing a screen shows: the case's version stays (an expiry bumps it).
        c.remindedAt = at;
        const params = { number, title: p.title, actor: null, unit: null, reason: null, due: label(c.dueAt) };
        notify(caseId, at, recipients(['receiver'], part.id, null), 'case.reminder', params);
        audit(p.idx, 'remind', at, null, 'case.reminder', caseId, p.initiator, undefined, { clock: 'sign', partId: part.id, dueAt: c.dueAt }, true);
      }
    }

    // ---- sign (a member of the receiving unit names the handler) ----
    if (p.target !== 'awaiting_sign')
      parts.forEach((part, i) => {
        const now = p.t.sign[i] as Date;
        const at = now.toISOString();
        const signer = p.signers[i] as number;
        const handler = p.handlers[i] as number;
        version++;
        updatedAt = at;
        part.state = 'in_progress';
        part.handler = handler;
        part.updatedAt = at;
        const stopped = clocks.filter((c) => c.stoppedAt === null && c.code === 'sign' && c.partId === part.id).map((c) => stop(c, now));
        const c = start('complete', part.id, now, part);
        addClock(c);
        const started = [{ clock: c.code, partId: c.partId, dueAt: c.dueAt.toISOString() }];
        event(at, signer, 'sign', part.id, 'awaiting_sign', 'in_progress', { handlerPersonId: handler, handlerName: name(handler), started, stopped });
        refreshTasks(at);
        watch(signer, at);
        const params = {
          number,
          title: p.title,
          actor: name(signer),
          unit: org.units.get(part.unitId)?.name as string,
          reason: null,
          due: label(c.dueAt.toISOString()),
        };
        notify(caseId, at, recipients(['drafter', 'handler'], part.id, signer), 'cf.signed', params);
        audit(
          p.idx,
          `sign${i}`,
          at,
          signer,
          'case.sign',
          caseId,
          p.initiator,
          { state: 'issued', part: { id: part.id, state: 'awaiting_sign' } },
          { state: 'issued', part: { id: part.id, state: 'in_progress' }, input: { handlerPersonId: handler } },
        );
      });

    // ---- reply (the handler files the reply; the initiator's review clock starts) ----
    if (p.target === 'replied')
      parts.forEach((part, i) => {
        const now = p.t.reply[i] as Date;
        const at = now.toISOString();
        const handler = p.handlers[i] as number;
        const result = replyText(p.idx);
        version++;
        updatedAt = at;
        part.state = 'replied';
        part.updatedAt = at;
        const stopped = clocks.filter((c) => c.stoppedAt === null && c.code === 'complete' && c.partId === part.id).map((c) => stop(c, now));
        const c = start('review', part.id, now, part);
        addClock(c);
        const started = [{ clock: c.code, partId: c.partId, dueAt: c.dueAt.toISOString() }];
        event(at, handler, 'reply', part.id, 'in_progress', 'replied', { result, started, stopped });
        refreshTasks(at);
        watch(handler, at);
        const params = {
          number,
          title: p.title,
          actor: name(handler),
          unit: org.units.get(part.unitId)?.name as string,
          reason: result,
          due: label(c.dueAt.toISOString()),
        };
        notify(caseId, at, recipients(['drafter'], part.id, handler), 'cf.replied', params);
        audit(
          p.idx,
          `reply${i}`,
          at,
          handler,
          'case.reply',
          caseId,
          p.initiator,
          { state: 'issued', part: { id: part.id, state: 'in_progress' } },
          { state: 'issued', part: { id: part.id, state: 'replied' }, input: { result } },
        );
      });

    // ---- the rows that changed along the way, as they stand now ----
    sink.insert('case_record', {
      id: caseId,
      type_code: contactForm.code,
      type_version: contactForm.version,
      number,
      title: p.title,
      state,
      version,
      revision,
      fields_json: JSON.stringify(fields),
      initiator_unit_id: p.initiator,
      drafter_person_id: p.drafter,
      signing_leader_person_id: p.leader,
      due_date: p.dueDate,
      created_at: createAt,
      updated_at: updatedAt,
      closed_at: null,
    });
    for (const part of parts)
      sink.insert('case_part', {
        id: part.id,
        case_id: caseId,
        unit_id: part.unitId,
        role: part.role,
        state: part.state,
        handler_person_id: part.handler,
        due_date: part.dueDate,
        requested_due_date: null,
        overdue: 0,
        supervised: 0,
        updated_at: part.updatedAt,
      });
    for (const c of clocks)
      sink.insert('case_clock', {
        id: c.id,
        case_id: caseId,
        part_id: c.partId,
        code: c.code,
        revision: c.revision,
        started_at: c.startedAt,
        due_at: c.dueAt,
        remind_at: c.remindAt,
        reminded_at: c.remindedAt,
        stopped_at: c.stoppedAt,
        fired_at: null,
        outcome: c.outcome,
        explanation_json: c.explanation,
        flags_json: c.flags,
      });
    for (const t of tasks) sink.insert('case_task', { ...t, id: nextId('case_task') });
    for (const n of notes) sink.insert('notification', n);
    for (const o of outbox) sink.insert('outbox', o);
    notes = [];
    outbox = [];
    for (const [personId, w] of [...watches].sort((a, b) => a[0] - b[0]))
      sink.insert('case_watch', { case_id: caseId, person_id: personId, kind: w.kind, created_at: w.at });
  }
  return { caseIds, partIds };
}

// ---------------------------------------------------------------------------------------------
// The check: the service writes the first plans, the generator must write the same rows
// ---------------------------------------------------------------------------------------------

/** Forms of every shape the prefill has: each target state with one and with two receivers, and a due one. */
export function checkPlans(plans: Iterable<FormPlan>): FormPlan[] {
  const out: FormPlan[] = [];
  const want = new Set(['due']);
  for (const t of ['awaiting_sign', 'in_progress', 'replied']) for (const n of [1, 2]) want.add(`${t}/${n}`);
  for (const p of plans) {
    const key = p.due ? 'due' : `${p.target}/${p.receivers.length}`;
    if (want.delete(key)) out.push(p);
    if (want.size === 0) break;
  }
  return out;
}

const stepContext = (actor: Actor, requestId: string): Ctx => ({ actor, requestId, ip: '127.0.0.1', lang: 'zh-CN' });
export const checkRequestId = (idx: number, step: string) => `check-${idx}-${step}`;

/** Runs the plans through the real service on a manual clock (which `s` must use). */
export async function runThroughService(s: Services, clock: { set(d: Date): void }, org: Org, plans: readonly FormPlan[]) {
  const actors = new Map<number, Actor>();
  const actor = async (personId: number) => {
    let a = actors.get(personId);
    if (!a) {
      const r = await s.accounts.authenticateToken(org.tokenOf.get(personId) as string);
      if (r instanceof Error) throw r;
      a = r;
      actors.set(personId, a);
    }
    return a;
  };
  for (const p of plans) {
    clock.set(p.t.create);
    const { id } = await s.cases.create(stepContext(await actor(p.drafter), checkRequestId(p.idx, 'create')), {
      type: 'contact_form',
      initiatorUnitId: p.initiator,
      fields: { title: p.title, body: p.body, dueDate: p.dueDate, receivers: p.receivers, signingLeaderPersonId: p.leader },
    });
    clock.set(p.t.submit);
    await s.cases.act(stepContext(await actor(p.drafter), checkRequestId(p.idx, 'submit')), id, { action: 'submit' });
    clock.set(p.t.issue);
    const issued = await s.cases.act(stepContext(await actor(p.leader), checkRequestId(p.idx, 'issue')), id, { action: 'issue' });
    if (p.due) {
      // The sweep runs at the reminder time plus a little (cases.remindOne).
      const clocks = await s.db.kysely.selectFrom('case_clock').select(['remind_at']).where('case_id', '=', id).execute();
      for (const c of clocks) {
        if (!c.remind_at) continue;
        clock.set(new Date(Date.parse(c.remind_at) + 2000 + p.idx));
        const r = await s.cases.sweep();
        if (r.reminded !== 1 || r.fired !== 0) throw new Error(`check sweep: expected one reminder, got ${JSON.stringify(r)}`);
      }
    }
    const parts = issued.parts.map((x) => x.id);
    if (p.target !== 'awaiting_sign')
      for (const [i, partId] of parts.entries()) {
        clock.set(p.t.sign[i] as Date);
        await s.cases.act(stepContext(await actor(p.signers[i] as number), checkRequestId(p.idx, `sign${i}`)), id, {
          action: 'sign',
          partId,
          input: { handlerPersonId: p.handlers[i] },
        });
      }
    if (p.target === 'replied')
      for (const [i, partId] of parts.entries()) {
        clock.set(p.t.reply[i] as Date);
        await s.cases.act(stepContext(await actor(p.handlers[i] as number), checkRequestId(p.idx, `reply${i}`)), id, {
          action: 'reply',
          partId,
          input: { result: replyText(p.idx) },
        });
      }
  }
}

class CaptureSink implements Sink {
  rows = new Map<string, Row[]>();
  insert(table: string, row: Row) {
    const list = this.rows.get(table) ?? [];
    list.push(row);
    this.rows.set(table, list);
  }
}

const SORT: Record<string, string[]> = {
  case_record: ['id'],
  case_part: ['id'],
  case_clock: ['id'],
  case_task: ['case_id', 'part_id', 'person_id', 'unit_id'],
  case_event: ['id'],
  case_watch: ['case_id', 'person_id'],
  notification: ['id'],
  outbox: ['id'],
  audit_event: ['seq'],
  search_doc: ['entity_id'],
};

/**
 * Compares the generator's rows for `plans` (from state `before`) with the rows the service wrote.
 * Task ids are left out: the service deletes and re-inserts a case's tasks on every action, so its
 * ids have gaps the generator does not reproduce. Returns the differences (empty: identical).
 */
export async function fidelityCheck(s: Services, before: GenState, o: GenOptions, plans: readonly FormPlan[], caseIds: number[]) {
  const capture = new CaptureSink();
  const copy: GenState = { ...before, next: { ...before.next }, counters: new Map(before.counters) };
  generate(plans, copy, { ...o, requestId: checkRequestId }, capture);
  const k = s.db.kysely;
  const problems: string[] = [];
  let compared = 0;
  for (const [table, keys] of Object.entries(SORT)) {
    let q = sql`select * from ${sql.table(table)}`;
    if (table === 'audit_event') q = sql`select * from audit_event where seq > ${before.auditSeq}`;
    else if (table === 'search_doc') q = sql`select * from search_doc where entity_type = 'case' and entity_id in (${sql.join(caseIds)})`;
    else if (table === 'case_record') q = sql`select * from case_record where id in (${sql.join(caseIds)})`;
    else if (table === 'outbox') q = sql`select * from outbox where notification_id in (select id from notification where case_id in (${sql.join(caseIds)}))`;
    else q = sql`select * from ${sql.table(table)} where case_id in (${sql.join(caseIds)})`;
    const dbRows = (await q.execute(k)).rows as Row[];
    const genRows = capture.rows.get(table) ?? [];
    const order = (a: Row, b: Row) => {
      for (const key of keys) {
        const x = a[key] ?? -1;
        const y = b[key] ?? -1;
        if (x !== y) return Number(x) - Number(y);
      }
      return 0;
    };
    dbRows.sort(order);
    genRows.sort(order);
    if (dbRows.length !== genRows.length) {
      problems.push(`${table}: the service wrote ${dbRows.length} rows, the generator ${genRows.length}`);
      continue;
    }
    dbRows.forEach((d, i) => {
      const g = genRows[i] as Row;
      for (const col of Object.keys(d)) {
        if (table === 'case_task' && col === 'id') continue;
        if (table === 'search_doc' && col === 'body_tsv') continue;
        const dv = d[col] === undefined ? null : d[col];
        const gv = g[col] === undefined ? null : g[col];
        if (String(dv) !== String(gv)) problems.push(`${table}[${i}].${col}: service ${JSON.stringify(dv)} ≠ generator ${JSON.stringify(gv)}`);
      }
      compared++;
    });
  }
  const counters = await k.selectFrom('case_counter').select(['year', 'last']).execute();
  for (const c of counters)
    if (copy.counters.get(c.year) !== c.last) problems.push(`case_counter ${c.year}: service ${c.last} ≠ generator ${copy.counters.get(c.year)}`);
  return { problems, compared };
}

export const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');
