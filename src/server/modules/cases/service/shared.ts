import type { Clock } from '../../../platform/clock.js';
import type { RequestContext } from '../../../platform/context.js';
import type { Database, Queryable, Tx } from '../../../platform/db/database.js';
import type { FileStore } from '../../../platform/files/index.js';
import { AppError, type ErrorCode, notFound } from '../../../platform/http/errors.js';
import { type FieldProblem, type Lang, problemsFromZod, renderProblem } from '../../../platform/http/messages.js';
import type { SearchRepository } from '../../../platform/search/index.js';
import { type Actor, type Ctx, can } from '../../access/index.js';
import type { AssessmentService } from '../../assessment/index.js';
import type { AuditService, Change } from '../../audit/index.js';
import { type Calendar, type CalendarService, localDate, localDateTime } from '../../calendar/index.js';
import type { NewNotification, NotificationService } from '../../notifications/index.js';
import type { PolicyService } from '../../policy/index.js';
import { casesRepository, type NewEvent } from '../cases.repository.js';
import { type PolicyNumbers, policyKeysOf } from '../engine/clocks.js';
import type { CaseBinding, CaseSnapshot, CaseSummary, CaseTypeDef, RelRole } from '../engine/definition.js';
import { type DelegatedRoles, type Principal, resolveDelegatedRoles } from '../engine/delegation.js';
import { checkDraft } from '../engine/drafts.js';
import { ENGINE_LABELS } from '../engine/labels.js';
import type { Notice, Plan, plan } from '../engine/machine.js';
import type { MergeRefusal } from '../engine/merge.js';
import { answeredReads, countKey, questionsOf } from '../engine/reads.js';
import {
  type ChainLevels,
  chainRolePeople,
  chainSubjectsOf,
  currentApprover,
  draftPrivacy,
  hasAnyRole,
  isClosed,
  isPrivateDraft,
  mayReadDraft,
  OFFICE_ROLE,
  orgRoleCode,
  type RoleFacts,
  roleCodeKeysOf,
  SUPERVISION_ROLE,
} from '../engine/roles.js';
import { askedTask, pendingTasks, taskKey } from '../engine/tasks.js';
import { validateCaseType } from '../engine/validate.js';
import { coalLossNotice } from '../types/coal-loss-notice.js';
import { commissionLetter } from '../types/commission-letter.js';
import { contactForm } from '../types/contact-form.js';
import { districtGeologyCommission } from '../types/district-geology-commission.js';
import { incidentReport } from '../types/incident-report.js';
import { notice } from '../types/notice.js';
import { operationTicket } from '../types/operation-ticket.js';
import { workDrawings } from '../types/work-drawings.js';

export interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  policy: PolicyService;
  calendar: CalendarService;
  notifications: NotificationService;
  assessments: AssessmentService;
  search: SearchRepository;
  files: FileStore;
  /** The people a notice addressed to a unit reaches (org module). */
  unitContacts: (q: Queryable, unitId: number) => Promise<number[]>;
  /** The people a person stands in for now, with their grants (委托代理, delegation module; issue 9 §2). */
  principalsOf: (q: Queryable, deputyPersonId: number) => Promise<Principal[]>;
  /** A person's way up for the reporting chain (逐级汇报, org module): every member of their unit and each unit above it. */
  chainOf: (q: Queryable, personId: number) => Promise<ChainLevels>;
  /** Largest attachment (bytes). */
  maxAttachmentBytes: number;
}

/** Roles whose holders may sign and issue for a unit they lead (签发领导). */
export const SIGNING_ROLES = ['leader', 'unit_head'];

/** The case types this server runs, each checked when the server starts (a type naming an undeclared state, role or clock is refused). */
export const CASE_TYPES: ReadonlyMap<string, CaseTypeDef> = new Map(
  [contactForm, commissionLetter, notice, operationTicket, districtGeologyCommission, workDrawings, coalLossNotice, incidentReport].map((d, _, all) => [
    d.code,
    validateCaseType(d, new Set(all.map((x) => x.code))),
  ]),
);

/**
 * Adds case types to those the server runs (a test's own type; issue 9 §4), checked like the
 * server's: against each other and the types already there, so a child type that does not exist is
 * refused naming the type and field. Call before the cases service is created; a code already
 * registered is refused.
 */
export function registerCaseTypes(...defs: CaseTypeDef[]): void {
  const known = new Set([...CASE_TYPES.keys(), ...defs.map((d) => d.code)]);
  for (const d of defs) if (CASE_TYPES.has(d.code) && CASE_TYPES.get(d.code) !== d) throw new Error(`case type ${d.code} is already registered`);
  for (const d of defs) validateCaseType(d, known);
  for (const d of defs) (CASE_TYPES as Map<string, CaseTypeDef>).set(d.code, d);
}

export type Snapshot = NonNullable<Awaited<ReturnType<ReturnType<typeof casesRepository>['snapshot']>>>;

/** A part the case's fields ask for, resolved: a unit, or a person reached in their unit (issue 9 §2). */
export interface BoundPart {
  unitId: number;
  personId: number | null;
  role: 'main' | 'assist';
}
/** The binding with its parts resolved (person parts named by a role become one per person). */
export type Bound = CaseBinding & { parts: BoundPart[] };
export const partKey = (p: { unitId: number; personId?: number | null }) => (p.personId ? `p:${p.personId}` : `u:${p.unitId}`);

/** The principal an event was taken on behalf of (委托代理), from its stored data. */
export function onBehalfOfIn(dataJson: string | null): { personId: number; name: string } | null {
  if (!dataJson?.includes('"onBehalfOf"')) return null;
  const o = (JSON.parse(dataJson) as { onBehalfOf?: { personId?: unknown; name?: unknown } }).onBehalfOf;
  return o && typeof o.personId === 'number' && typeof o.name === 'string' ? { personId: o.personId, name: o.name } : null;
}

export const validation = (problems: FieldProblem[]) => new AppError('VALIDATION', { summary: problems.map((p) => p.path).join(', ') }, problems);

/** The helpers every use case shares, built once from the service's dependencies (issue 9 §10). */
export function createSharedContext(deps: Deps) {
  const { db, clock, audit, policy, calendar, notifications, assessments, search, files } = deps;
  const repo = casesRepository(db, search);

  /** Which rows are private drafts, per case type, for the lists (the same rule as {@link isPrivateDraft}). */
  const privateDraftRule = [...CASE_TYPES.values()].map((d) => ({ typeCode: d.code, ...draftPrivacy(d) }));

  /** A type code a client sent: one this server runs, else 400 naming the field. */
  const requestedType = (code: string, path: string): CaseTypeDef => {
    const def = CASE_TYPES.get(code);
    if (!def) throw validation([{ path, key: 'invalid_value', params: { values: [...CASE_TYPES.keys()].join(', ') } }]);
    return def;
  };

  const typeOf = (code: string): CaseTypeDef => {
    const def = CASE_TYPES.get(code);
    if (!def) throw new Error(`unknown case type ${code}`);
    return def;
  };

  const label = (def: CaseTypeDef, key: string, lang: Lang) => {
    const l = def.labels[key] ?? ENGINE_LABELS[key];
    return l ? (lang === 'en' ? l.en : l.zh) : key.slice(key.indexOf('.') + 1);
  };

  /** The type's policy numbers as in force at the case's initiating unit (issue 9 §8: policies per unit). */
  async function policiesFor(def: CaseTypeDef, unitId: number, q: Queryable): Promise<PolicyNumbers> {
    const values = await policy.forUnit(unitId, policyKeysOf(def), q);
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
  }

  const actorOf = (ctx: Ctx): Actor => {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    return ctx.actor;
  };

  /**
   * Anyone with a role in the case, a follower, or a holder of case.read over one of its units. A
   * draft is private (issue 8, ADR 0005 "Drafts are private"): until it is issued only its drafting
   * unit sees it (the drafter, the unit's members, case.read over the initiating unit), its signing
   * leader or approver once it is in their hands, and whoever has acted on it; not the receiving
   * units, nor anyone copied in.
   */
  async function access(ctx: Ctx, snap: Snapshot, q: Queryable) {
    return (await accessHeld(ctx, snap, q)).all;
  }

  /**
   * {@link access}, with the roles told apart: the person's own and those they hold as a deputy
   * (委托代理, issue 9 §2). A deputy sees and does in the case what their principal would; the
   * principals are read per request with the delegation module's clock, so a delegation that ended
   * gives nothing more. Without a delegation in force this is exactly the person's own roles.
   */
  async function accessHeld(ctx: Ctx, snap: Snapshot, q: Queryable): Promise<DelegatedRoles> {
    const actor = actorOf(ctx);
    const def = typeOf(snap.typeCode);
    const held = resolveDelegatedRoles(actor, await deps.principalsOf(q, actor.personId), snap, def, await roleFacts(q, def, snap));
    const roles = held.all;
    const grantSets = [actor.grants, ...held.as.map((a) => a.principal.grants)];
    const mayRead = (path: string) => grantSets.some((g) => can(g, 'case.read', path));
    if (isPrivateDraft(def, snap)) {
      if (mayReadDraft(def, snap, roles)) return held;
      if (mayRead(snap.initiatorUnitPath)) return held;
      if (await repo.isParty(q, snap.id, actor.personId)) return held;
      throw notFound('case');
    }
    if (hasAnyRole(roles)) return held;
    const paths = [snap.initiatorUnitPath, ...snap.parts.map((p) => p.unitPath)];
    if (paths.some(mayRead)) return held;
    if (await repo.isWatching(q, snap.id, actor.personId)) return held;
    throw notFound('case');
  }

  /** The case as the user may see it: 404 when it does not exist or they have no way in. */
  async function openCase(ctx: Ctx, id: number, q: Queryable) {
    const snap = await repo.snapshot(q, id);
    if (!snap) throw notFound('case');
    const held = await accessHeld(ctx, snap, q);
    return { snap, roles: held.all, held };
  }

  /** Who a deputy acted for, on the timeline and in the audit chain (shown 王五（代 李四）). */
  const onBehalf = (p: Principal | null | undefined) => (p ? { onBehalfOf: { personId: p.personId, name: p.name } } : {});

  const localLabel = (cal: Calendar, iso: string) => {
    const l = localDateTime(new Date(iso), cal.timeZone);
    return `${l.date} ${l.time}`;
  };

  /**
   * What resolving the type's roles needs (issue 9 §2): the organization's role codes (one read of
   * their policies) and, for a type declaring chain roles, the way up from each person they count from.
   */
  // One operation asks for a snapshot's role facts once per role it notifies or resolves (office,
  // supervision, each declared role): read them once per snapshot object, which lives for that operation.
  const factsOf = new WeakMap<object, Promise<RoleFacts>>();
  function roleFacts(q: Queryable, def: CaseTypeDef, snap: Pick<CaseSnapshot, 'drafterPersonId' | 'fields'>): Promise<RoleFacts> {
    let facts = factsOf.get(snap);
    if (!facts) {
      facts = (async () => {
        const subjects = chainSubjectsOf(def, snap);
        const [roleCodes, chains] = await Promise.all([
          policy.getMany(roleCodeKeysOf(def), q),
          Promise.all(subjects.map(async (id) => [id, await deps.chainOf(q, id)] as const)),
        ]);
        return { roleCodes, chains: new Map(chains) };
      })();
      factsOf.set(snap, facts);
    }
    return facts;
  }

  /** A part as a notification names it: its unit, or its person in their unit (issue 9 §2). */
  async function partLabel(q: Queryable, part: CaseSnapshot['parts'][number] | null | undefined): Promise<string | null> {
    if (!part) return null;
    const unit = (await repo.unitById(q, part.unitId))?.name ?? null;
    return part.personId ? `${(await repo.personName(q, part.personId)) ?? part.personId}（${unit}）` : unit;
  }

  /** People behind relational roles, for notifications and tasks. */
  async function peopleFor(q: Queryable, snap: CaseSnapshot, role: RelRole, partId: number | null): Promise<number[]> {
    const parts = partId === null ? snap.parts : snap.parts.filter((p) => p.id === partId);
    const def = typeOf(snap.typeCode);
    switch (role) {
      case 'drafter':
        return [snap.drafterPersonId];
      case 'signing_leader':
        return snap.signingLeaderPersonId ? [snap.signingLeaderPersonId] : [];
      case 'approver': {
        const id = currentApprover(typeOf(snap.typeCode), snap);
        return id ? [id] : [];
      }
      case 'initiator':
        return deps.unitContacts(q, snap.initiatorUnitId);
      case 'handler':
        return parts.flatMap((p) => (p.handlerPersonId ? [p.handlerPersonId] : []));
      case 'receiver': {
        const out: number[] = [];
        // A person part reaches its person; a unit part the unit's contacts.
        for (const p of parts) out.push(...(p.personId ? [p.personId] : await deps.unitContacts(q, p.unitId)));
        return out;
      }
      case 'office':
        return repo.peopleWithRoleOver(q, [orgRoleCode(OFFICE_ROLE, await roleFacts(q, def, snap))], snap.initiatorUnitPath);
      case 'supervision':
        return repo.peopleWithRoleOver(q, [orgRoleCode(SUPERVISION_ROLE, await roleFacts(q, def, snap))], snap.initiatorUnitPath);
    }
    return declaredPeople(q, def, snap, role, parts);
  }

  /** People behind a role the type declares (issue 9 §2), as its source says. */
  async function declaredPeople(q: Queryable, def: CaseTypeDef, snap: CaseSnapshot, role: string, parts: CaseSnapshot['parts']): Promise<number[]> {
    const src = def.roles?.[role];
    if (!src) return [];
    const id = (field: string) => {
      const v = snap.fields[field];
      return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
    };
    const out: number[] = [];
    switch (src.kind) {
      case 'fieldPerson': {
        const person = id(src.field);
        return person ? [person] : [];
      }
      case 'fieldUnit': {
        const unit = id(src.field);
        return unit ? deps.unitContacts(q, unit) : [];
      }
      case 'unitRole': {
        const code = orgRoleCode(src.role, await roleFacts(q, def, snap));
        if (src.over === 'initiator') return repo.peopleWithRoleOver(q, [code], snap.initiatorUnitPath);
        for (const p of parts) out.push(...(await repo.peopleWithRoleOver(q, [code], p.unitPath)));
        return out;
      }
      case 'partMember':
        for (const p of parts) out.push(...(await deps.unitContacts(q, p.unitId)));
        return out;
      case 'chain':
        return chainRolePeople(src, snap, await roleFacts(q, def, snap));
    }
  }

  async function notificationsFor(
    tx: Tx,
    snap: Snapshot,
    notices: readonly Notice[],
    params: (n: Notice) => Record<string, string | number | null>,
    exceptPersonId: number | null,
  ): Promise<NewNotification[]> {
    const out: NewNotification[] = [];
    // What the case waits on now: a notification to someone it waits on asks them to do it, and is
    // read for everyone it went to once that is done (see notifications.resolveCase).
    const tasks = pendingTasks(typeOf(snap.typeCode), snap);
    for (const n of notices) {
      const people = new Map<number, NewNotification['task']>();
      const add = (ids: number[], role: RelRole, partId: number | null) => {
        const t = askedTask(tasks, role, partId);
        const task = t ? { partId: t.partId, key: taskKey(t) } : null;
        for (const id of ids) if (!people.get(id)) people.set(id, task);
      };
      for (const role of n.to) {
        // Told about the whole case as a member of a receiving unit: each part asks its own unit.
        if (n.partId === null && (role === 'receiver' || role === 'handler'))
          for (const p of snap.parts) add(await peopleFor(tx, snap, role, p.id), role, p.id);
        else add(await peopleFor(tx, snap, role, n.partId), role, n.partId);
      }
      people.delete(exceptPersonId ?? -1);
      for (const [personId, task] of people) out.push({ personId, caseId: snap.id, kind: n.message, params: params(n), task });
    }
    return out;
  }

  /**
   * A step on the record (issue 9 §10): its timeline event and its audit event, written together in
   * the caller's transaction, the event first; returns the event's id. Where something must come
   * between the two (待办 refreshed, the answer read before the audit chain's lock), the caller writes
   * them apart.
   */
  async function recordStep(tx: Tx, ctx: RequestContext, step: { event: NewEvent; audit: Change }) {
    const eventId = await repo.insertEvent(tx, step.event);
    await audit.record(tx, ctx, step.audit);
    return eventId;
  }

  /** Rewrites the case's 待办 rows from its state now; returns the snapshot it read, for the caller to reuse. */
  async function refreshTasks(tx: Tx, def: CaseTypeDef, caseId: number, at: string) {
    const snap = await repo.snapshot(tx, caseId);
    if (!snap) return undefined;
    const tasks = [];
    for (const t of pendingTasks(def, snap)) {
      const part = snap.parts.find((p) => p.id === t.partId);
      const base = { caseId, partId: t.partId, state: t.state, dueAt: t.dueAt, awaits: t.awaits };
      const src = def.roles?.[t.awaits];
      const onUnit = t.awaits === 'receiver' || (t.awaits === 'handler' && !part?.handlerPersonId) || src?.kind === 'partMember';
      if (onUnit && part?.personId) {
        // A person part's task is its person's alone (issue 9 §2): their 待办, counted as theirs.
        tasks.push({ ...base, personId: part.personId, unitId: null });
      } else if (onUnit) {
        if (part) tasks.push({ ...base, personId: null, unitId: part.unitId });
      } else if (t.awaits === 'initiator') {
        tasks.push({ ...base, personId: null, unitId: snap.initiatorUnitId });
      } else {
        for (const personId of new Set(await peopleFor(tx, snap, t.awaits, t.partId))) tasks.push({ ...base, personId, unitId: null });
      }
    }
    await repo.replaceTasks(tx, caseId, tasks, at);
    return snap;
  }

  /**
   * Receivers exist and are not the initiator; the signing leader leads the initiating unit; the due
   * date is not past. Person parts (issue 9 §2) name active people, each reached in their primary
   * unit; a part for each person a declared role names (the people above the reporter) needs someone.
   */
  async function checkBinding(
    q: Queryable,
    def: CaseTypeDef,
    fields: Record<string, unknown>,
    initiator: { id: number; path: string },
    cal: Calendar,
    drafterPersonId: number,
    lang: Lang,
  ): Promise<Bound> {
    const b = def.bind(fields);
    const problems: FieldProblem[] = [];
    const at = (field: string | undefined, fallback: string) => `fields.${field ?? fallback}`;
    const parts: BoundPart[] = [];
    const addPerson = async (personId: number, role: BoundPart['role'], path: string) => {
      const unit = await repo.primaryUnitOf(q, personId);
      if (!unit) problems.push({ path, key: 'unknown_reference', params: { value: personId } });
      else if (!parts.some((x) => x.personId === personId)) parts.push({ unitId: unit.id, personId, role });
    };
    for (const [i, r] of b.receivers.entries()) {
      if ('unitId' in r) {
        const unit = await repo.unitById(q, r.unitId);
        const path = at(r.field, `receivers.${i}.unitId`);
        if (unit?.active !== 1) problems.push({ path, key: 'unknown_reference', params: { value: r.unitId } });
        else if (unit.id === initiator.id) problems.push({ path, key: 'own_unit', params: {} });
        else parts.push({ unitId: r.unitId, personId: null, role: r.role });
      } else if ('personId' in r) {
        await addPerson(r.personId, r.role, at(r.field, `receivers.${i}.personId`));
      } else {
        const draft: CaseSnapshot = {
          id: 0,
          typeCode: def.code,
          state: def.initialState,
          version: 0,
          revision: 0,
          fields,
          initiatorUnitId: initiator.id,
          initiatorUnitPath: initiator.path,
          drafterPersonId,
          signingLeaderPersonId: b.signingLeaderPersonId,
          parts: [],
          clocks: [],
          missed: [],
        };
        const people = await peopleFor(q, draft, r.peopleInRole, null);
        const path = at(r.field, `receivers.${i}`);
        if (!people.length) problems.push({ path, key: 'no_one_above', params: { role: label(def, `role.${r.peopleInRole}`, lang) } });
        for (const personId of people) await addPerson(personId, r.role, path);
      }
    }
    // A signing leader who is also named below is checked there, against the roles the type asks for.
    if (b.signingLeaderPersonId !== null && !b.named?.some((n) => n.personId === b.signingLeaderPersonId)) {
      const leaders = await repo.peopleWithRoleOver(q, SIGNING_ROLES, initiator.path);
      if (!leaders.includes(b.signingLeaderPersonId)) {
        const name = (await repo.personName(q, b.signingLeaderPersonId)) ?? String(b.signingLeaderPersonId);
        problems.push({ path: at(b.fieldOf?.signingLeaderPersonId, 'signingLeaderPersonId'), key: 'not_a_leader', params: { value: name } });
      }
    }
    // People named to approve (an approval chain) hold one of the required roles over the initiating unit, or belong to it.
    for (const n of b.named ?? []) {
      const ok = n.roles.length
        ? (await repo.peopleWithRoleOver(q, [...n.roles], initiator.path)).includes(n.personId)
        : await repo.isMember(q, n.personId, initiator.id);
      if (!ok) {
        const name = (await repo.personName(q, n.personId)) ?? String(n.personId);
        problems.push({ path: `fields.${n.field}`, key: n.roles.length ? 'not_a_leader' : 'not_a_member', params: { value: name } });
      }
    }
    if (b.dueDate && b.dueDate < localDate(clock.now(), cal.timeZone))
      problems.push({ path: at(b.fieldOf?.dueDate, 'dueDate'), key: 'date_in_past', params: {} });
    if (problems.length) throw validation(problems);
    return { ...b, parts };
  }

  /** Everyone named to be copied exists: a 400 naming the list entry, not the foreign key's 500. */
  async function checkWatchers(ids: number[]) {
    const found = new Set((await repo.peopleByIds([...new Set(ids)])).map((p) => p.id));
    const problems = ids.flatMap((id, i) => (found.has(id) ? [] : [{ path: `watcherPersonIds.${i}`, key: 'unknown_reference', params: { value: id } }]));
    if (problems.length) throw validation(problems);
  }

  /** A draft's fields: the title and whatever else is filled in, each right (issue 8, 保存草稿). */
  function draftFields(def: CaseTypeDef, fields: Record<string, unknown>) {
    const checked = checkDraft(def.fields, fields);
    if (!checked.ok) throw validation(problemsFromZod(checked.issues, ['fields']));
    return checked.fields;
  }

  /** A draft sent on must be complete: every field the type asks for, each right (400 naming the missing ones). */
  async function completeFields(q: Queryable, def: CaseTypeDef, snap: Snapshot, cal: Calendar, lang: Lang) {
    const parsed = def.fields.safeParse(snap.fields, { reportInput: true });
    if (!parsed.success) {
      const problems = problemsFromZod(parsed.error.issues, ['fields']);
      throw new AppError('DRAFT_INCOMPLETE', { count: problems.length }, problems);
    }
    await checkBinding(q, def, parsed.data, { id: snap.initiatorUnitId, path: snap.initiatorUnitPath }, cal, snap.drafterPersonId, lang);
  }

  const searchText = (number: string, fields: Record<string, unknown>) =>
    [number, ...Object.values(fields).filter((v): v is string => typeof v === 'string')].join('\n');

  function refuse(def: CaseTypeDef, snap: CaseSnapshot, r: Exclude<ReturnType<typeof plan>, Plan>, action: string, lang: Lang): AppError {
    switch (r.kind) {
      case 'unknown_action':
        return new AppError('UNKNOWN_ACTION', { action });
      case 'part_required':
        return new AppError('PART_REQUIRED');
      case 'not_in_state':
        return new AppError('ACTION_NOT_ALLOWED', {
          action: label(def, `action.${action}`, lang),
          state: label(def, `state.${snap.state}`, lang),
          allowed: [...new Set(r.allowed.map((a) => label(def, `action.${a.action}`, lang)))].join('、') || '—',
        });
      case 'not_your_role':
        return new AppError('FORBIDDEN');
      case 'input':
        return validation(problemsFromZod(r.issues, ['input']));
      case 'guard': {
        const params = { ...(r.failure.params ?? {}) };
        return new AppError(r.failure.key as ErrorCode, params);
      }
    }
  }

  /** What a guard may ask about other cases (issue 9 §4): the questions the action's transitions declare, answered now in the transaction. */
  async function readsFor(q: Queryable, def: CaseTypeDef, snap: Snapshot, action: string, now: Date, cal: Calendar) {
    const decls = def.transitions.filter((t) => t.action === action && t.reads).map((t) => t.reads?.({ snapshot: snap, now, cal }) ?? {});
    if (decls.length === 0) return undefined;
    const asked = questionsOf(decls);
    const rows = await repo.childrenOf(q, asked.childrenOf);
    const children = new Map<number, CaseSummary[]>(asked.childrenOf.map((pid) => [pid, []]));
    for (const r of rows)
      children.get(r.parent_case_id ?? 0)?.push({
        id: r.id,
        typeCode: r.type_code,
        number: r.number,
        title: r.title,
        state: r.state,
        closed: isClosed(typeOf(r.type_code), r),
      });
    const counts = new Map<string, number>();
    for (const c of asked.countCases) counts.set(countKey(c), await repo.countCases(q, c));
    return answeredReads({ children, counts });
  }

  const readsAnswered = async (q: Queryable, def: CaseTypeDef, snap: Snapshot, action: string, now: Date, cal: Calendar) => {
    const reads = await readsFor(q, def, snap, action, now, cal);
    return reads ? { reads } : {};
  };

  /** A merge refused (issue 9 §4): 400 into itself, 403 not the person's to merge, else 409 naming the field and why, in the reader's language. */
  function mergeRefused(r: MergeRefusal, snap: Snapshot, target: Snapshot, lang: Lang): AppError {
    if (r.kind === 'not_your_role') return new AppError('FORBIDDEN');
    const onTarget =
      r.kind === 'self' || r.kind === 'other_type' || r.kind === 'target_closed' || r.kind === 'target_merged' || r.kind === 'other_organization';
    const problem: FieldProblem = {
      path: onTarget ? 'targetCaseId' : 'id',
      key: `merge_${r.kind}`,
      params: { number: onTarget ? target.number : snap.number, type: typeOf(snap.typeCode)[lang === 'en' ? 'nameEn' : 'nameZh'] },
    };
    const summary = `${problem.path} ${renderProblem(problem, lang)}`;
    return new AppError(r.kind === 'self' ? 'VALIDATION' : 'MERGE_REFUSED', { summary }, [problem]);
  }

  return {
    deps,
    db,
    clock,
    audit,
    calendar,
    notifications,
    assessments,
    search,
    files,
    repo,
    privateDraftRule,
    requestedType,
    typeOf,
    label,
    policiesFor,
    actorOf,
    access,
    openCase,
    onBehalf,
    localLabel,
    partLabel,
    notificationsFor,
    recordStep,
    refreshTasks,
    checkBinding,
    checkWatchers,
    draftFields,
    completeFields,
    searchText,
    refuse,
    readsAnswered,
    mergeRefused,
  };
}

export type SharedContext = ReturnType<typeof createSharedContext>;
