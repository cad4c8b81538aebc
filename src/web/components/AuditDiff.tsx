import { Table, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '../lib/format.js';

type Row = { key: string; before: unknown; after: unknown; kind: 'changed' | 'added' | 'removed' | 'same' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field-by-field comparison of an audit event's before/after (objects; other values as one row). */
export function diffRows(before: unknown, after: unknown): Row[] {
  if (!isObject(before) && !isObject(after)) {
    if (before == null && after == null) return [];
    return [{ key: 'value', before, after, kind: before == null ? 'added' : after == null ? 'removed' : 'changed' }];
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => {
    const inB = key in b;
    const inA = key in a;
    const same = JSON.stringify(b[key]) === JSON.stringify(a[key]);
    const kind: Row['kind'] = !inB ? 'added' : !inA ? 'removed' : same ? 'same' : 'changed';
    return { key, before: b[key], after: a[key], kind };
  });
}

type T = TFunction;

/** A value as people read it: 是/否, 男/女, 在职/离职, objects as "key: value" pairs. */
function show(v: unknown, t?: T, key?: string): string {
  if (v === undefined) return '';
  if (v === null) return '—';
  if (t) {
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (key === 'gender' && (v === 'male' || v === 'female')) return t(`gender.${v}`);
    if (key === 'status' && (v === 'active' || v === 'left')) return t(`personStatus.${v}`);
    if (key === 'kind' && (v === 'holiday' || v === 'workday')) return v === 'holiday' ? t('calendar.overrideHoliday') : t('calendar.overrideWorkday');
    if (typeof v === 'object' && !Array.isArray(v))
      return Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${fieldLabel(t, k)}: ${show(x, t, k)}`)
        .join('，');
  }
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v.map((x) => show(x, t)).join('、') : JSON.stringify(v);
}

/**
 * `compact`: only the changed fields, one line each (timelines). Otherwise a table with every field,
 * changed ones highlighted (the audit log's expanded row).
 */
export function AuditDiff({ before, after, compact }: { before: unknown; after: unknown; compact?: boolean }) {
  const { t } = useTranslation();
  const rows = diffRows(before, after);
  if (compact) {
    const interesting = rows.filter((r) => r.kind !== 'same' && !['id', 'path', 'depth'].includes(r.key));
    // A creation lists the new values; an update only what changed.
    const shown = interesting.slice(0, 8);
    if (shown.length === 0) return null;
    return (
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, fontSize: 13 }}>
        {shown.map((r) => (
          <li key={r.key}>
            <Typography.Text type="secondary">
              {fieldLabel(t, r.key)}
              {t('common.colon')}
            </Typography.Text>
            {r.kind === 'changed' ? (
              <>
                <Typography.Text delete type="secondary">
                  {show(r.before, t, r.key)}
                </Typography.Text>{' '}
                → {show(r.after, t, r.key)}
              </>
            ) : r.kind === 'removed' ? (
              <Typography.Text delete>{show(r.before, t, r.key)}</Typography.Text>
            ) : (
              show(r.after, t, r.key)
            )}
          </li>
        ))}
        {interesting.length > shown.length ? <li>…</li> : null}
      </ul>
    );
  }
  if (rows.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  const cellStyle = (r: Row, side: 'before' | 'after') =>
    r.kind === 'same'
      ? undefined
      : { background: side === 'before' ? (r.kind === 'added' ? undefined : '#fff1f0') : r.kind === 'removed' ? undefined : '#f6ffed' };
  return (
    <Table<Row>
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      // Fixed layout: inside an expanded row of a scrolling table, max-content widths feed back into the outer table.
      tableLayout="fixed"
      columns={[
        {
          title: t('audit.field'),
          dataIndex: 'key',
          width: '28%',
          render: (k: string, r) => (
            <span>
              {fieldLabel(t, k)}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {k}
              </Typography.Text>
              {r.kind !== 'same' ? (
                <Typography.Text type={r.kind === 'removed' ? 'danger' : 'success'} style={{ fontSize: 12, marginInlineStart: 6 }}>
                  {t(`audit.${r.kind}`)}
                </Typography.Text>
              ) : null}
            </span>
          ),
        },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          width: '36%',
          onCell: (r) => ({ style: cellStyle(r, 'before') }),
          render: (v: unknown, r) => <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{show(v, t, r.key)}</code>,
        },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          width: '36%',
          onCell: (r) => ({ style: cellStyle(r, 'after') }),
          render: (v: unknown, r) => <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{show(v, t, r.key)}</code>,
        },
      ]}
    />
  );
}
