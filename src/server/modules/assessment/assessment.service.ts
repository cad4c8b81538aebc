import type { z } from 'zod';
import type { AssessmentAction, AssessmentQuery, LedgerEventCreate, PeriodQuery, TotalsQuery } from '../../../contracts/cases.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { FieldProblem, Lang } from '../../platform/http/messages.js';
import { EXCEL_DATE_TIME, excelDateTime, loadExcel } from '../../platform/xlsx/index.js';
import { type Ctx, can, scopeRoots } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { type CalendarService, deadlineAfter, localDateTime } from '../calendar/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { PolicyKey, PolicyService } from '../policy/index.js';
import { ASSESSMENT_TRANSITIONS, type AssessmentParty, allowedAssessmentActions, assessmentTaskKey } from './assessment.machine.js';
import { type AssessmentRow, assessmentRepository, type PeriodRow } from './assessment.repository.js';
import { type AssessmentRule, type FanOutEntry, MANUAL_RULE, ruleByCode, ruleName } from './assessment.rules.js';
import { type Direction, fromHundredths, monthHasEnded, monthIsFuture, monthsOf, periodOf, toHundredths, totalsBySubject } from './ledger.core.js';

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

/** One event fanning out into entries (issue 9 §7): what another module hands the ledger. */
export interface LedgerEvent {
  /** 'manual' or the rule set, e.g. 'liaison_officer.dismissal'. */
  kind: string;
  sourceType: string;
  sourceId: number | null;
  evidence: string;
  reason: string;
  /** The month it counts in; the month of now in the organization's zone when left out. */
  period?: string;
  proposerUnitId: number | null;
  proposerPersonId: number | null;
  judgePersonId: number | null;
  entries: (FanOutEntry & {
    /** For a rule's entry, its policies give these when left out; a manual entry names them. */
    direction?: Direction;
    pointsCenti?: number;
    moneyFen?: number;
    reason?: string | null;
  })[];
}

const PERIOD_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  open: { 'zh-CN': '未结账', en: 'Open' },
  closed: { 'zh-CN': '已结账', en: 'Closed' },
};

const validation = (details: FieldProblem[]) => new AppError('VALIDATION', { summary: details.map((d) => d.path).join(', ') }, details);

const RULING_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  upheld: { 'zh-CN': '维持', en: 'Upheld' },
  reduced: { 'zh-CN': '减轻', en: 'Reduced' },
  withdrawn: { 'zh-CN': '撤销', en: 'Withdrawn' },
};

export function createAssessmentService({ db, clock, audit, policy, calendar, notifications, unitContacts }: Deps) {
  const repo = assessmentRepository(db);
  const now = () => clock.now();

  /** Holds the month for the transaction and refuses it when closed (no entry, change or ruling). */
  async function assertOpen(tx: Tx, period: string): Promise<void> {
    const row = await repo.holdPeriod(tx, period);
    if (row.state === 'closed') throw new AppError('PERIOD_CLOSED', { period });
  }

  /** A rule's points and money as its policies give them at the unit (or organization-wide), 0 where it has none. */
  async function ruleAmounts(rule: AssessmentRule, unitId: number | null, tx: Tx): Promise<{ points: number; money: number }> {
    const keys = [rule.points, rule.money].filter((k): k is PolicyKey => k !== undefined);
    const values: Partial<Record<PolicyKey, unknown>> = keys.length
      ? unitId !== null
        ? await policy.forUnit(unitId, keys, tx)
        : await policy.getMany(keys, tx)
      : {};
    return {
      points: rule.points ? Number(values[rule.points]) : 0,
      money: rule.money ? Number(values[rule.money]) : 0,
    };
  }

  /** Who the ledger tells about an entry's subject: a person, or the contacts of a unit. */
  const subjectPeople = async (q: Queryable, row: AssessmentRow) => [
    ...(row.subject_unit_id !== null ? await unitContacts(q, row.subject_unit_id) : []),
    ...(row.subject_person_id !== null ? [row.subject_person_id] : []),
  ];

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
      direction: row.direction === 'credit' ? ('credit' as const) : ('debit' as const),
      points: fromHundredths(row.points_centi),
      money: fromHundredths(row.money_fen),
      period: row.period,
      eventId: row.event_id,
      reason: row.reason,
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

  function periodView(period: string, row: PeriodRow | undefined, lang: Lang, ended: boolean) {
    const state = row?.state === 'closed' ? ('closed' as const) : ('open' as const);
    return {
      period,
      state,
      stateLabel: PERIOD_LABELS[state]?.[lang] ?? state,
      version: row?.version ?? 1,
      closedAt: row?.closed_at ?? null,
      reopenedAt: row?.reopened_at ?? null,
      reopenReason: row?.reopen_reason ?? null,
      canClose: ended && state === 'open',
    };
  }

  async function totalsOf(period: string, items: ReturnType<typeof view>[]) {
    const months = monthsOf(period);
    const rows = new Map((await repo.periods(db.kysely, months)).map((r) => [r.period, r.state]));
    const totals = totalsBySubject(
      items.flatMap((a) => {
        const subject = a.subjectPerson
          ? { kind: 'person' as const, ref: a.subjectPerson }
          : a.subjectUnit
            ? { kind: 'unit' as const, ref: a.subjectUnit }
            : null;
        if (!subject) return [];
        return [
          {
            subjectKind: subject.kind,
            subjectId: subject.ref.id,
            subjectName: subject.ref.name,
            direction: a.direction,
            state: a.state,
            pointsCenti: Math.round(a.points * 100),
            moneyFen: Math.round(a.money * 100),
          },
        ];
      }),
    );
    return {
      period,
      months: months.map((m) => ({ period: m, state: rows.get(m) === 'closed' ? ('closed' as const) : ('open' as const) })),
      items: totals.map((t) => ({
        subjectKind: t.subjectKind,
        subjectId: t.subjectId,
        subjectName: t.subjectName,
        points: fromHundredths(t.pointsCenti),
        money: fromHundredths(t.moneyFen),
        pendingPoints: fromHundredths(t.pendingPointsCenti),
        pendingMoney: fromHundredths(t.pendingMoneyFen),
        entries: t.entries,
      })),
    };
  }

  const taskOf = (state: string) => {
    const key = assessmentTaskKey(state);
    return key ? { partId: null, key } : null;
  };

  const notice = (row: AssessmentRow, extra: Record<string, string | number | null> = {}) => ({
    rule: ruleName(row.rule, 'zh-CN'),
    number: row.evidence,
    unit: row.subject_unit_name ?? row.subject_person_name,
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
      const { points, money } = await ruleAmounts(rule, p.subjectUnitId, tx);
      const period = periodOf(at, cal.timeZone);
      await assertOpen(tx, period);
      const id = await repo.insert(tx, {
        ...p,
        subjectPersonId: p.subjectPersonId ?? null,
        direction: rule.direction ?? 'debit',
        pointsCenti: Math.round(points * 100),
        moneyFen: Math.round(money * 100),
        scopeUnitId: p.subjectUnitId,
        eventId: null,
        reason: null,
        period,
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
        await assertOpen(tx, row.period);
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
            const subject = await subjectPeople(tx, row);
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
              const points = input.points === undefined ? row.points_centi : toHundredths(input.points);
              const money = input.money === undefined ? row.money_fen : toHundredths(input.money);
              if (points === null) throw validation([{ path: 'points', key: 'two_decimals', params: {} }]);
              if (money === null) throw validation([{ path: 'money', key: 'two_decimals', params: {} }]);
              if (points > row.points_centi || money > row.money_fen)
                throw new AppError('VALIDATION', { summary: 'points' }, [
                  { path: 'points', key: 'too_big_number', params: { maximum: fromHundredths(row.points_centi) } },
                ]);
              Object.assign(set, { points_centi: points, money_fen: money });
            }
            const subject = await subjectPeople(tx, row);
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
          before: { state: row.state, points: fromHundredths(row.points_centi), money: fromHundredths(row.money_fen) },
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
      const { period, ...rest } = q;
      const { total, rows } = await repo.list(
        {
          ...rest,
          months: period ? monthsOf(period) : undefined,
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

    /**
     * One event, several entries, one transaction (issue 9 §7): a dismissal's allowance, unit points
     * and unit-head fine are made together, share the event, and each has its audit event. Called by
     * the modules whose rules fan out (the liaison-officer module), inside their transaction, and by
     * the office's 手工录入. Amounts a rule's entry leaves out come from the rule's policies.
     */
    async fanOut(tx: Tx, ctx: RequestContext, e: LedgerEvent): Promise<{ eventId: number; ids: number[] }> {
      const at = now();
      const cal = await calendar.load(tx);
      const period = e.period ?? periodOf(at, cal.timeZone);
      await assertOpen(tx, period);
      const eventId = await repo.insertEvent(tx, {
        kind: e.kind,
        sourceType: e.sourceType,
        sourceId: e.sourceId,
        reason: e.reason,
        period,
        at: at.toISOString(),
        by: e.proposerPersonId,
      });
      const ids: number[] = [];
      for (const entry of e.entries) {
        const rule = ruleByCode(entry.rule);
        if (!rule) throw new Error(`unknown assessment rule ${entry.rule}`);
        const defaults = entry.pointsCenti === undefined || entry.moneyFen === undefined ? await ruleAmounts(rule, entry.scopeUnitId, tx) : null;
        const pointsCenti = entry.pointsCenti ?? Math.round((defaults?.points ?? 0) * 100);
        const moneyFen = entry.moneyFen ?? Math.round((defaults?.money ?? 0) * 100);
        const direction = entry.direction ?? rule.direction ?? 'debit';
        const id = await repo.insert(tx, {
          rule: entry.rule,
          sourceType: e.sourceType,
          sourceId: e.sourceId ?? eventId,
          sourcePartId: null,
          evidence: e.evidence,
          subjectUnitId: entry.subject.kind === 'unit' ? entry.subject.id : null,
          subjectPersonId: entry.subject.kind === 'person' ? entry.subject.id : null,
          proposerUnitId: e.proposerUnitId,
          proposerPersonId: e.proposerPersonId,
          judgePersonId: e.judgePersonId,
          direction,
          pointsCenti,
          moneyFen,
          scopeUnitId: entry.scopeUnitId,
          eventId,
          reason: entry.reason ?? e.reason,
          period,
          at: at.toISOString(),
        });
        ids.push(id);
        await audit.record(tx, ctx, {
          action: e.kind === MANUAL_RULE ? 'assessment.enter' : 'assessment.propose',
          entityType: 'assessment',
          entityId: id,
          unitId: entry.scopeUnitId,
          after: {
            eventId,
            rule: entry.rule,
            subject: entry.subject,
            direction,
            points: fromHundredths(pointsCenti),
            money: fromHundredths(moneyFen),
            period,
            reason: entry.reason ?? e.reason,
          },
        });
      }
      return { eventId, ids };
    },

    /**
     * 手工录入 (POST /assessments): the office enters one event by hand, with a reason, against units or
     * persons in its scope (assessment.manage over the unit, or over a unit the person belongs to).
     * Every entry starts as a proposal of the person entering it and follows the same machine:
     * confirmed, appealable, ruled by the judge named.
     */
    async enter(ctx: Ctx, input: z.infer<typeof LedgerEventCreate>) {
      const actor = ctx.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED');
      const problems: FieldProblem[] = [];
      const amounts = input.entries.map((entry, i) => {
        const pointsCenti = entry.points === undefined ? 0 : toHundredths(entry.points);
        const moneyFen = entry.money === undefined ? 0 : toHundredths(entry.money);
        if (pointsCenti === null) problems.push({ path: `entries.${i}.points`, key: 'two_decimals', params: {} });
        if (moneyFen === null) problems.push({ path: `entries.${i}.money`, key: 'two_decimals', params: {} });
        if (pointsCenti === 0 && moneyFen === 0) problems.push({ path: `entries.${i}.points`, key: 'amount_required', params: {} });
        return { pointsCenti: pointsCenti ?? 0, moneyFen: moneyFen ?? 0 };
      });
      const at = now();
      const { timeZone } = await calendar.load();
      if (input.period && monthIsFuture(input.period, at, timeZone))
        problems.push({ path: 'period', key: 'period_in_future', params: { current: periodOf(at, timeZone) } });
      if (!(await repo.personById(db.kysely, input.judgePersonId)))
        problems.push({ path: 'judgePersonId', key: 'unknown_reference', params: { value: input.judgePersonId } });
      if (problems.length) throw validation(problems);

      // Each subject inside the office's scope; an unknown one and one outside answer alike (404).
      const manages = (path: string) => can(actor.grants, 'assessment.manage', path);
      const scoped: { scopeUnitId: number; scopePath: string }[] = [];
      for (const entry of input.entries) {
        if (entry.subject.kind === 'unit') {
          const unit = await repo.unitById(db.kysely, entry.subject.id);
          if (!unit || !manages(unit.path)) throw notFound('unit');
          scoped.push({ scopeUnitId: unit.id, scopePath: unit.path });
        } else {
          const person = await repo.personById(db.kysely, entry.subject.id);
          const unit = person ? (await repo.personUnits(db.kysely, person.id)).find((u) => manages(u.path)) : undefined;
          if (!unit) throw notFound('person');
          scoped.push({ scopeUnitId: unit.id, scopePath: unit.path });
        }
      }
      // The person entering proposes, alone: the office's unit is often the root, and everyone holding
      // a role there must not become a proposer of the entry (confirm, drop) by that alone.
      const { eventId } = await db.kysely.transaction().execute((tx) =>
        this.fanOut(tx, ctx, {
          kind: MANUAL_RULE,
          sourceType: 'manual',
          sourceId: null,
          evidence: input.evidence?.trim() || input.reason,
          reason: input.reason,
          period: input.period,
          proposerUnitId: null,
          proposerPersonId: actor.personId,
          judgePersonId: input.judgePersonId,
          entries: input.entries.map((entry, i) => ({
            rule: MANUAL_RULE,
            subject: entry.subject,
            scopeUnitId: scoped[i]?.scopeUnitId as number,
            direction: entry.direction,
            pointsCenti: amounts[i]?.pointsCenti,
            moneyFen: amounts[i]?.moneyFen,
            reason: entry.reason ?? null,
          })),
        }),
      );
      const rows = await repo.byEvent(db.kysely, eventId);
      const entries = [];
      for (const row of rows) entries.push(view(row, ctx.lang, allowedAssessmentActions(row.state, await parties(ctx, row))));
      return { eventId, entries };
    },

    /** The months of a year with their state (a month never touched is open). */
    async periods(ctx: Ctx, q: z.infer<typeof PeriodQuery>) {
      const at = now();
      const { timeZone } = await calendar.load();
      const year = q.year ?? Number(periodOf(at, timeZone).slice(0, 4));
      const months = monthsOf(String(year));
      const rows = new Map((await repo.periods(db.kysely, months)).map((r) => [r.period, r]));
      return { items: months.map((m) => periodView(m, rows.get(m), ctx.lang, monthHasEnded(m, at, timeZone))) };
    },

    /** 结账: a month that has ended is closed; nothing is entered, changed or ruled on in it until reopened. */
    async closePeriod(ctx: Ctx, period: string, version?: number) {
      const at = now();
      const { timeZone } = await calendar.load();
      if (!monthHasEnded(period, at, timeZone)) throw new AppError('PERIOD_NOT_ENDED', { period });
      const row = await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.lockPeriod(tx, period);
        if (version !== undefined && version !== before.version) throw new AppError('CONFLICT');
        if (before.state === 'closed') throw new AppError('PERIOD_CLOSED', { period });
        const set = { state: 'closed', closed_at: at.toISOString(), closed_by: ctx.actor?.personId ?? null };
        if (!(await repo.updatePeriod(tx, period, before.version, set))) throw new AppError('CONFLICT');
        await audit.record(tx, ctx, {
          action: 'assessment.period_close',
          entityType: 'assessment_period',
          entityId: period,
          before: { state: before.state },
          after: set,
        });
        return { ...before, ...set, version: before.version + 1 };
      });
      return periodView(period, row, ctx.lang, true);
    },

    /** 重新打开: a closed month opens again, with a reason, on the record. */
    async reopenPeriod(ctx: Ctx, period: string, reason: string, version?: number) {
      const at = now();
      const { timeZone } = await calendar.load();
      const row = await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.lockPeriod(tx, period);
        if (version !== undefined && version !== before.version) throw new AppError('CONFLICT');
        if (before.state !== 'closed') throw new AppError('PERIOD_NOT_CLOSED', { period });
        const set = { state: 'open', reopened_at: at.toISOString(), reopened_by: ctx.actor?.personId ?? null, reopen_reason: reason };
        if (!(await repo.updatePeriod(tx, period, before.version, set))) throw new AppError('CONFLICT');
        await audit.record(tx, ctx, {
          action: 'assessment.period_reopen',
          entityType: 'assessment_period',
          entityId: period,
          before: { state: before.state, closedAt: before.closed_at },
          after: set,
        });
        return { ...before, ...set, version: before.version + 1 };
      });
      return periodView(period, row, ctx.lang, monthHasEnded(period, at, timeZone));
    },

    /** Per-subject totals of a period (a month, or a quarter or year of months) over what the reader sees. */
    async totals(ctx: Ctx, q: z.infer<typeof TotalsQuery>) {
      const { items } = await this.list(ctx, { period: q.period, unitId: q.unitId, page: 1, pageSize: 1 }, true);
      return totalsOf(q.period, items);
    },

    forSource: (sourceType: string, sourceId: number) => repo.bySource(sourceType, sourceId),

    /**
     * The ledger as HR receives it: one row per entry, filtered like the list, and for a period a
     * second sheet with each subject's totals (final entries signed; open ones apart).
     */
    async exportXlsx(ctx: Ctx, q: z.infer<typeof AssessmentQuery>): Promise<Buffer> {
      const { items } = await this.list(ctx, q, true);
      const ExcelJS = await loadExcel();
      const wb = new ExcelJS.Workbook();
      const zh = ctx.lang === 'zh-CN';
      const ws = wb.addWorksheet(zh ? '考核台账' : 'Assessments');
      const MONEY = '0.00';
      ws.columns = [
        { header: zh ? '编号' : 'ID', key: 'id', width: 8 },
        { header: zh ? '考核期间' : 'Period', key: 'period', width: 10 },
        { header: zh ? '考核事项' : 'Rule', key: 'ruleName', width: 30 },
        { header: zh ? '被考核单位' : 'Unit', key: 'unit', width: 20 },
        { header: zh ? '被考核人' : 'Person', key: 'person', width: 12 },
        { header: zh ? '分值' : 'Points', key: 'points', width: 8 },
        { header: zh ? '金额（元）' : 'Money (yuan)', key: 'money', width: 12, style: { numFmt: MONEY } },
        { header: zh ? '依据' : 'Evidence', key: 'evidence', width: 18 },
        { header: zh ? '状态' : 'State', key: 'stateLabel', width: 16 },
        { header: zh ? '裁定' : 'Ruling', key: 'ruling', width: 10 },
        { header: zh ? '裁定理由' : 'Ruling reason', key: 'rulingReason', width: 30 },
        { header: zh ? '生效时间' : 'Final at', key: 'finalAt', width: 18, style: { numFmt: EXCEL_DATE_TIME } },
        // Added with the scoring ledger (issue 9 §7), after the columns HR's sheets already read by position.
        { header: zh ? '加/扣' : 'Credit/debit', key: 'directionLabel', width: 8 },
        { header: zh ? '录入理由' : 'Reason', key: 'reason', width: 24 },
        { header: zh ? '事件' : 'Event', key: 'eventId', width: 8 },
      ];
      ws.getRow(1).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
      // Times as Excel dates in the organization's wall-clock time (not UTC ISO text).
      const { timeZone } = await calendar.load();
      const directionLabel = (d: string) => (d === 'credit' ? (zh ? '加分' : 'credit') : zh ? '扣分' : 'debit');
      for (const a of items)
        ws.addRow({
          ...a,
          unit: a.subjectUnit?.name ?? '',
          person: a.subjectPerson?.name ?? '',
          directionLabel: directionLabel(a.direction),
          finalAt: excelDateTime(a.finalAt ? localDateTime(new Date(a.finalAt), timeZone) : null),
        });
      if (q.period) {
        const totals = await totalsOf(q.period, items);
        const ts = wb.addWorksheet(zh ? '期间汇总' : 'Totals');
        ts.columns = [
          { header: zh ? '考核期间' : 'Period', key: 'period', width: 10 },
          { header: zh ? '对象类别' : 'Kind', key: 'kind', width: 8 },
          { header: zh ? '被考核对象' : 'Subject', key: 'subjectName', width: 20 },
          { header: zh ? '合计分值（已生效）' : 'Points (final)', key: 'points', width: 16 },
          { header: zh ? '合计金额（元，已生效）' : 'Money (final, yuan)', key: 'money', width: 20, style: { numFmt: MONEY } },
          { header: zh ? '待定分值' : 'Points (open)', key: 'pendingPoints', width: 12 },
          { header: zh ? '待定金额（元）' : 'Money (open, yuan)', key: 'pendingMoney', width: 16, style: { numFmt: MONEY } },
          { header: zh ? '条数' : 'Entries', key: 'entries', width: 8 },
        ];
        ts.getRow(1).font = { bold: true };
        ts.views = [{ state: 'frozen', ySplit: 1 }];
        const kind = (k: string) => (k === 'unit' ? (zh ? '单位' : 'unit') : zh ? '个人' : 'person');
        for (const t of totals.items) ts.addRow({ ...t, period: q.period, kind: kind(t.subjectKind) });
      }
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
