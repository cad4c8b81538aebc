import type { z } from 'zod';
import type { AssessmentAction, AssessmentQuery } from '../../../contracts/cases.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Lang } from '../../platform/http/messages.js';
import { EXCEL_DATE_TIME, excelDateTime, loadExcel } from '../../platform/xlsx/index.js';
import { type Ctx, can, scopeRoots } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { type CalendarService, deadlineAfter, localDate, localDateTime } from '../calendar/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { PolicyService } from '../policy/index.js';
import { ASSESSMENT_TRANSITIONS, type AssessmentParty, allowedAssessmentActions, assessmentTaskKey } from './assessment.machine.js';
import { type AssessmentRow, assessmentRepository } from './assessment.repository.js';
import { ruleByCode, ruleName } from './assessment.rules.js';

interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  policy: PolicyService;
  calendar: CalendarService;
  notifications: NotificationService;
  /** The people a notice addressed to a unit reaches (org module). */
  unitContacts: (q: Queryable, unitId: number) => Promise<number[]>;
}

export interface Proposal {
  rule: string;
  sourceType: string;
  sourceId: number;
  sourcePartId: number | null;
  /** What a person reads to find the evidence: a case number. */
  evidence: string;
  subjectUnitId: number | null;
  subjectPersonId?: number | null;
  proposerUnitId: number | null;
  proposerPersonId: number | null;
  judgePersonId: number | null;
}

const STATE_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  proposed: { 'zh-CN': '待确认', en: 'Proposed' },
  confirmed: { 'zh-CN': '已提出（申诉期）', en: 'Confirmed (appeal period)' },
  appealed: { 'zh-CN': '申诉待裁定', en: 'Appealed' },
  final: { 'zh-CN': '已生效', en: 'Final' },
  withdrawn: { 'zh-CN': '已撤销', en: 'Withdrawn' },
  dropped: { 'zh-CN': '未提出', en: 'Dropped' },
};

const RULING_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  upheld: { 'zh-CN': '维持', en: 'Upheld' },
  reduced: { 'zh-CN': '减轻', en: 'Reduced' },
  withdrawn: { 'zh-CN': '撤销', en: 'Withdrawn' },
};

export function createAssessmentService({ db, clock, audit, policy, calendar, notifications, unitContacts }: Deps) {
  const repo = assessmentRepository(db);
  const now = () => clock.now();

  async function parties(ctx: Ctx, row: AssessmentRow, q = db.kysely): Promise<Set<AssessmentParty>> {
    const out = new Set<AssessmentParty>();
    const actor = ctx.actor;
    if (!actor) return out;
    const memberOf = new Set(actor.grants.map((g) => g.unitId));
    if (row.proposer_person_id === actor.personId || (row.proposer_unit_id !== null && memberOf.has(row.proposer_unit_id))) out.add('proposer');
    if (row.judge_person_id === actor.personId) out.add('judge');
    if (row.subject_unit_id !== null && (memberOf.has(row.subject_unit_id) || (await repo.isMember(q, actor.personId, row.subject_unit_id))))
      out.add('subject');
    if (row.subject_person_id === actor.personId) out.add('subject');
    return out;
  }

  function visible(ctx: Ctx, row: AssessmentRow, p: Set<AssessmentParty>): boolean {
    if (p.size > 0) return true;
    return !!row.subject_unit_path && can(ctx.actor?.grants ?? [], 'assessment.read', row.subject_unit_path);
  }

  function view(row: AssessmentRow, lang: Lang, actions: string[]) {
    return {
      id: row.id,
      rule: row.rule,
      ruleName: ruleName(row.rule, lang),
      sourceType: row.source_type,
      sourceId: row.source_id,
      evidence: row.evidence,
      subjectUnit: row.subject_unit_id !== null ? { id: row.subject_unit_id, name: row.subject_unit_name ?? '' } : null,
      subjectPerson: row.subject_person_id !== null ? { id: row.subject_person_id, name: row.subject_person_name ?? '' } : null,
      points: row.points,
      money: row.money,
      period: row.period,
      state: row.state as 'proposed',
      stateLabel: STATE_LABELS[row.state]?.[lang] ?? row.state,
      version: row.version,
      proposedAt: row.proposed_at,
      confirmedAt: row.confirmed_at,
      appealDueAt: row.appeal_due_at,
      appealReason: row.appeal_reason,
      ruling: row.ruling ? (RULING_LABELS[row.ruling]?.[lang] ?? row.ruling) : null,
      rulingReason: row.ruling_reason,
      finalAt: row.final_at,
      actions,
    };
  }

  const taskOf = (state: string) => {
    const key = assessmentTaskKey(state);
    return key ? { partId: null, key } : null;
  };

  const notice = (row: AssessmentRow, extra: Record<string, string | number | null> = {}) => ({
    rule: ruleName(row.rule, 'zh-CN'),
    number: row.evidence,
    unit: row.subject_unit_name,
    ...extra,
  });

  return {
    /** Called by the modules whose rules were broken, inside their transaction (the ledger is shared, DOMAIN.md §9). */
    async propose(tx: Tx, ctx: RequestContext, p: Proposal): Promise<number> {
      const rule = ruleByCode(p.rule);
      if (!rule) throw new Error(`unknown assessment rule ${p.rule}`);
      const at = now();
      const cal = await calendar.load(tx);
      // The amounts in force at the assessed unit (issue 9 §8: policies per unit).
      const amounts =
        p.subjectUnitId !== null ? await policy.forUnit(p.subjectUnitId, [rule.points, rule.money], tx) : await policy.getMany([rule.points, rule.money], tx);
      const points = amounts[rule.points];
      const money = amounts[rule.money];
      const id = await repo.insert(tx, {
        ...p,
        subjectPersonId: p.subjectPersonId ?? null,
        points: Number(points),
        money: Number(money),
        period: localDate(at, cal.timeZone).slice(0, 7),
        at: at.toISOString(),
      });
      await audit.record(tx, ctx, {
        action: 'assessment.propose',
        entityType: 'assessment',
        entityId: id,
        unitId: p.subjectUnitId,
        after: { rule: p.rule, evidence: p.evidence, points, money },
      });
      if (p.proposerPersonId !== null) {
        const row = await repo.byId(tx, id);
        if (row)
          await notifications.send(tx, [
            {
              personId: p.proposerPersonId,
              caseId: p.sourceType === 'case' ? p.sourceId : null,
              kind: 'assessment.proposed',
              params: notice(row),
              assessmentId: id,
              task: taskOf(row.state),
            },
          ]);
      }
      return id;
    },

    async get(ctx: Ctx, id: number) {
      const row = await repo.byId(db.kysely, id);
      if (!row) throw notFound('assessment');
      const p = await parties(ctx, row);
      if (!visible(ctx, row, p)) throw notFound('assessment');
      return view(row, ctx.lang, allowedAssessmentActions(row.state, p));
    },

    /** A reader opens the ledger entry (a notification's link): their notifications about it are read. */
    async open(ctx: Ctx, id: number) {
      const answer = await this.get(ctx, id);
      if (ctx.actor) await notifications.markAboutRead(ctx.actor.personId, { assessmentId: id });
      return answer;
    },

    async act(ctx: Ctx, id: number, input: z.infer<typeof AssessmentAction>) {
      await db.kysely.transaction().execute(async (tx) => {
        const row = await repo.byId(tx, id);
        if (!row) throw notFound('assessment');
        const p = await parties(ctx, row, tx);
        if (!visible(ctx, row, p)) throw notFound('assessment');
        if (input.version !== undefined && input.version !== row.version) throw new AppError('CONFLICT');
        const allowed = allowedAssessmentActions(row.state, p);
        const t = ASSESSMENT_TRANSITIONS.find((x) => x.action === input.action && x.from.includes(row.state));
        if (!t) {
          throw new AppError('ACTION_NOT_ALLOWED', {
            action: input.action,
            state: STATE_LABELS[row.state]?.[ctx.lang] ?? row.state,
            allowed: allowed.join(', ') || '—',
          });
        }
        if (!p.has(t.by)) throw new AppError('FORBIDDEN');
        const at = now();
        const iso = at.toISOString();
        const set: Record<string, unknown> = { state: t.to };
        let notify: { personIds: number[]; kind: string; extra?: Record<string, string | number | null> } | null = null;
        const cal = await calendar.load(tx);
        switch (input.action) {
          case 'confirm': {
            const days =
              row.subject_unit_id !== null
                ? (await policy.forUnit(row.subject_unit_id, ['assessment.appealWorkingDays'], tx))['assessment.appealWorkingDays']
                : await policy.get('assessment.appealWorkingDays', tx);
            const due = deadlineAfter(cal, at, days).deadline;
            Object.assign(set, { confirmed_at: iso, confirmed_by: ctx.actor?.personId ?? null, appeal_due_at: due.toISOString() });
            const subject = row.subject_unit_id !== null ? await unitContacts(tx, row.subject_unit_id) : [];
            const local = localDateTime(due, cal.timeZone);
            notify = {
              personIds: [...subject, ...(row.judge_person_id ? [row.judge_person_id] : [])],
              kind: 'assessment.confirmed',
              extra: { due: `${local.date} ${local.time}` },
            };
            break;
          }
          case 'drop':
            Object.assign(set, { ruling_reason: input.reason });
            break;
          case 'appeal':
            // 1个工作日内 (seed article 8): an appeal after the window is refused.
            if (row.appeal_due_at && new Date(row.appeal_due_at) < at) {
              const local = localDateTime(new Date(row.appeal_due_at), cal.timeZone);
              throw new AppError('APPEAL_TOO_LATE', { due: `${local.date} ${local.time}` });
            }
            Object.assign(set, { appeal_reason: input.reason, appealed_at: iso });
            notify = { personIds: row.judge_person_id ? [row.judge_person_id] : [], kind: 'assessment.appealed', extra: { reason: input.reason } };
            break;
          case 'approve':
            Object.assign(set, { final_at: iso, ruled_by: ctx.actor?.personId ?? null, ruled_at: iso });
            break;
          case 'rule': {
            const outcome = input.ruling;
            Object.assign(set, {
              ruling: outcome,
              ruling_reason: input.reason,
              ruled_by: ctx.actor?.personId ?? null,
              ruled_at: iso,
              state: outcome === 'withdrawn' ? 'withdrawn' : 'final',
              final_at: outcome === 'withdrawn' ? null : iso,
            });
            if (outcome === 'reduced') {
              if (input.points === undefined && input.money === undefined)
                throw new AppError('VALIDATION', { summary: 'points' }, [{ path: 'points', key: 'required', params: {} }]);
              if ((input.points ?? row.points) > row.points || (input.money ?? row.money) > row.money)
                throw new AppError('VALIDATION', { summary: 'points' }, [{ path: 'points', key: 'too_big_number', params: { maximum: row.points } }]);
              Object.assign(set, { points: input.points ?? row.points, money: input.money ?? row.money });
            }
            const subject = row.subject_unit_id !== null ? await unitContacts(tx, row.subject_unit_id) : [];
            notify = {
              personIds: [...subject, ...(row.proposer_person_id ? [row.proposer_person_id] : [])],
              kind: 'assessment.ruled',
              extra: { reason: `${RULING_LABELS[outcome]?.['zh-CN']}：${input.reason}` },
            };
            break;
          }
        }
        if (!(await repo.update(tx, id, row.version, set))) throw new AppError('CONFLICT');
        await audit.record(tx, ctx, {
          action: `assessment.${input.action}`,
          entityType: 'assessment',
          entityId: id,
          unitId: row.subject_unit_id,
          before: { state: row.state, points: row.points, money: row.money },
          after: set,
        });
        // Doing what a notification asked reads it, for everyone it went to.
        const state = String(set.state ?? t.to);
        await notifications.resolveAssessment(tx, id, assessmentTaskKey(state));
        if (notify) {
          const me = ctx.actor?.personId;
          const ids = [...new Set(notify.personIds)].filter((x) => x !== me);
          await notifications.send(
            tx,
            ids.map((personId) => ({
              personId,
              caseId: row.source_type === 'case' ? row.source_id : null,
              kind: notify.kind,
              params: notice(row, notify.extra),
              assessmentId: id,
              task: taskOf(state),
            })),
          );
        }
      });
      return this.get(ctx, id);
    },

    async list(ctx: Ctx, q: z.infer<typeof AssessmentQuery>, all = false) {
      const actor = ctx.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED');
      const { total, rows } = await repo.list(
        {
          ...q,
          readPaths: scopeRoots(actor.grants, 'assessment.read'),
          personId: actor.personId,
          unitIds: [...new Set(actor.grants.map((g) => g.unitId))],
        },
        all,
      );
      const items = [];
      for (const row of rows) items.push(view(row, ctx.lang, allowedAssessmentActions(row.state, await parties(ctx, row))));
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    forSource: (sourceType: string, sourceId: number) => repo.bySource(sourceType, sourceId),

    /** The ledger as HR receives it: one row per event, filtered like the list. */
    async exportXlsx(ctx: Ctx, q: z.infer<typeof AssessmentQuery>): Promise<Buffer> {
      const { items } = await this.list(ctx, q, true);
      const ExcelJS = await loadExcel();
      const wb = new ExcelJS.Workbook();
      const zh = ctx.lang === 'zh-CN';
      const ws = wb.addWorksheet(zh ? '考核台账' : 'Assessments');
      ws.columns = [
        { header: zh ? '编号' : 'ID', key: 'id', width: 8 },
        { header: zh ? '考核期间' : 'Period', key: 'period', width: 10 },
        { header: zh ? '考核事项' : 'Rule', key: 'ruleName', width: 30 },
        { header: zh ? '被考核单位' : 'Unit', key: 'unit', width: 20 },
        { header: zh ? '被考核人' : 'Person', key: 'person', width: 12 },
        { header: zh ? '扣分' : 'Points', key: 'points', width: 8 },
        { header: zh ? '金额（元）' : 'Money', key: 'money', width: 10 },
        { header: zh ? '依据' : 'Evidence', key: 'evidence', width: 18 },
        { header: zh ? '状态' : 'State', key: 'stateLabel', width: 16 },
        { header: zh ? '裁定' : 'Ruling', key: 'ruling', width: 10 },
        { header: zh ? '裁定理由' : 'Reason', key: 'rulingReason', width: 30 },
        { header: zh ? '生效时间' : 'Final at', key: 'finalAt', width: 18, style: { numFmt: EXCEL_DATE_TIME } },
      ];
      ws.getRow(1).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
      // Times as Excel dates in the organization's wall-clock time (not UTC ISO text).
      const { timeZone } = await calendar.load();
      for (const a of items)
        ws.addRow({
          ...a,
          unit: a.subjectUnit?.name ?? '',
          person: a.subjectPerson?.name ?? '',
          finalAt: excelDateTime(a.finalAt ? localDateTime(new Date(a.finalAt), timeZone) : null),
        });
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
