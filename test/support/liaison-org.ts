import { ManualClock } from '../../src/server/platform/clock.js';
import { systemContext } from '../../src/server/platform/context.js';
import { type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from './harness.js';

/**
 * A small organization for the work contact form (seed article 8): 发电部 sends forms to 检修部
 * (主办) and 安监部 (协办); the office and supervision sit at the root; 燃料部 is an outsider.
 */
export interface LiaisonOrg {
  t: TestApp;
  clock: ManualClock;
  admin: Client;
  units: { root: number; ops: number; maint: number; safety: number; fuel: number };
  people: Record<
    'drafter' | 'leader' | 'receiver' | 'worker' | 'safetyHead' | 'office' | 'supervisor' | 'outsider' | 'hr',
    { personId: number; client: Client }
  >;
}

/** 2026-09-29 10:00 Asia/Shanghai, a Tuesday before the National Day week. */
export const START = '2026-09-29T02:00:00.000Z';

export async function liaisonOrg(start = START, env: Record<string, string> = {}): Promise<LiaisonOrg> {
  const clock = new ManualClock(new Date(start));
  const t = await startTestApp({ clock, env });
  // Tests jump weeks ahead on the clock; sessions must outlive the jumps.
  await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'auth.sessionIdleMinutes', 60 * 24 * 30, null));
  const admin = await login(t);
  const root = await rootId(t);
  const ops = await createUnit(admin, root, 'OPS', '发电部');
  const maint = await createUnit(admin, root, 'MAINT', '检修部');
  const safety = await createUnit(admin, root, 'SAFE', '安监部');
  const fuel = await createUnit(admin, root, 'FUEL', '燃料部');
  const make = async (username: string, name: string, unitId: number, role: string) => {
    const u = await createUser(t, admin, { unitId, role, username, name });
    return { personId: u.personId, client: await login(t, username, u.password) };
  };
  const people = {
    drafter: await make('drafter', '张起草', ops, 'staff'),
    leader: await make('leader', '李签发', ops, 'unit_head'),
    receiver: await make('receiver', '王检修', maint, 'unit_head'),
    worker: await make('worker', '赵师傅', maint, 'staff'),
    safetyHead: await make('safety', '钱安监', safety, 'unit_head'),
    office: await make('office', '孙办公室', root, 'office'),
    supervisor: await make('supervisor', '周督办', root, 'supervision'),
    outsider: await make('outsider', '吴燃料', fuel, 'staff'),
    hr: await make('hr', '郑人资', root, 'hr'),
  };
  return { t, clock, admin, units: { root, ops, maint, safety, fuel }, people };
}

export function formFields(o: LiaisonOrg, extra: Record<string, unknown> = {}) {
  return {
    title: '检修煤矿皮带机台账核对',
    body: '请检修部于完成日期前核对皮带机检修台账，并回复核对结果。',
    dueDate: '2026-10-20',
    receivers: [
      { unitId: o.units.maint, role: 'main' },
      { unitId: o.units.safety, role: 'assist' },
    ],
    signingLeaderPersonId: o.people.leader.personId,
    ...extra,
  };
}

/** Drafts, submits and issues a form; returns its id and detail. */
export async function issuedForm(o: LiaisonOrg, extra: Record<string, unknown> = {}) {
  const c = await o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o, extra) });
  if (c.statusCode !== 201) throw new Error(`create: ${c.body}`);
  const id = c.json().id as number;
  await act(o.people.drafter.client, id, 'submit');
  const d = await act(o.people.leader.client, id, 'issue');
  return { id, detail: d };
}

export async function act(c: Client, id: number, action: string, input?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const r = await c.post(`/api/v1/cases/${id}/actions`, { action, ...(input && { input }), ...extra });
  if (r.statusCode !== 200) throw new Error(`${action}: ${r.statusCode} ${r.body}`);
  return r.json();
}

export const partOf = (detail: { parts: { id: number; unit: { id: number } }[] }, unitId: number) => {
  const p = detail.parts.find((x) => x.unit.id === unitId);
  if (!p) throw new Error(`no part for unit ${unitId}`);
  return p.id;
};
