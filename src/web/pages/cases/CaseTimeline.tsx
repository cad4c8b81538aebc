import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Empty, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { clockLabel } from '../../lib/cases.js';
import { dynT, formatTime } from '../../lib/format.js';
import type { CaseDeadline, CasePart, CaseTimelineEntry } from '../../types.js';
import { partNameOf } from './CaseBits.js';

const COLOR: Record<string, string> = {
  create: 'gray',
  submit: 'blue',
  issue: 'blue',
  sign: 'green',
  object: 'orange',
  send_back: 'orange',
  withdraw: 'gray',
  reject_objection: 'orange',
  uphold_objection: 'orange',
  request_extension: 'orange',
  grant_extension: 'green',
  refuse_extension: 'red',
  reply: 'cyan',
  accept: 'green',
  return: 'red',
  request_supervision: 'orange',
  escalate: 'red',
  supervision_note: 'orange',
  supervision_result: 'green',
  comment: 'gray',
  attach: 'gray',
  clock_expired: 'red',
  moved: 'orange',
  head_sign: 'blue',
  chief_sign: 'blue',
  receive: 'green',
  deliver: 'cyan',
  measure: 'cyan',
  acknowledge: 'green',
  stop_heading: 'orange',
  review: 'blue',
  permit: 'green',
  start: 'blue',
  complete: 'cyan',
  close: 'green',
  void: 'gray',
};

/** The `data` of an event as "理由：…" lines (known keys first, in a fixed order). */
const DATA_KEYS = ['handlerName', 'about', 'distanceMeters', 'heading', 'completedAt', 'dueDate', 'clock', 'dueAt', 'reason', 'note', 'result', 'text', 'name'];

function dataLines(t: TFunction, data: Record<string, unknown> | null, fields: Record<string, unknown>): { key: string; label: string; value: string }[] {
  if (!data) return [];
  const keys = [...DATA_KEYS.filter((k) => k in data), ...Object.keys(data).filter((k) => !DATA_KEYS.includes(k))];
  const out: { key: string; label: string; value: string }[] = [];
  for (const k of keys) {
    const v = data[k];
    // An id is for links, not for reading (a linked or merged case is named by its number).
    if (v === null || v === undefined || v === '' || typeof v === 'object' || k === 'caseId') continue;
    if (!DATA_KEYS.includes(k) && typeof v !== 'string') continue;
    let value = String(v);
    if (k === 'about') value = v === 'deadline' ? t('caseAction.aboutDeadline') : v === 'requirement' ? t('caseAction.aboutRequirement') : value;
    if (k === 'clock') value = clockLabel(t, value);
    if (k === 'dueAt' || k === 'completedAt') value = formatTime(value);
    if (k === 'distanceMeters') value = t('notice.meters', { value });
    // 停止一头掘进: "A：3105运输巷掘进头".
    if (k === 'heading' && typeof fields[`heading${value}`] === 'string')
      value = t('caseAction.headingOption', { side: value, name: String(fields[`heading${value}`]) });
    out.push({ key: k, label: dynT(t, `caseDetail.data.${k}`, k), value });
  }
  return out;
}

interface Item {
  key: string;
  at: string;
  color: string;
  icon?: ReactNode;
  content: ReactNode;
}

interface Stopped {
  clock: string;
  partId: number | null;
}
const stoppedBy = (e: CaseTimelineEntry): Stopped[] => (Array.isArray(e.data?.stopped) ? (e.data.stopped as Stopped[]) : []);

/** When a met deadline shows up: at the event that stopped it (its `data.stopped`), else at its due time. */
function metAt(d: CaseDeadline, events: CaseTimelineEntry[]): string {
  const from = Date.parse(d.startedAt);
  const stop = events.find((e) => Date.parse(e.at) >= from && stoppedBy(e).some((x) => x.clock === d.clock && x.partId === d.partId));
  return stop?.at ?? d.dueAt;
}

/** The server records a clock running out as its own event: the deadline need not be shown twice. */
const recordedExpiry = (d: CaseDeadline, events: CaseTimelineEntry[]) =>
  events.some(
    (e) => e.action === 'clock_expired' && e.partId === d.partId && e.data?.clock === d.clock && Date.parse(String(e.data?.dueAt)) === Date.parse(d.dueAt),
  );

/** The case's history: every event, plus the deadlines that were met or missed. */
export function CaseTimeline({
  events,
  deadlines,
  parts,
  fields = {},
}: {
  events: CaseTimelineEntry[];
  deadlines: CaseDeadline[];
  parts: CasePart[];
  /** The case's fields, to name what an event's data refers to (a breakthrough's headings). */
  fields?: Record<string, unknown>;
}) {
  const { t } = useTranslation();
  const unitOf = (partId: number | null) => partNameOf(parts, partId);
  const items: Item[] = events.map((e) => ({
    key: `e${e.id}`,
    at: e.at,
    color: COLOR[e.action] ?? 'blue',
    content: (
      <div data-testid="timeline-event">
        <div>
          <Tag color={COLOR[e.action] === 'gray' ? undefined : (COLOR[e.action] ?? 'blue')} style={{ marginInlineEnd: 6 }}>
            {e.label}
          </Tag>
          <Typography.Text>
            {e.actorKind === 'system' || !e.actor
              ? t('common.system')
              : e.onBehalfOf
                ? t('delegation.actorFor', { actor: e.actor, principal: e.onBehalfOf.name })
                : e.actor}
          </Typography.Text>
          {e.unitName ? (
            <Typography.Text type="secondary" style={{ marginInlineStart: 6 }}>
              {e.unitName}
            </Typography.Text>
          ) : null}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8, whiteSpace: 'nowrap' }}>
            {formatTime(e.at)}
          </Typography.Text>
        </div>
        {dataLines(t, e.data, fields).map((l) => (
          <div key={l.key} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginTop: 2 }}>
            <Typography.Text type="secondary">
              {l.label}
              {t('common.colon')}
            </Typography.Text>
            {l.value}
          </div>
        ))}
      </div>
    ),
  }));
  for (const d of deadlines) {
    if (d.state === 'running' || recordedExpiry(d, events)) continue;
    const missed = d.state === 'missed' || d.state === 'fired';
    const unit = unitOf(d.partId);
    const name = d.clockLabel || clockLabel(t, d.clock);
    const clock = unit ? t('caseDetail.clockOfUnit', { clock: name, unit }) : name;
    items.push({
      key: `d${d.clock}-${d.partId ?? 0}-${d.startedAt}`,
      at: missed ? d.dueAt : metAt(d, events),
      color: missed ? 'red' : 'green',
      icon: missed ? <ExclamationCircleOutlined /> : <CheckCircleOutlined />,
      content: (
        <div data-testid={missed ? 'timeline-missed' : 'timeline-met'}>
          <Typography.Text type={missed ? 'danger' : 'success'} strong={missed}>
            {missed ? t('caseDetail.deadlineMissed', { clock }) : t('caseDetail.deadlineMet', { clock })}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
            {t('caseDetail.deadlineDue', { time: formatTime(d.dueAt) })}
          </Typography.Text>
        </div>
      ),
    });
  }
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseDetail.noTimeline')} />;
  // Oldest first (a stable sort: a deadline stays after the events of the same instant).
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return <Timeline items={items.map((i) => ({ key: i.key, color: i.color, icon: i.icon, content: i.content }))} />;
}
