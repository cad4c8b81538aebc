import type { z } from 'zod';
import type { CaseListQuery } from '../../../../contracts/cases.js';
import type { Queryable } from '../../../platform/db/database.js';
import { contentDisposition } from '../../../platform/files/index.js';
import { AppError, notFound } from '../../../platform/http/errors.js';
import type { Lang } from '../../../platform/http/messages.js';
import { EXCEL_DATE, EXCEL_DATE_TIME, excelDate, excelDateTime, loadExcel } from '../../../platform/xlsx/index.js';
import { type Ctx, can, scopeRoots } from '../../access/index.js';
import { describeFlags, explain, localDateTime } from '../../calendar/index.js';
import { dueSoonFrom } from '../engine/clocks.js';
import type { CaseRoles } from '../engine/definition.js';
import { availableActions } from '../engine/machine.js';
import { isClosed, isPartOver } from '../engine/roles.js';
import { soonestTask, taskLabelKey } from '../engine/tasks.js';
import { onBehalfOfIn, type SharedContext, SIGNING_ROLES, type Snapshot } from './shared.js';

/** The case as one user sees it (the answer to reading a case and to acting on it). */
export function caseView(s: SharedContext) {
  const { calendar, repo, typeOf, label, actorOf } = s;

  /** The case as one user sees it: fields, parts, deadlines, their actions now, timeline, files, links. */
  async function view(ctx: Ctx, snap: Snapshot, roles: CaseRoles, q: Queryable) {
    const actor = actorOf(ctx);
    const def = typeOf(snap.typeCode);
    const lang = ctx.lang;
    const id = snap.id;
    const [units, timeline, clocks, watching, attachments, links, family] = await Promise.all([
      repo.unitsByIds([snap.initiatorUnitId, ...snap.parts.map((p) => p.unitId)], q),
      repo.timeline(id, q),
      repo.clocksOf(id, q),
      repo.isWatching(q, id, actor.personId),
      repo.attachments(id, q),
      repo.links(id, q),
      relatedCases(q, snap, lang),
    ]);
    const people = await repo.peopleByIds(
      [snap.drafterPersonId, snap.signingLeaderPersonId ?? 0, ...snap.parts.flatMap((p) => [p.handlerPersonId ?? 0, p.personId ?? 0])].filter((x) => x > 0),
      q,
    );
    const unitName = (uid: number) => units.find((u) => u.id === uid)?.name ?? String(uid);
    const personRef = (pid: number | null | undefined) => (pid ? { id: pid, name: people.find((x) => x.id === pid)?.name ?? String(pid) } : null);
    /** A part as the timeline names it: its unit, or its person in their unit (issue 9 §2). */
    const partName = (p: Snapshot['parts'][number] | undefined) =>
      p?.personId ? `${personRef(p.personId)?.name}（${unitName(p.unitId)}）` : unitName(p?.unitId ?? 0);
    const shown = clocks.filter((c) => c.revision === snap.revision || (c.fired_at === null && c.stopped_at === null));
    // One deadline, one answer (issue 8): the latest clock of each code and unit is current; one it
    // replaced (a sign clock restarted after an objection was rejected) is history.
    const latest = new Map<string, number>();
    for (const c of shown) latest.set(`${c.code}:${c.part_id ?? 0}`, Math.max(c.id, latest.get(`${c.code}:${c.part_id ?? 0}`) ?? 0));
    const isCurrent = (c: (typeof shown)[number]) => latest.get(`${c.code}:${c.part_id ?? 0}`) === c.id;
    const cal = await calendar.load(q);
    const deadlineView = (c: (typeof shown)[number]) => ({
      clock: c.code,
      clockLabel: label(def, `clock.${c.code}`, lang),
      partId: c.part_id,
      dueAt: c.due_at,
      startedAt: c.started_at,
      state: c.fired_at ? ('fired' as const) : c.stopped_at ? (c.outcome === 'missed' ? ('missed' as const) : ('met' as const)) : ('running' as const),
      explanation: explain(JSON.parse(c.explanation_json), lang),
      flags: describeFlags(JSON.parse(c.flags_json), lang),
      soonAt: c.fired_at || c.stopped_at ? null : dueSoonFrom(cal, new Date(c.due_at)).toISOString(),
    });
    return {
      id: snap.id,
      type: def.code,
      typeName: lang === 'en' ? def.nameEn : def.nameZh,
      number: snap.number,
      title: snap.title,
      state: snap.state,
      stateLabel: label(def, `state.${snap.state}`, lang),
      version: snap.version,
      revision: snap.revision,
      fields: snap.fields,
      initiatorUnit: { id: snap.initiatorUnitId, name: unitName(snap.initiatorUnitId) },
      drafter: personRef(snap.drafterPersonId) ?? { id: snap.drafterPersonId, name: '' },
      signingLeader: personRef(snap.signingLeaderPersonId),
      createdAt: snap.createdAt,
      updatedAt: snap.updatedAt,
      closedAt: snap.closedAt,
      parts: snap.parts.map((p) => ({
        id: p.id,
        unit: { id: p.unitId, name: unitName(p.unitId) },
        person: personRef(p.personId),
        role: p.role,
        state: p.state,
        stateLabel: label(def, `state.${p.state}`, lang),
        handler: personRef(p.handlerPersonId),
        dueDate: p.dueDate,
        requestedDueDate: p.requestedDueDate,
        // 已超期 is about what is still owed: never on a part or case that is over.
        overdue: p.overdue && !isPartOver(def, snap, p.state),
        supervised: p.supervised,
      })),
      deadlines: shown.filter(isCurrent).map(deadlineView),
      replacedDeadlines: shown.filter((c) => !isCurrent(c)).map(deadlineView),
      actions: availableActions(def, snap, roles).map((a) => ({ action: a.action, label: label(def, `action.${a.action}`, lang), partId: a.partId })),
      editable: roles.onCase.has('drafter') && def.editableIn.includes(snap.state),
      watching,
      timeline: timeline.map((e) => ({
        id: e.id,
        at: e.at,
        actor: e.actor_name,
        // An event without a person is the system's (an expiry, a move, a case it created): 系统 / System.
        actorKind: e.actor_person_id === null ? ('system' as const) : ('person' as const),
        action: e.action,
        label: label(def, `action.${e.action}`, lang),
        partId: e.part_id,
        unitName: e.part_id ? partName(snap.parts.find((p) => p.id === e.part_id)) : null,
        fromState: e.from_state,
        toState: e.to_state,
        revision: e.revision,
        data: e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null,
        onBehalfOf: onBehalfOfIn(e.data_json),
      })),
      attachments: attachments.map((a) => ({ id: a.id, name: a.name, mime: a.mime, size: a.size, partId: a.part_id, createdAt: a.created_at })),
      links: links.map((l) => ({ id: l.id, number: l.number, title: l.title, state: label(typeOf(l.type_code), `state.${l.state}`, lang) })),
      ...family,
    };
  }

  /**
   * The cases a case is related to by the engine (issue 9 §4): the parent that created it and the
   * children it created, the case it was merged into and those merged into it — each with its number,
   * title and state as the reader's language names it.
   */
  async function relatedCases(q: Queryable, snap: Snapshot, lang: Lang) {
    const ref = (r: { id: number; type_code: string; number: string; title: string; state: string }) => {
      const d = typeOf(r.type_code);
      return {
        id: r.id,
        type: r.type_code,
        typeName: lang === 'en' ? d.nameEn : d.nameZh,
        number: r.number,
        title: r.title,
        state: r.state,
        stateLabel: label(d, `state.${r.state}`, lang),
        closed: isClosed(d, r),
      };
    };
    const [below, up] = await Promise.all([
      repo.relatedTo(q, snap.id),
      repo.casesByIds(
        q,
        [snap.parentCaseId ?? 0, snap.mergedIntoCaseId ?? 0].filter((x) => x > 0),
      ),
    ]);
    const children = below.filter((r) => r.parent_case_id === snap.id);
    const merged = below.filter((r) => r.merged_into_case_id === snap.id);
    const parent = up.find((r) => r.id === snap.parentCaseId);
    const into = up.find((r) => r.id === snap.mergedIntoCaseId);
    return {
      parent: parent ? ref(parent) : null,
      children: children.map(ref),
      mergedInto: into ? { ...ref(into), at: snap.mergedAt } : null,
      merged: merged.map(ref),
    };
  }

  return { view };
}

export type CaseView = ReturnType<typeof caseView>;

/** Reading: a case, the lists and their export, and the directories a form is filled from. */
export function caseViews(s: SharedContext, { view }: CaseView) {
  const { deps, db, clock, calendar, notifications, files, repo, privateDraftRule, requestedType, typeOf, label, actorOf, openCase } = s;

  return {
    async detail(ctx: Ctx, id: number) {
      const { snap, roles } = await openCase(ctx, id, db.kysely);
      return view(ctx, snap, roles, db.kysely);
    },

    /** A reader opens the case: their notifications about it are read (not those about its assessments: the ledger entry opens those). */
    async open(ctx: Ctx, id: number) {
      const answer = await this.detail(ctx, id);
      await notifications.markAboutRead(actorOf(ctx).personId, { caseId: id });
      return answer;
    },

    async list(ctx: Ctx, q: z.infer<typeof CaseListQuery>) {
      const actor = actorOf(ctx);
      if (q.type) requestedType(q.type, 'type');
      const unitIds = [...new Set(actor.grants.map((g) => g.unitId))];
      // A deputy holds their principals' 待办 while the delegation is in force (委托代理, issue 9 §2).
      const principalPersonIds = (await deps.principalsOf(db.kysely, actor.personId)).map((p) => p.personId);
      const { total, rows } = await repo.list({
        personId: actor.personId,
        principalPersonIds,
        unitIds,
        readPaths: scopeRoots(actor.grants, 'case.read'),
        privateDrafts: privateDraftRule,
        tab: q.tab,
        typeCode: q.type,
        state: q.state,
        unitId: q.unitId,
        overdue: q.overdue,
        search: q.q || undefined,
        page: q.page,
        pageSize: q.pageSize,
        now: clock.now().toISOString(),
      });
      const [parts, tasks, cal] = await Promise.all([
        repo.partsOf(rows.map((r) => r.id)),
        repo.myTasks(
          rows.map((r) => r.id),
          [actor.personId, ...principalPersonIds],
          unitIds,
        ),
        calendar.load(),
      ]);
      const now = clock.now().toISOString();
      const partsByCase = groupBy(parts, (p) => p.case_id);
      const tasksByCase = groupBy(tasks, (t) => t.case_id);
      // Deadlines gather at the ends of working days: each instant's 即将到期 is worked out once per page.
      const soonByDue = new Map<string, string>();
      const soonOf = (dueAt: string) => {
        let at = soonByDue.get(dueAt);
        if (at === undefined) {
          at = dueSoonFrom(cal, new Date(dueAt)).toISOString();
          soonByDue.set(dueAt, at);
        }
        return at;
      };
      return {
        total,
        page: q.page,
        pageSize: q.pageSize,
        items: rows.map((r) => {
          const def = typeOf(r.type_code);
          // 已超期 only where something is still owed (a part over, or the case closed, is not late).
          const mine = partsByCase.get(r.id) ?? [];
          const late = mine.map((p) => p.overdue === 1 && !isPartOver(def, r, p.state));
          const task = soonestTask(tasksByCase.get(r.id) ?? []);
          return {
            id: r.id,
            type: r.type_code,
            number: r.number,
            title: r.title,
            state: r.state,
            stateLabel: label(def, `state.${r.state}`, ctx.lang),
            initiatorUnitId: r.initiator_unit_id,
            dueDate: r.due_date,
            taskDueAt: r.task_due_at,
            task: task
              ? {
                  label: label(def, taskLabelKey(def, task), ctx.lang),
                  partId: task.part_id,
                  dueAt: task.due_at,
                  soonAt: task.due_at ? soonOf(task.due_at) : null,
                }
              : null,
            overdue: late.includes(true) || (!!task?.due_at && task.due_at < now),
            parts: mine.map((p, i) => ({
              id: p.id,
              // A person part is named by its person, in their unit (issue 9 §2).
              unitName: p.person_name ? `${p.person_name}（${p.unit_name}）` : p.unit_name,
              role: p.role,
              state: p.state,
              stateLabel: label(def, `state.${p.state}`, ctx.lang),
              overdue: late[i] as boolean,
            })),
            createdAt: r.created_at,
            updatedAt: r.updated_at,
          };
        }),
      };
    },

    async attachmentFile(ctx: Ctx, id: number, attachmentId: number) {
      await openCase(ctx, id, db.kysely);
      const a = await repo.attachment(id, attachmentId);
      if (!a || !(await files.has(a.sha256))) throw notFound('attachment');
      return { mime: a.mime, contentDisposition: contentDisposition(a.name), stream: files.createReadStream(a.sha256) };
    },

    /** The list as shown, to .xlsx (up to 10,000 rows). */
    async exportXlsx(ctx: Ctx, q: z.infer<typeof CaseListQuery>) {
      const zh = ctx.lang === 'zh-CN';
      const ExcelJS = await loadExcel();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(zh ? '工作联系' : 'Cases');
      ws.columns = [
        { header: zh ? '编号' : 'Number', key: 'number', width: 16 },
        { header: zh ? '标题' : 'Title', key: 'title', width: 40 },
        { header: zh ? '状态' : 'State', key: 'stateLabel', width: 14 },
        { header: zh ? '收单单位' : 'Receivers', key: 'receivers', width: 40 },
        { header: zh ? '要求完成日期' : 'Due date', key: 'dueDate', width: 14, style: { numFmt: EXCEL_DATE } },
        { header: zh ? '超期' : 'Overdue', key: 'overdue', width: 8 },
        { header: zh ? '起草时间' : 'Created', key: 'createdAt', width: 18, style: { numFmt: EXCEL_DATE_TIME } },
      ];
      // Dates as Excel dates, times as the organization's wall-clock time (not UTC ISO text).
      const { timeZone } = await calendar.load();
      ws.getRow(1).font = { bold: true };
      ws.views = [{ state: 'frozen', ySplit: 1 }];
      for (let page = 1; page <= 20; page++) {
        const res = await this.list(ctx, { ...q, page, pageSize: 500 });
        for (const c of res.items) {
          ws.addRow({
            ...c,
            receivers: c.parts.map((p) => `${p.unitName}（${p.stateLabel}）`).join('；'),
            overdue: c.overdue ? (zh ? '是' : 'yes') : '',
            dueDate: excelDate(c.dueDate) ?? c.dueDate,
            createdAt: excelDateTime(localDateTime(new Date(c.createdAt), timeZone)),
          });
        }
        if (page * 500 >= res.total) break;
      }
      return { data: Buffer.from(await wb.xlsx.writeBuffer()), contentDisposition: contentDisposition(zh ? '工作联系.xlsx' : 'cases.xlsx') };
    },

    /** Every active unit, for addressing forms across the organization (an address book, not a management scope). */
    async unitDirectory() {
      return (await repo.unitDirectory()).map((u) => ({
        id: u.id,
        parentId: u.parent_id,
        typeCode: u.type_code,
        code: u.code,
        name: u.name,
        path: u.path,
        depth: u.depth,
        sortOrder: u.sort_order,
        active: true,
      }));
    },

    /** People who may sign and issue for a unit (its leaders and the leaders above it). */
    async signingLeaders(ctx: Ctx, unitId: number) {
      actorOf(ctx);
      const unit = await repo.unitById(db.kysely, unitId);
      if (!unit) throw notFound('unit');
      return repo.signingLeaders(unit.path, SIGNING_ROLES);
    },

    /** Members of the drafter's own unit (or one where they may read people), for naming people on a form. */
    async unitMembers(ctx: Ctx, unitId: number) {
      const actor = actorOf(ctx);
      const unit = await repo.unitById(db.kysely, unitId);
      if (!unit) throw notFound('unit');
      if (!actor.grants.some((g) => g.unitId === unitId) && !can(actor.grants, 'people.read', unit.path)) {
        if (can(actor.grants, 'org.read', unit.path)) throw new AppError('FORBIDDEN');
        throw notFound('unit');
      }
      return repo.unitMembers(unitId);
    },

    /** Members of a receiving unit, for naming the handler when signing. */
    async partMembers(ctx: Ctx, id: number, partId: number) {
      const { snap, roles } = await openCase(ctx, id, db.kysely);
      const part = snap.parts.find((p) => p.id === partId);
      if (!part) throw notFound('case');
      // Only the receiving unit itself names its handler; others need not see its roster.
      if (!roles.onPart.get(part.id)?.has('receiver')) throw new AppError('FORBIDDEN');
      return repo.unitMembers(part.unitId);
    },
  };
}

export type CaseViews = ReturnType<typeof caseViews>;

/** Rows by a key, in their order: a page joins its parts and tasks to its cases in one pass, not one scan per case. */
function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}
