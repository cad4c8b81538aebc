import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { PG_URL, TEST_DB, type TestApp } from '../support/harness.js';
import { type Child, httpLogin, type ServerProcess, spawnTsx, startServer, stopChild } from '../support/server-process.js';
import { disposeStore, issueForms, newStore, openStore, queryStore, type SmallOrg, type Store, smallOrg, storeEnv } from '../support/stored-org.js';

/**
 * Issue 4: clocks across processes and restarts. Every due clock's expiry effects (overdue mark,
 * escalation notices, assessment proposal, timeline and audit entries) happen exactly once, however
 * many processes sweep, and a deadline that passed while the server was down fires when it starts.
 */

/** Issued Tuesday 2026-09-29 10:00 Shanghai: the sign-or-object deadline is Wednesday 17:30. */
const ISSUED_AT = '2026-09-29T02:00:00.000Z';
const SIGN_DUE = '2026-09-30T09:30:00.000Z';
/** Both workers' clocks: after every deadline (and every reminder time). */
const SWEEP_AT = '2026-10-01T00:00:00.000Z';
/** Forms; each has two parts (主办 检修部, 协办 安监部), so twice as many sign clocks. */
const FORMS = 150;
const CLOCKS = 2 * FORMS;

let children: Child[] = [];
let open: TestApp[] = [];
let stores: Store[] = [];

afterEach(async () => {
  await Promise.all(children.map((c) => stopChild(c, 'SIGKILL')));
  for (const t of open) await t.close().catch(() => undefined);
  for (const s of stores) await disposeStore(s);
  children = [];
  open = [];
  stores = [];
});

interface WorkerResult {
  pid: number;
  fired: number;
  reminded: number;
  runs: { fired: number; reminded: number }[];
  error?: string;
}

/** Sweep workers (separate OS processes, own pools) released together; their JSON results. */
async function sweepInProcesses(store: Store, rounds = 3, processes = 2): Promise<WorkerResult[]> {
  const opts = JSON.stringify({
    dataDir: store.dataDir,
    databaseUrl: store.kind === 'postgres' ? PG_URL : undefined,
    pgSchema: store.pgSchema,
    at: SWEEP_AT,
    rounds,
  });
  const workers = Array.from({ length: processes }, () => spawnTsx('test/support/sweep-worker.ts', [opts]));
  children.push(...workers);
  await Promise.all(workers.map((w) => w.waitFor(/^ready$/m)));
  for (const w of workers) w.proc.stdin?.write('go\n');
  const codes = await Promise.all(workers.map((w) => w.exited));
  return workers.map((w, i) => {
    const line = w.stdout().trim().split('\n').at(-1) ?? '';
    if (codes[i] !== 0) throw new Error(`sweep worker ${w.pid} exited with ${codes[i]}:\n${w.output()}`);
    return JSON.parse(line) as WorkerResult;
  });
}

/** Groups rows by a key and returns the sizes of the groups. */
function groupSizes<T>(rows: T[], key: (r: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

/** Keys a row by its case and part. */
const clockKey = (caseId: unknown, partId: unknown) => `${caseId}/${partId}`;
const once = (m: Map<string, number>) => [...m.values()].every((n) => n === 1);

/**
 * Every expiry is all there or not there at all, and never twice: for each sign clock, fired_at set
 * ⇔ part overdue ⇔ one clock_expired timeline entry ⇔ one case.deadline_missed audit event ⇔ one
 * assessment proposal ⇔ one set of three escalation notices (office, signing leader, the part's
 * receiver) with their outbox rows. Likewise for reminders. Returns how many clocks fired and reminded.
 */
async function checkExpiries(t: TestApp, o: SmallOrg) {
  const k = t.services.db.kysely;
  const clocks = await k.selectFrom('case_clock').selectAll().execute();
  expect(clocks.every((c) => c.code === 'sign' && c.stopped_at === null)).toBe(true);
  const fired = clocks.filter((c) => c.fired_at !== null);
  expect(fired.every((c) => c.fired_at === SWEEP_AT && c.outcome === 'missed')).toBe(true);
  const firedKeys = new Set(fired.map((c) => clockKey(c.case_id, c.part_id)));
  const keysOf = <T>(rows: T[], key: (r: T) => string) => {
    const sizes = groupSizes(rows, key);
    expect(once(sizes)).toBe(true);
    return new Set(sizes.keys());
  };

  const parts = await k.selectFrom('case_part').select(['id', 'case_id', 'unit_id', 'overdue']).execute();
  expect(new Set(parts.filter((p) => Number(p.overdue) === 1).map((p) => clockKey(p.case_id, p.id)))).toEqual(firedKeys);

  const expired = await k.selectFrom('case_event').select(['case_id', 'part_id']).where('action', '=', 'clock_expired').execute();
  expect(keysOf(expired, (e) => clockKey(e.case_id, e.part_id))).toEqual(firedKeys);

  const audits = await k
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'after_json'])
    .where('action', 'in', ['case.deadline_missed', 'assessment.propose', 'case.reminder'])
    .execute();
  const missed = audits.filter((a) => a.action === 'case.deadline_missed');
  expect(keysOf(missed, (a) => clockKey(a.entity_id, JSON.parse(a.after_json ?? '{}').partId))).toEqual(firedKeys);

  const proposals = await k.selectFrom('assessment').select(['source_id', 'source_part_id', 'subject_unit_id', 'rule']).execute();
  expect(proposals.every((p) => p.rule === 'contact_form.no_sign_in_time')).toBe(true);
  expect(keysOf(proposals, (p) => clockKey(p.source_id, p.source_part_id))).toEqual(firedKeys);
  const unitOfPart = new Map(parts.map((p) => [p.id, p.unit_id]));
  expect(proposals.every((p) => unitOfPart.get(p.source_part_id as number) === p.subject_unit_id)).toBe(true);
  expect(audits.filter((a) => a.action === 'assessment.propose')).toHaveLength(fired.length);

  // Escalation notices: per fired clock the office, the signing leader and that part's receiver, once each.
  const receiverOf = new Map([
    [o.units.maint, o.people.receiver.personId],
    [o.units.safety, o.people.safetyHead.personId],
  ]);
  const expected = fired.flatMap((c) => {
    const receiver = receiverOf.get(unitOfPart.get(c.part_id as number) as number);
    return [o.people.office.personId, o.people.leader.personId, receiver].map((p) => `${c.case_id}/${p}`);
  });
  const overdue = await k.selectFrom('notification').select(['case_id', 'person_id', 'params_json']).where('kind', '=', 'cf.sign_overdue').execute();
  expect(overdue.map((n) => `${n.case_id}/${n.person_id}`).sort()).toEqual(expected.sort());
  // …never the same notice twice (same case, person and text parameters), each with its outbox row.
  expect(once(groupSizes(overdue, (n) => `${n.case_id}/${n.person_id}/${n.params_json}`))).toBe(true);
  const outbox = await k.selectFrom('outbox').select('payload_json').where('payload_json', 'like', '%cf.sign_overdue%').execute();
  expect(outbox).toHaveLength(overdue.length);

  // Reminders: at most one per clock, each on record once, each with its notice to the receiver.
  const reminded = clocks.filter((c) => c.reminded_at !== null);
  const reminders = audits.filter((a) => a.action === 'case.reminder');
  expect(keysOf(reminders, (a) => clockKey(a.entity_id, JSON.parse(a.after_json ?? '{}').partId))).toEqual(
    new Set(reminded.map((c) => clockKey(c.case_id, c.part_id))),
  );
  const reminderNotices = await k.selectFrom('notification').select('case_id').where('kind', '=', 'case.reminder').execute();
  expect(reminderNotices).toHaveLength(reminded.length);

  expect(await t.services.audit.verify()).toMatchObject({ ok: true });
  return { clocks: clocks.length, fired: fired.length, reminded: reminded.length };
}

/** An org with FORMS issued forms, all sign clocks due at SWEEP_AT; the store is closed again. */
async function storeWithDueClocks(kind: 'sqlite' | 'postgres', forms: number) {
  const store = newStore(kind);
  stores.push(store);
  const t = await openStore(store, new ManualClock(new Date(ISSUED_AT)));
  open.push(t);
  const o = await smallOrg(t);
  const caseIds = await issueForms(o, forms);
  const clocks = await t.services.db.kysely.selectFrom('case_clock').select(['due_at', 'fired_at']).execute();
  expect(clocks).toHaveLength(2 * forms);
  expect(clocks.every((c) => c.due_at === SIGN_DUE && c.fired_at === null)).toBe(true);
  await t.close();
  open = open.filter((x) => x !== t);
  return { store, o, caseIds };
}

/** Opens the store in this process (after the workers are gone) to check it. */
async function reopen(store: Store) {
  const v = await openStore(store, new ManualClock(new Date(SWEEP_AT)));
  open.push(v);
  return v;
}

async function exactlyOnceAcrossTwoProcesses(kind: 'sqlite' | 'postgres') {
  const setupStart = Date.now();
  const { store, o, caseIds } = await storeWithDueClocks(kind, FORMS);
  const setupMs = Date.now() - setupStart;

  const sweepStart = Date.now();
  const results = await sweepInProcesses(store);
  const sweepMs = Date.now() - sweepStart;

  // Every clock fired once, by exactly one of the two processes.
  expect(results.reduce((a, r) => a + r.fired, 0)).toBe(CLOCKS);
  // A sweep only ends when nothing due is left: later rounds find nothing.
  for (const r of results) expect(r.runs.slice(1)).toEqual(r.runs.slice(1).map(() => ({ fired: 0, reminded: 0 })));

  const v = await reopen(store);
  const seen = await checkExpiries(v, o);
  expect(seen).toEqual({ clocks: CLOCKS, fired: CLOCKS, reminded: results.reduce((a, r) => a + r.reminded, 0) });
  // Two parts per form missed: the office and the leader hear of each part, each receiver of its own.
  const perCasePerson = groupSizes(
    await v.services.db.kysely.selectFrom('notification').select(['case_id', 'person_id']).where('kind', '=', 'cf.sign_overdue').execute(),
    (n) => `${n.case_id}/${n.person_id}`,
  );
  for (const id of caseIds) {
    expect(perCasePerson.get(`${id}/${o.people.office.personId}`)).toBe(2);
    expect(perCasePerson.get(`${id}/${o.people.leader.personId}`)).toBe(2);
    expect(perCasePerson.get(`${id}/${o.people.receiver.personId}`)).toBe(1);
    expect(perCasePerson.get(`${id}/${o.people.safetyHead.personId}`)).toBe(1);
  }
  // Row locks let PostgreSQL share the work; a SQLite writer polling for the lock may well trail the other.
  if (kind === 'postgres') for (const r of results) expect(r.fired + r.reminded).toBeGreaterThan(0);

  console.info(
    `[${kind}] ${FORMS} forms / ${CLOCKS} clocks: setup ${setupMs} ms, two-process sweep ${sweepMs} ms; fired ${results.map((r) => r.fired).join(' + ')}, reminded ${results.map((r) => r.reminded).join(' + ')}`,
  );
}

/** A sweep killed half-way leaves each expiry whole or absent; the next sweep does the rest, once. */
async function sweepKilledMidway(kind: 'sqlite' | 'postgres') {
  const forms = 60;
  const { store, o } = await storeWithDueClocks(kind, forms);
  const opts = JSON.stringify({
    dataDir: store.dataDir,
    databaseUrl: store.kind === 'postgres' ? PG_URL : undefined,
    pgSchema: store.pgSchema,
    at: SWEEP_AT,
  });
  const first = spawnTsx('test/support/sweep-worker.ts', [opts]);
  children.push(first);
  await first.waitFor(/^ready$/m);
  first.proc.stdin?.write('go\n');
  // Kill it once some clocks have fired, while it is in the middle of the rest.
  const started = Date.now();
  let firedBeforeKill = 0;
  while (Date.now() - started < 30_000) {
    firedBeforeKill = Number((await queryStore<{ n: number }>(store, "select count(*) as n from case_event where action = 'clock_expired'"))[0]?.n ?? 0);
    if (firedBeforeKill >= 10) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');

  let v = await reopen(store);
  const partial = await checkExpiries(v, o);
  expect(partial.fired).toBeGreaterThanOrEqual(firedBeforeKill);
  expect(partial.fired).toBeLessThan(2 * forms);
  await v.close();
  open = [];

  const [second] = await sweepInProcesses(store, 1, 1);
  expect(second?.fired).toBe(2 * forms - partial.fired);
  v = await reopen(store);
  expect(await checkExpiries(v, o)).toMatchObject({ clocks: 2 * forms, fired: 2 * forms });
  console.info(`[${kind}] sweep SIGKILLed after ${partial.fired} of ${2 * forms} expiries; the next sweep fired ${second?.fired}`);
}

// One variant per database run (nothing skipped in either): PostgreSQL row locks in the PG run, one
// SQLite file shared in WAL mode with a busy timeout in the SQLite run.
describe(`two processes sweeping one ${TEST_DB === 'postgres' ? 'PostgreSQL database' : 'SQLite file (WAL, busy timeout)'}`, () => {
  it('fires every due clock exactly once: one overdue mark, notice set, assessment proposal, timeline and audit entry each', async () => {
    await exactlyOnceAcrossTwoProcesses(TEST_DB);
  }, 120_000);

  it('leaves each expiry whole or absent when a sweeping process is SIGKILLed; the next sweep does the rest once', async () => {
    await sweepKilledMidway(TEST_DB);
  }, 60_000);
});

describe('a deadline that passes while the server is down', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await stopChild(server, 'SIGKILL');
    server = undefined;
  });

  it('fires when the server starts, not at the next sweep interval', async () => {
    const store = newStore(TEST_DB);
    stores.push(store);
    // Issued Monday 2026-10-12 10:00 Shanghai: the deadline, Tuesday 17:30, is long past now.
    const t = await openStore(store, new ManualClock(new Date('2026-10-12T02:00:00.000Z')));
    open.push(t);
    const o = await smallOrg(t);
    const [id] = await issueForms(o, 1, '2026-10-30');
    const due = await t.services.db.kysely
      .selectFrom('case_clock')
      .select('due_at')
      .where('case_id', '=', id as number)
      .execute();
    expect(due.map((c) => c.due_at)).toEqual(['2026-10-13T09:30:00.000Z', '2026-10-13T09:30:00.000Z']);
    expect(Date.now()).toBeGreaterThan(Date.parse('2026-10-13T09:30:00.000Z'));
    await t.close();
    open = [];

    const started = Date.now();
    // The next interval sweep would be an hour away: only the sweep at start can fire it.
    server = await startServer({ ...storeEnv(store), LIAISON_SWEEP_INTERVAL_MS: '3600000' });
    let events: { part_id: number }[] = [];
    while (Date.now() - started < 15_000) {
      events = await queryStore<{ part_id: number }>(store, "select part_id from case_event where case_id = ? and action = 'clock_expired'", [id]);
      if (events.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const firedWithinMs = Date.now() - started;
    expect(events).toHaveLength(2);
    await server.waitFor(/"fired":2.*"msg":"clock sweep"/, 5_000);

    // The office sees the escalation over HTTP, and the form's parts are overdue.
    const office = await httpLogin(server.url, 'office', 'Real12345x');
    const notices = (await office.get('/api/v1/notifications')).json();
    expect(notices.items.filter((n: { kind: string }) => n.kind === 'cf.sign_overdue')).toHaveLength(2);
    const drafter = await httpLogin(server.url, 'drafter', 'Real12345x');
    const d = (await drafter.get(`/api/v1/cases/${id}`)).json();
    expect(d.parts.every((p: { overdue: boolean }) => p.overdue)).toBe(true);
    expect(d.timeline.filter((e: { action: string }) => e.action === 'clock_expired')).toHaveLength(2);
    console.info(`[${TEST_DB}] server start → both expiries on record in ${firedWithinMs} ms`);
  }, 60_000);
});
