import { Descriptions, type DescriptionsProps, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLang } from '../../i18n/index.js';
import { type CaseTypeView, fieldWords, typeLabel, useCaseType } from '../../lib/caseTypes.js';
import { dynT, formatTime } from '../../lib/format.js';
import { useIsMobile } from '../../lib/useIsMobile.js';
import type { CaseDetail } from '../../types.js';
import { isWorkKind } from './NoticeItems.js';
import { type Candidate, useSigningLeaders, useUnitMembers } from './PeoplePickers.js';
import { activeFields, type FieldSpec, formSpec } from './schemaForm/schema.js';

type Item = NonNullable<DescriptionsProps['items']>[number];

/** Which approver's action tells who was named in which field (the engine lets only that person take it). */
const SIGNED_BY: Record<string, Record<string, string>> = {
  commission_letter: { departmentHeadPersonId: 'head_sign', chiefEngineerPersonId: 'chief_sign' },
  operation_ticket: { reviewerPersonId: 'review', permitterPersonId: 'permit' },
};

/**
 * Names of the people a case's fields refer to by id. The case detail names the drafter, the signing
 * leader and the handlers only; the others are looked up among the initiating unit's leaders (and its
 * members, for those who may read people), or taken from the signature they already gave.
 */
export function usePersonNames(d: CaseDetail): (id: unknown) => string {
  const { t } = useTranslation();
  const ids = Object.entries(d.fields).filter(([k, v]) => k.endsWith('PersonId') && typeof v === 'number');
  const known = new Map<number, string>([[d.drafter.id, d.drafter.name]]);
  if (d.signingLeader) known.set(d.signingLeader.id, d.signingLeader.name);
  for (const p of d.parts) if (p.handler) known.set(p.handler.id, p.handler.name);
  const unknown = ids.some(([, v]) => !known.has(v as number));
  const leaders = useSigningLeaders(d.initiatorUnit.id, unknown && d.type !== 'contact_form');
  const members = useUnitMembers(d.initiatorUnit.id, unknown && d.type === 'operation_ticket');
  const add = (list: readonly Candidate[] | undefined) => {
    for (const c of list ?? []) if (!known.has(c.id)) known.set(c.id, c.name);
  };
  add(leaders.data);
  add(members.data?.items);
  // Still unknown: the person who signed in that role since the fields were last edited.
  const lastEdit = d.timeline.findLastIndex((e) => e.action === 'edit');
  for (const [field, action] of Object.entries(SIGNED_BY[d.type] ?? {})) {
    const id = d.fields[field];
    if (typeof id !== 'number' || known.has(id)) continue;
    const signed = d.timeline.findLastIndex((e) => e.action === action);
    const actor = signed > lastEdit ? d.timeline[signed]?.actor : null;
    if (actor) known.set(id, actor);
  }
  return (id) => (typeof id === 'number' ? (known.get(id) ?? t('caseDetail.personById', { id })) : t('common.none'));
}

/** The types whose fields have a view of their own here; any other is shown from its description. */
const KNOWN_VIEWS = ['contact_form', 'commission_letter', 'notice', 'operation_ticket'];

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
const pre = (v: ReactNode) => <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{v}</span>;

/** The last distance recorded by 录入两头距离, with when. */
function lastMeasured(t: TFunction, d: CaseDetail): string | null {
  const e = d.timeline.findLast((x) => x.action === 'measure' && typeof x.data?.distanceMeters === 'number');
  return e ? t('notice.measuredAt', { value: e.data?.distanceMeters, time: formatTime(e.at) }) : null;
}

/** Fields shown apart from the list: the title (the page's heading) and the text (below it). */
const SHOWN_APART = ['title', 'body'];

/**
 * The fields of a type without a view of its own, from its schema and labels (GET /case-types): each
 * filled-in field with its label, options by their names, people and units by theirs, and the latest
 * value an action recorded where the type names one (`view.latest.<action>.<field>`).
 */
function generatedItems(t: TFunction, view: CaseTypeView, d: CaseDetail, name: (id: unknown) => string): Item[] {
  const spec = formSpec(view.fields);
  const key = spec.variants?.discriminator;
  const variant = key ? d.fields[key] : undefined;
  const words = fieldWords(view);
  const fields: FieldSpec[] = [
    ...(key ? [{ name: key, required: true, shape: { kind: 'enum' as const, options: [] }, meta: {} }] : []),
    ...activeFields(spec, variant),
  ];
  const items: Item[] = [];
  const show = (v: unknown, f: FieldSpec): ReactNode | null => {
    if (v === undefined || v === null || v === '') return null;
    const sh = f.shape;
    if (sh.kind === 'enum' && typeof v === 'string') return words.option(f.name, v);
    if (sh.kind === 'boolean') return v ? t('common.yes') : t('common.no');
    if (sh.kind === 'datetime' && typeof v === 'string') return formatTime(v);
    if (sh.kind === 'pick') {
      if (sh.widget === 'receiverUnit') return d.parts.find((p) => p.unit.id === v)?.unit.name ?? `#${String(v)}`;
      return name(v);
    }
    if (sh.kind === 'number' && typeof v === 'number') return f.meta.unit ? `${v} ${f.meta.unit}` : String(v);
    if (sh.kind === 'list' && Array.isArray(v)) {
      if (sh.fields) return null;
      return (
        v
          .map((x) => show(x, { ...f, shape: sh.item }))
          .filter((x) => x !== null)
          // biome-ignore lint/suspicious/noArrayIndexKey: an ordered list of values; the position is what identifies one.
          .map((x, i) => <div key={i}>{x}</div>)
      );
    }
    if (typeof v === 'string') return pre(v);
    return String(v);
  };
  for (const f of fields) {
    if (SHOWN_APART.includes(f.name)) continue;
    const value = show(d.fields[f.name], f);
    if (value !== null)
      items.push({ key: f.name, label: typeLabel(view, [`view.${f.name}`], words.label(f.name, variant as string | undefined)), children: value });
  }
  for (const [k, l] of Object.entries(view.labels)) {
    const m = /^view\.latest\.([^.]+)\.([^.]+)$/.exec(k);
    if (!m) continue;
    const e = d.timeline.findLast((x) => x.action === m[1] && x.data?.[m[2]!] !== undefined);
    if (e) items.push({ key: k, label: l[currentLang()], children: `${String(e.data?.[m[2]!])}（${formatTime(e.at)}）` });
  }
  return items;
}

/** The type's own fields, labelled; what is not filled in is left out. */
function typeItems(t: TFunction, d: CaseDetail, name: (id: unknown) => string): Item[] {
  const f = d.fields;
  const items: (Item | null)[] = [];
  const add = (key: string, label: string, value: ReactNode | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') items.push({ key, label, children: value });
  };
  switch (d.type) {
    case 'commission_letter': {
      const unitId = f.receiverUnitId;
      add('receiver', t('commission.receiverUnit'), d.parts.find((p) => p.unit.id === unitId)?.unit.name ?? (typeof unitId === 'number' ? `#${unitId}` : null));
      add('reportKind', t('commission.reportKind'), dynT(t, `commission.reportKinds.${String(f.reportKind)}`, String(f.reportKind ?? '')));
      if (f.reportKind === 'agreed') add('dueDate', t('commission.dueDate'), text(f.dueDate));
      add('head', t('commission.departmentHead'), name(f.departmentHeadPersonId));
      add('chief', t('commission.chiefEngineer'), name(f.chiefEngineerPersonId));
      break;
    }
    case 'notice': {
      add('kind', t('notice.kind'), dynT(t, `notice.kinds.${String(f.kind)}`, String(f.kind ?? '')));
      if (typeof f.leaderPersonId === 'number') add('leader', t('notice.leader'), name(f.leaderPersonId));
      if (isWorkKind(f.kind)) {
        add('roadway', t('noticeSite.site'), text(f.roadway));
        add(
          'workDate',
          t(`notice.workDate.${f.kind}`),
          text(f.workDate) ? (
            <span>
              {String(f.workDate)}
              {f.urgent === true ? (
                <Tag color="red" style={{ marginInlineStart: 8 }}>
                  {t('notice.urgentYes')}
                </Tag>
              ) : null}
            </span>
          ) : null,
        );
        if (f.urgent === true) add('urgentReason', t('notice.urgentReason'), text(f.urgentReason) ? pre(String(f.urgentReason)) : null);
      } else if (f.kind === 'danger_zone') {
        add('roadway', t('notice.roadway'), text(f.roadway));
        add('zone', t('notice.zone'), text(f.zone) ? pre(String(f.zone)) : null);
        if (typeof f.safeDistanceMeters === 'number') add('safe', t('notice.safeDistanceLabel'), t('notice.meters', { value: f.safeDistanceMeters }));
      } else if (f.kind === 'breakthrough') {
        add('headingA', t('notice.headingA'), text(f.headingA));
        add('headingB', t('notice.headingB'), text(f.headingB));
        add('strata', t('notice.strata'), dynT(t, `notice.strataKinds.${String(f.strata)}`, String(f.strata ?? '')));
        if (typeof f.distanceMeters === 'number') add('distance', t('notice.distanceLabel'), t('notice.meters', { value: f.distanceMeters }));
        add('measured', t('notice.lastMeasured'), lastMeasured(t, d));
      }
      break;
    }
    case 'operation_ticket': {
      const op = String(f.operation ?? '');
      add(
        'operation',
        t('ticket.operation'),
        op ? (
          <Tag color={op === 'power_off' ? 'volcano' : 'green'} style={{ marginInlineEnd: 0 }}>
            {dynT(t, `ticket.operations.${op}`, op)}
          </Tag>
        ) : null,
      );
      add('equipment', t('ticket.equipment'), text(f.equipment));
      add('plannedAt', t('ticket.plannedAtLabel'), text(f.plannedAt) ? formatTime(String(f.plannedAt)) : null);
      add('usersContacted', t('ticket.usersContactedLabel'), text(f.usersContacted));
      add('reviewer', t('ticket.reviewer'), name(f.reviewerPersonId));
      add('permitter', t('ticket.permitter'), name(f.permitterPersonId));
      const done = d.timeline.findLast((e) => e.action === 'complete' && typeof e.data?.completedAt === 'string');
      add('completedAt', t('ticket.completedAt'), done ? formatTime(String(done.data?.completedAt)) : null);
      break;
    }
  }
  return items.filter((x): x is Item => x !== null);
}

/** A case's contents: who and when, the fields of its type with their labels, and its text (or a ticket's steps). */
export function CaseFields({ detail: d }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const { view } = useCaseType(d.type);
  const generated = !KNOWN_VIEWS.includes(d.type);
  const isMobile = useIsMobile();
  const name = usePersonNames(d);
  const isContact = d.type === 'contact_form';
  const isTicket = d.type === 'operation_ticket';

  const items: Item[] = [
    { key: 'initiator', label: t('caseDetail.initiatorUnit'), children: d.initiatorUnit.name },
    { key: 'drafter', label: isTicket ? t('ticket.operator') : typeLabel(view, 'view.drafter', t('caseDetail.drafter')), children: d.drafter.name },
    ...(isContact
      ? [
          { key: 'leader', label: t('caseDetail.signingLeader'), children: d.signingLeader?.name ?? t('common.none') },
          { key: 'due', label: t('caseDetail.dueDate'), children: typeof d.fields.dueDate === 'string' ? d.fields.dueDate : t('common.none') },
        ]
      : generated
        ? view
          ? generatedItems(t, view, d, name)
          : []
        : typeItems(t, d, name)),
    { key: 'created', label: t('caseDetail.createdAt'), children: formatTime(d.createdAt) },
    ...(d.closedAt ? [{ key: 'closed', label: isContact ? t('caseDetail.closedAt') : t('caseDetail.finishedAt'), children: formatTime(d.closedAt) }] : []),
  ];
  const steps = Array.isArray(d.fields.steps) ? d.fields.steps.filter((s): s is string => typeof s === 'string') : [];
  const body = typeof d.fields.body === 'string' ? d.fields.body : '';
  const bodyTitle = generated
    ? typeLabel(view, ['view.body', 'field.body'], t('caseDetail.body'))
    : d.type === 'commission_letter'
      ? t('commission.body')
      : d.type === 'notice'
        ? t('notice.body')
        : isTicket
          ? t('ticket.steps')
          : t('caseDetail.body');

  return (
    <>
      <Descriptions size="small" column={isMobile ? 1 : 2} items={items} data-testid="case-fields" />
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {bodyTitle}
      </Typography.Title>
      {isTicket ? (
        <ol data-testid="ticket-steps" style={{ margin: 0, paddingInlineStart: 24 }}>
          {steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the steps are an ordered list of texts; the position is what identifies one.
            <li key={i} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', padding: '2px 0' }}>
              {s}
            </li>
          ))}
        </ol>
      ) : (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginBottom: 0 }} data-testid="case-body">
          {body || t('common.none')}
        </Typography.Paragraph>
      )}
    </>
  );
}
