import { describe, expect, it } from 'vitest';
import { ADMIN, TEST_DB } from '../support/harness.js';
import { HttpClient, httpUser, type ServerProcess, spawnTsx, startServer, stopChild } from '../support/server-process.js';
import { disposeStore, newStore, queryStore, type Store, storeEnv } from '../support/stored-org.js';

/**
 * Issue 4, durability: the real server (src/server/main.ts) is SIGKILLed while clients stream
 * contact-form actions at it. After a restart on the same data, every action that was answered 2xx
 * is there, and nothing is half there: each case's state, its parts' states, its clocks, its
 * timeline and its audit events tell the same story, and the audit chain verifies.
 */

type Who = 'drafter' | 'leader' | 'receiver' | 'worker' | 'safetyHead';
type PartKey = 'maint' | 'safety';
interface Step {
  name: string;
  action: string;
  who: Who;
  part?: PartKey;
  input?: (p: Record<Who, { personId: number }>) => Record<string, unknown>;
  /** What the case looks like once this step is applied. */
  state: string;
  parts: Record<PartKey, string>;
}

/** One contact form's life, in the order every lane plays it. */
const SCRIPT: Step[] = [
  { name: 'create', action: 'create', who: 'drafter', state: 'draft', parts: { maint: 'pending', safety: 'pending' } },
  { name: 'submit', action: 'submit', who: 'drafter', state: 'pending_issue', parts: { maint: 'pending', safety: 'pending' } },
  { name: 'issue', action: 'issue', who: 'leader', state: 'issued', parts: { maint: 'awaiting_sign', safety: 'awaiting_sign' } },
  {
    name: 'sign:maint',
    action: 'sign',
    who: 'receiver',
    part: 'maint',
    input: (p) => ({ handlerPersonId: p.worker.personId }),
    state: 'issued',
    parts: { maint: 'in_progress', safety: 'awaiting_sign' },
  },
  {
    name: 'sign:safety',
    action: 'sign',
    who: 'safetyHead',
    part: 'safety',
    input: (p) => ({ handlerPersonId: p.safetyHead.personId }),
    state: 'issued',
    parts: { maint: 'in_progress', safety: 'in_progress' },
  },
  {
    name: 'reply:maint',
    action: 'reply',
    who: 'worker',
    part: 'maint',
    input: () => ({ result: '台账已核对完毕，3处不符已整改。' }),
    state: 'issued',
    parts: { maint: 'replied', safety: 'in_progress' },
  },
  {
    name: 'reply:safety',
    action: 'reply',
    who: 'safetyHead',
    part: 'safety',
    input: () => ({ result: '已配合完成' }),
    state: 'issued',
    parts: { maint: 'replied', safety: 'replied' },
  },
  { name: 'accept:maint', action: 'accept', who: 'drafter', part: 'maint', state: 'issued', parts: { maint: 'closed', safety: 'replied' } },
  { name: 'accept:safety', action: 'accept', who: 'drafter', part: 'safety', state: 'closed', parts: { maint: 'closed', safety: 'closed' } },
];

/** The clock a part in this state must have running (and no other). */
const RUNNING: Record<string, string | null> = { pending: null, awaiting_sign: 'sign', in_progress: 'complete', replied: 'review', closed: null };

/** What the clients learned: per case, the actions answered 2xx, and the one that got no answer. */
interface Track {
  lane: number;
  id?: number;
  acked: string[];
  /** Sent, but the server died before answering: may or may not have happened, never half. */
  inflight?: string;
  parts?: Record<PartKey, number>;
}

const LANES = 8;

interface Org {
  people: Record<Who, { personId: number; client: HttpClient }>;
  units: { ops: number; maint: number; safety: number };
}

async function setupOverHttp(base: string): Promise<Org> {
  const admin = new HttpClient(base);
  await admin.must('/api/v1/setup', { organizationName: '测试集团', timeZone: 'Asia/Shanghai', admin: ADMIN });
  const units = (await admin.get('/api/v1/units')).json() as { id: number; parentId: number | null }[];
  const root = units.find((u) => u.parentId === null)?.id as number;
  const unit = async (code: string, name: string) => (await admin.must('/api/v1/units', { parentId: root, code, name, typeCode: 'department' })).id as number;
  const ops = await unit('OPS', '发电部');
  const maint = await unit('MAINT', '检修部');
  const safety = await unit('SAFE', '安监部');
  return {
    units: { ops, maint, safety },
    people: {
      drafter: await httpUser(admin, { unitId: ops, role: 'staff', username: 'drafter', name: '张起草' }),
      leader: await httpUser(admin, { unitId: ops, role: 'unit_head', username: 'leader', name: '李签发' }),
      receiver: await httpUser(admin, { unitId: maint, role: 'unit_head', username: 'receiver', name: '王检修' }),
      worker: await httpUser(admin, { unitId: maint, role: 'staff', username: 'worker', name: '赵师傅' }),
      safetyHead: await httpUser(admin, { unitId: safety, role: 'unit_head', username: 'safety', name: '钱安监' }),
    },
  };
}

/** A due date a month from now, in Shanghai (the server runs on the system clock). */
const dueDate = () => new Date(Date.now() + 30 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

interface Row {
  [k: string]: unknown;
}

async function killMidStreamAndRestart(kind: 'sqlite' | 'postgres') {
  const store: Store = newStore(kind);
  let server: ServerProcess | undefined;
  try {
    // The sweeper runs every second meanwhile, like in production (nothing is due: no effect).
    const env = { ...storeEnv(store), LIAISON_SWEEP_INTERVAL_MS: '1000' };
    server = await startServer(env);
    const org = await setupOverHttp(server.url);
    const { people, units } = org;
    const fields = (i: number) => ({
      title: `检修皮带机台账核对 ${i}`,
      body: '请检修部于完成日期前核对皮带机检修台账，并回复核对结果。',
      dueDate: dueDate(),
      receivers: [
        { unitId: units.maint, role: 'main' },
        { unitId: units.safety, role: 'assist' },
      ],
      signingLeaderPersonId: people.leader.personId,
    });

    // ---- stream actions from several lanes; SIGKILL the server when enough have been answered ----
    const tracks: Track[] = [];
    const unexpected: string[] = [];
    let acks = 0;
    let killedAt: number | null = null;
    let inflightAtKill = 0;
    let inflight = 0;
    const killAfter = 150 + Math.floor(Math.random() * 150);
    const victim = server;
    const streamStart = Date.now();
    const lane = async (n: number) => {
      for (let i = 0; ; i++) {
        const tr: Track = { lane: n, acked: [] };
        tracks.push(tr);
        for (const step of SCRIPT) {
          const c = people[step.who].client;
          const url = step.action === 'create' ? '/api/v1/cases' : `/api/v1/cases/${tr.id}/actions`;
          const body =
            step.action === 'create'
              ? { type: 'contact_form', initiatorUnitId: units.ops, fields: fields(n * 1000 + i) }
              : { action: step.action, ...(step.part && { partId: tr.parts?.[step.part] }), ...(step.input && { input: step.input(people) }) };
          let status: number;
          // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
          let json: any;
          inflight++;
          try {
            const r = await c.post(url, body);
            status = r.status;
            json = status < 300 ? r.json() : r.body;
          } catch {
            // No answer: the server is gone.
            tr.inflight = step.name;
            return;
          } finally {
            inflight--;
          }
          if (status !== (step.action === 'create' ? 201 : 200)) {
            // A live server answers these correctly; a killed one does not answer at all.
            unexpected.push(`${step.name} on ${tr.id}: ${status} ${json}`);
            return;
          }
          if (step.action === 'create') tr.id = json.id;
          else {
            // The answer itself shows the state the table expects.
            const byUnit = new Map<number, { id: number; state: string }>(
              json.parts.map((p: { id: number; unit: { id: number }; state: string }) => [p.unit.id, p]),
            );
            tr.parts = { maint: byUnit.get(units.maint)?.id as number, safety: byUnit.get(units.safety)?.id as number };
            const seen = { state: json.state, maint: byUnit.get(units.maint)?.state, safety: byUnit.get(units.safety)?.state };
            const want = { state: step.state, ...step.parts };
            if (JSON.stringify(seen) !== JSON.stringify(want)) unexpected.push(`${step.name} on ${tr.id}: answered ${JSON.stringify(seen)}`);
          }
          tr.acked.push(step.name);
          acks++;
          if (acks >= killAfter && killedAt === null) {
            killedAt = Date.now();
            // A few milliseconds later, to land anywhere in the server's work on the next requests.
            setTimeout(
              () => {
                inflightAtKill = inflight;
                victim.kill('SIGKILL');
              },
              Math.floor(Math.random() * 10),
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, n) => lane(n)));
    // (Lanes only stop early on an unexpected answer; then stop the server here.)
    if (killedAt === null) victim.kill('SIGKILL');
    // What the server said about an unexpected answer (its error lines), to find the cause.
    const serverErrors = () =>
      victim
        .output()
        .split('\n')
        .filter((l) => /"level":(50|60)|Error/.test(l))
        .slice(-6)
        .join('\n');
    expect(unexpected, unexpected.length ? serverErrors() : '').toEqual([]);
    expect(killedAt).not.toBeNull();
    expect(await server.exited).toBe('SIGKILL');
    const streamMs = (killedAt ?? Date.now()) - streamStart;

    // ---- restart on the same data ----
    const restartStart = Date.now();
    server = await startServer(env);
    const restartMs = Date.now() - restartStart;

    const cases = await queryStore<Row>(store, 'select id, state, version from case_record order by id');
    const parts = await queryStore<Row>(store, 'select id, case_id, unit_id, state from case_part order by id');
    const events = await queryStore<Row>(store, 'select case_id, part_id, action, data_json from case_event order by id');
    const clocks = await queryStore<Row>(store, 'select case_id, part_id, code, stopped_at, fired_at from case_clock order by id');
    const audits = await queryStore<Row>(store, "select entity_id, action from audit_event where entity_type = 'case' order by seq");

    const unitKey = new Map<number, PartKey>([
      [units.maint, 'maint'],
      [units.safety, 'safety'],
    ]);
    const partsOf = new Map<number, Row[]>();
    for (const p of parts) partsOf.set(Number(p.case_id), [...(partsOf.get(Number(p.case_id)) ?? []), p]);
    const partKey = new Map(parts.map((p) => [Number(p.id), unitKey.get(Number(p.unit_id))]));
    const by = <T extends Row>(rows: T[], key: (r: T) => number) => {
      const m = new Map<number, T[]>();
      for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
      return m;
    };
    const eventsOf = by(events, (e) => Number(e.case_id));
    const clocksOf = by(clocks, (c) => Number(c.case_id));
    const auditsOf = by(audits, (a) => Number(a.entity_id));

    /** Every case on disk must be one consistent prefix of the script. Returns how many steps it shows. */
    const consistent = (c: Row): number => {
      const id = Number(c.id);
      const evs = eventsOf.get(id) ?? [];
      const names = evs.map((e) => (e.part_id === null ? String(e.action) : `${e.action}:${partKey.get(Number(e.part_id))}`));
      const k = names.length;
      const where = `case ${id} (${names.join(' → ')})`;
      expect(names, where).toEqual(SCRIPT.slice(0, k).map((s) => s.name));
      expect(k, where).toBeGreaterThan(0);
      const step = SCRIPT[k - 1] as Step;
      // The case row and its parts agree with the timeline.
      expect(c.state, where).toBe(step.state);
      // Created at version 1; every action bumps it once (and nothing is due, so the sweep never locks it).
      expect(Number(c.version), where).toBe(k);
      const ps = partsOf.get(id) ?? [];
      expect(Object.fromEntries(ps.map((p) => [unitKey.get(Number(p.unit_id)), p.state])), where).toEqual(step.parts);
      // Clocks: started and stopped exactly as the timeline says; the one running matches each part's state.
      const cl = clocksOf.get(id) ?? [];
      const data = evs.map((e) => JSON.parse(String(e.data_json ?? '{}')) as { started?: unknown[]; stopped?: unknown[] });
      expect(cl.length, where).toBe(data.reduce((a, d) => a + (d.started?.length ?? 0), 0));
      expect(cl.filter((x) => x.stopped_at !== null).length, where).toBe(data.reduce((a, d) => a + (d.stopped?.length ?? 0), 0));
      expect(
        cl.filter((x) => x.fired_at !== null),
        where,
      ).toEqual([]);
      for (const p of ps) {
        const running = cl.filter((x) => Number(x.part_id) === Number(p.id) && x.stopped_at === null).map((x) => x.code);
        const want = RUNNING[String(p.state)];
        expect(running, `${where} part ${p.state}`).toEqual(want ? [want] : []);
      }
      // The audit trail has exactly one case.<action> per timeline entry (same transactions).
      const count = (xs: string[]) => Object.fromEntries([...new Set(xs)].sort().map((x) => [x, xs.filter((y) => y === x).length]));
      expect(count((auditsOf.get(id) ?? []).map((a) => String(a.action))), where).toEqual(count(evs.map((e) => `case.${e.action}`)));
      return k;
    };

    const caseById = new Map(cases.map((c) => [Number(c.id), c]));
    let appliedInflight = 0;
    for (const tr of tracks) {
      if (tr.id === undefined) continue;
      const c = caseById.get(tr.id);
      // Every acknowledged create is there…
      expect(c, `case ${tr.id} acknowledged as created`).toBeDefined();
      const k = consistent(c as Row);
      // …with at least every acknowledged action, and beyond that at most the one left unanswered.
      expect(k, `case ${tr.id}: acknowledged ${tr.acked.join(', ')}; in flight ${tr.inflight}`).toBeGreaterThanOrEqual(tr.acked.length);
      expect(k).toBeLessThanOrEqual(tr.acked.length + (tr.inflight ? 1 : 0));
      if (k > tr.acked.length) appliedInflight++;
    }
    // Cases nobody heard of: only from creates that got no answer, and whole.
    const known = new Set(tracks.map((t) => t.id));
    const strangers = cases.filter((c) => !known.has(Number(c.id)));
    const unansweredCreates = tracks.filter((t) => t.id === undefined && t.inflight === 'create').length;
    expect(strangers.length).toBeLessThanOrEqual(unansweredCreates);
    for (const c of strangers) expect(consistent(c)).toBe(1);
    appliedInflight += strangers.length;
    // Nothing on the timeline or in the audit trail of a case that does not exist.
    expect(events.every((e) => caseById.has(Number(e.case_id)))).toBe(true);
    expect(audits.every((a) => caseById.has(Number(a.entity_id)))).toBe(true);
    expect(audits.length).toBe(events.length);

    // The audit chain verifies from the command line.
    const verify = spawnTsx('scripts/audit-verify.ts', [], env);
    const code = await verify.exited;
    expect(code, verify.output()).toBe(0);
    expect(verify.output()).toMatch(/audit chain intact/);

    // The restarted server serves the same data, to the same sessions (they were committed too).
    const last = tracks.filter((t) => t.id !== undefined && t.acked.length > 0 && t.acked.length < SCRIPT.length).at(-1) ?? tracks.find((t) => t.id);
    const tr = last as Track;
    const k = (eventsOf.get(tr.id as number) ?? []).length;
    for (const p of Object.values(people)) p.client.base = server.url;
    const d = (await people.drafter.client.get(`/api/v1/cases/${tr.id}`)).json();
    expect(d.state).toBe(SCRIPT[k - 1]?.state);
    expect(d.timeline).toHaveLength(k);
    // …and work goes on where it stopped.
    const next = SCRIPT[k];
    if (next) {
      const partIds = Object.fromEntries((partsOf.get(tr.id as number) ?? []).map((p) => [unitKey.get(Number(p.unit_id)), Number(p.id)]));
      const r = await people[next.who].client.post(`/api/v1/cases/${tr.id}/actions`, {
        action: next.action,
        ...(next.part && { partId: partIds[next.part] }),
        ...(next.input && { input: next.input(people) }),
      });
      expect(r.status, r.body).toBe(200);
      expect(r.json().state).toBe(next.state);
    }

    const acked = tracks.reduce((a, t) => a + t.acked.length, 0);
    console.info(
      `[${kind}] ${acked} actions acknowledged on ${tracks.filter((t) => t.id).length} cases in ${streamMs} ms, SIGKILL with ${inflightAtKill} in flight ` +
        `(${appliedInflight} of them had committed); restart ${restartMs} ms; ${cases.length} cases, ${events.length} timeline entries checked`,
    );
  } finally {
    await stopChild(server, 'SIGKILL');
    await disposeStore(store);
  }
}

describe(`durability on ${TEST_DB}: SIGKILL mid-stream, restart`, () => {
  it('keeps every acknowledged action and applies none by halves', async () => {
    await killMidStreamAndRestart(TEST_DB);
  }, 60_000);
});
