import { randomUUID } from 'node:crypto';
import type { ManualClock } from '../../platform/clock.js';
import type { Services } from '../../services.js';
import type { Actor, Ctx } from '../access/index.js';
import { addDays, instantAt, isWorkingDay, localDate } from '../calendar/index.js';
import type { DemoModel } from './demo.data.js';

/**
 * The demo's work contact forms (工作联系单), written by the real cases service as the demo people
 * themselves, on the demo's manual clock walked forward through the last working days: every rule,
 * clock, task, notification, assessment proposal and audit event is the one the server would write.
 */

/** What state a form is left in; `overdue` is issued and never signed, past its sign-or-object deadline. */
export type DemoFormTarget = 'draft' | 'pending_issue' | 'awaiting_sign' | 'in_progress' | 'replied' | 'closed' | 'overdue';

interface DemoFormSpec {
  key: string;
  target: DemoFormTarget;
  /** Unit codes of the model. */
  from: string;
  to: string;
  /** Usernames of demo logins. */
  drafter: string;
  signingLeader: string;
  /** Signs for the receiving unit; for forms left awaiting signature, the one who should. */
  signer?: string;
  handler?: string;
  /** Working days before today on which the form was drafted (0: earlier today). */
  daysAgo: number;
  title: string;
  body: string;
  signNote?: string;
  reply?: string;
  acceptNote?: string;
  /** Working days before today of the reply and of the acceptance. */
  replyDaysAgo?: number;
  acceptDaysAgo?: number;
}

export interface DemoForm {
  key: string;
  target: DemoFormTarget;
  id: number;
  number: string;
  title: string;
  /** The demo login whose 待办 holds the form (null: closed). */
  awaits: string | null;
}

export const DEMO_FORMS: readonly DemoFormSpec[] = [
  {
    key: 'closed',
    target: 'closed',
    from: 'RD-FD',
    to: 'RD-SB',
    drafter: 'specialist',
    signingLeader: 'unithead',
    signer: 'equipment',
    handler: 'inspector',
    daysAgo: 6,
    replyDaysAgo: 5,
    acceptDaysAgo: 4,
    title: '关于#1机组凝汽器胶球清洗装置收球率偏低的处理',
    body: '近一周#1机组凝汽器胶球清洗装置收球率持续低于85%，请设备部检查收球网及胶球泵运行情况，查明原因并处理，处理结果书面回复发电部。',
    signNote: '已安排点检员现场检查。',
    reply: '经检查，收球网A侧网板变形导致跑球，已于停运窗口更换网板并补充胶球；复测收球率96%，满足运行要求。',
    acceptNote: '复测数据已核实，同意销号。',
  },
  {
    key: 'overdue',
    target: 'overdue',
    from: 'RD-FD',
    to: 'RD-SB',
    drafter: 'specialist',
    signingLeader: 'unithead',
    signer: 'equipment',
    daysAgo: 5,
    title: '关于提供汽机房桥式起重机年度检验资料的联系',
    body: '迎峰度夏前发电部需核对汽机房桥式起重机的年度检验情况，请设备部提供最近一次特种设备检验报告及整改闭环记录。',
  },
  {
    key: 'replied',
    target: 'replied',
    from: 'RD-FD',
    to: 'RD-SB',
    drafter: 'specialist',
    signingLeader: 'unithead',
    signer: 'equipment',
    handler: 'inspector',
    daysAgo: 4,
    // Replied yesterday: the initiator's two working days to review are still running.
    replyDaysAgo: 1,
    title: '关于核对#1机组给水泵检修台账的联系',
    body: '发电部在运行分析中发现#1机组B给水泵振动记录与检修台账不一致，请设备部核对该泵近两年的检修台账，补齐缺失的检修记录并回复核对结果。',
    signNote: '请点检员核对台账。',
    reply: '已核对#1机组B给水泵2023年以来的检修台账，补录两次轴承更换记录（附检修工单号），台账与振动记录现已一致。',
  },
  {
    key: 'in_progress',
    target: 'in_progress',
    from: 'RD-AS',
    to: 'RD-FD',
    drafter: 'safetyhead',
    signingLeader: 'leader',
    signer: 'unithead',
    handler: 'specialist',
    daysAgo: 2,
    title: '关于开展迎峰度夏运行安全专项自查的通知',
    body: '为做好迎峰度夏期间安全生产工作，请发电部组织各运行值对主辅机运行方式、事故预案及防汛设施开展专项自查，形成问题清单及整改计划后回复安全生产部。',
    signNote: '由汽机专业主管牵头，各值长配合。',
  },
  {
    key: 'pending_issue',
    target: 'pending_issue',
    from: 'RD-FD',
    to: 'RD-AS',
    drafter: 'specialist',
    signingLeader: 'unithead',
    daysAgo: 1,
    title: '关于#2机组脱硝区域有限空间作业安全监护的联系',
    body: '发电部计划在#2机组脱硝区域开展催化剂取样工作，涉及有限空间作业，请安全生产部派员进行作业前安全交底并全程监护。',
  },
  {
    key: 'awaiting_sign',
    target: 'awaiting_sign',
    from: 'RD-FD',
    to: 'RD-SB',
    drafter: 'specialist',
    signingLeader: 'unithead',
    signer: 'equipment',
    daysAgo: 0,
    title: '关于#2炉捞渣机链条异常磨损检查的联系',
    body: '运行巡检发现#2炉捞渣机链条有异常磨损及卡涩声响，请设备部安排检修人员检查链条、链轮及张紧装置，必要时制定更换计划。',
  },
  {
    key: 'draft',
    target: 'draft',
    from: 'RD-FD',
    to: 'RD-SB',
    drafter: 'specialist',
    signingLeader: 'unithead',
    daysAgo: 0,
    title: '关于#1机组高压加热器疏水调节阀内漏处理的联系',
    body: '#1机组3号高加疏水调节阀关闭后仍有明显内漏，影响高加水位控制，请设备部研究处理方案并结合检修计划安排处理。',
  },
];

const MINUTE = 60_000;

/** Whose move it is once the form is left in its target state. */
function awaitedLogin(f: DemoFormSpec): string | null {
  switch (f.target) {
    case 'draft':
    case 'replied':
      return f.drafter;
    case 'pending_issue':
      return f.signingLeader;
    case 'awaiting_sign':
    case 'overdue':
      return f.signer ?? null;
    case 'in_progress':
      return f.handler ?? null;
    case 'closed':
      return null;
  }
}

/**
 * Writes the demo forms. `clock` is the ManualClock the services run on, standing before `now`; it
 * is left at `now`. `passwords` are the demo logins' fresh passwords: each acting person signs in
 * through the access service like anyone else, and is signed out at the end.
 */
export async function createDemoForms(s: Services, clock: ManualClock, model: DemoModel, passwords: Map<string, string>, now: Date): Promise<DemoForm[]> {
  const cal = await s.calendar.load();
  const today = localDate(now, cal.timeZone);
  const workingDayBefore = (n: number) => {
    let d = today;
    for (let i = 0; i < n; d = addDays(d, -1)) if (isWorkingDay(cal, addDays(d, -1))) i++;
    return d;
  };

  const requestBase = `demo-${randomUUID()}`;
  let step = 0;
  const ctxOf = (actor: Actor | null): Ctx => ({ actor, requestId: `${requestBase}-${++step}`, ip: null, lang: 'zh-CN' });

  /**
   * Moves the clock forward to `t`, sweeping on the way at every reminder and deadline that falls
   * before it, as the server's sweeper would have.
   */
  const advanceTo = async (t: Date) => {
    if (t.getTime() < clock.now().getTime()) throw new Error(`demo forms: the clock would go back to ${t.toISOString()}`);
    for (;;) {
      const open = await s.db.kysely
        .selectFrom('case_clock')
        .select(['remind_at', 'reminded_at', 'due_at'])
        .where('fired_at', 'is', null)
        .where('stopped_at', 'is', null)
        .execute();
      const next = open
        .flatMap((c) => [c.reminded_at ? null : c.remind_at, c.due_at])
        .filter((x): x is string => !!x && x <= t.toISOString())
        .sort()[0];
      if (!next) break;
      clock.set(new Date(Math.max(Date.parse(next), clock.now().getTime())));
      const swept = await s.cases.sweep();
      if (swept.fired + swept.reminded === 0) throw new Error(`demo forms: nothing swept at ${next}`);
    }
    clock.set(t);
  };

  const sessions = new Map<string, { actor: Actor; token: string }>();
  const as = async (username: string): Promise<Ctx> => {
    let session = sessions.get(username);
    if (!session) {
      if (!model.logins.some((l) => l.username === username)) throw new Error(`demo forms: ${username} is not a demo login`);
      const r = await s.accounts.login(ctxOf(null), username, passwords.get(username) as string);
      session = { actor: r.actor, token: r.token };
      sessions.set(username, session);
    }
    return ctxOf(session.actor);
  };
  const unitIds = new Map((await s.db.kysely.selectFrom('unit').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const unitId = (code: string) => {
    const id = unitIds.get(code);
    if (!id) throw new Error(`demo forms: no unit ${code}`);
    return id;
  };

  const personIds = new Map(
    (
      await s.db.kysely
        .selectFrom('account')
        .select(['username', 'person_id'])
        .where(
          'username',
          'in',
          model.logins.map((l) => l.username),
        )
        .execute()
    ).map((a) => [a.username, a.person_id]),
  );
  const personOf = (username: string) => {
    const id = personIds.get(username);
    if (!id) throw new Error(`demo forms: no account ${username}`);
    return id;
  };

  // Every step of every form on one timeline, run in time order: forms overlap in time, and the
  // clock only moves forward, as it does for the server.
  const steps: { at: Date; order: number; run: () => Promise<void> }[] = [];
  const forms: DemoForm[] = [];
  for (const [i, f] of DEMO_FORMS.entries()) {
    const plan: { at: Date; run: (form: { id: number; partId: number }) => Promise<void> }[] = [];
    // Older forms start in the morning of their working day; today's start shortly before now
    // (whatever the hour), so that nothing of today can fall due before now.
    const start =
      f.daysAgo > 0 ? instantAt(workingDayBefore(f.daysAgo), '09:00', cal.timeZone) : new Date(now.getTime() - (f.target === 'draft' ? 30 : 90) * MINUTE);
    const after = (ms: number) => new Date(start.getTime() + ms);
    const form = { id: 0, partId: 0 };
    plan.push({
      at: start,
      run: async () => {
        const created = await s.cases.create(await as(f.drafter), {
          type: 'contact_form',
          initiatorUnitId: unitId(f.from),
          fields: {
            title: f.title,
            body: f.body,
            // A fortnight to do the work, counted from the day the form was drafted.
            dueDate: addDays(localDate(start, cal.timeZone), 14),
            receivers: [{ unitId: unitId(f.to), role: 'main' }],
            signingLeaderPersonId: personOf(f.signingLeader),
          },
        });
        form.id = created.id;
        forms.push({ key: f.key, target: f.target, id: created.id, number: created.number, title: f.title, awaits: awaitedLogin(f) });
      },
    });
    if (f.target !== 'draft')
      plan.push({ at: after(5 * MINUTE), run: async () => void (await s.cases.act(await as(f.drafter), form.id, { action: 'submit' })) });
    if (f.target !== 'draft' && f.target !== 'pending_issue')
      plan.push({
        at: after(30 * MINUTE),
        run: async () => {
          const issued = await s.cases.act(await as(f.signingLeader), form.id, { action: 'issue' });
          form.partId = issued.parts[0]?.id as number;
        },
      });
    if (f.target === 'in_progress' || f.target === 'replied' || f.target === 'closed') {
      const { signer, handler } = f;
      if (!signer || !handler) throw new Error(`demo forms: ${f.key} needs a signer and a handler`);
      // Signed a few hours after issue, well inside the one working day allowed.
      plan.push({
        at: after(3 * 60 * MINUTE),
        run: async () =>
          void (await s.cases.act(await as(signer), form.id, {
            action: 'sign',
            partId: form.partId,
            input: { handlerPersonId: personOf(handler), ...(f.signNote && { note: f.signNote }) },
          })),
      });
      if (f.target !== 'in_progress') {
        // Replied on a later working day, inside the fortnight; the review follows within its two working days.
        const replyAt = instantAt(workingDayBefore(f.replyDaysAgo ?? 1), '10:00', cal.timeZone);
        plan.push({
          at: replyAt,
          run: async () => void (await s.cases.act(await as(handler), form.id, { action: 'reply', partId: form.partId, input: { result: f.reply as string } })),
        });
        if (f.target === 'closed')
          plan.push({
            at: instantAt(workingDayBefore(f.acceptDaysAgo ?? 1), '09:30', cal.timeZone),
            run: async () =>
              void (await s.cases.act(await as(f.drafter), form.id, {
                action: 'accept',
                partId: form.partId,
                input: { ...(f.acceptNote && { note: f.acceptNote }) },
              })),
          });
      }
    }
    for (const p of plan) steps.push({ at: p.at, order: i, run: () => p.run(form) });
  }
  steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  for (const step of steps) {
    await advanceTo(step.at);
    await step.run();
  }

  await advanceTo(now);
  // The demo people sign out again: no session of theirs is left behind.
  for (const session of sessions.values()) await s.accounts.logout(ctxOf(session.actor), session.token);
  forms.sort((a, b) => DEMO_FORMS.findIndex((f) => f.key === a.key) - DEMO_FORMS.findIndex((f) => f.key === b.key));
  return forms;
}
