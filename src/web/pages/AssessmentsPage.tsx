import { CloseOutlined, DownloadOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Descriptions, Empty, Flex, Input, Modal, Popconfirm, Row, Select, Spin, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, download, withQuery } from '../api.js';
import { Countdown } from '../components/Countdown.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { PhonePager } from '../components/PhonePager.js';
import { UnitTreeSelect } from '../components/UnitTreeSelect.js';
import { dynT, formatTime } from '../lib/format.js';
import { qk, useCan } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { AssessmentListView, AssessmentRow, LedgerTotals, PeriodListView, PeriodRow } from '../types.js';
import { AssessmentActionModal } from './assessments/AssessmentActionModal.js';
import { ManualEntryModal } from './assessments/ManualEntryModal.js';

export const ASSESSMENT_STATES = ['proposed', 'confirmed', 'appealed', 'final', 'withdrawn', 'dropped'] as const;
export const ASSESSMENT_RULES = [
  'contact_form.no_sign_in_time',
  'contact_form.finished_late',
  'contact_form.substandard_late',
  'manual',
  'liaison_officer.dismissal.allowance',
  'liaison_officer.dismissal.unit',
  'liaison_officer.dismissal.unit_head',
] as const;
const STATE_COLOR: Record<string, string> = {
  proposed: 'gold',
  confirmed: 'blue',
  appealed: 'orange',
  final: 'green',
  withdrawn: 'default',
  dropped: 'default',
};

/**
 * `period` in the address: absent = every period (the ledger opens on what needs attention: the
 * server lists events still open first, whatever their period); `all` is kept for older links.
 * `entry`: the event a notification opened, shown highlighted above the list.
 */
const ALL = 'all';

/** A month (2026-03), a quarter (2026-Q1) or a year (2026): the server's roll-ups. */
const PERIOD_RE = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
type PeriodKind = 'month' | 'quarter' | 'year';
const kindOf = (p: string | undefined): PeriodKind => (!p || /^\d{4}-\d{2}$/.test(p) ? 'month' : p.includes('Q') ? 'quarter' : 'year');
const periodToDay = (p: string) => {
  const q = /^(\d{4})-Q(\d)$/.exec(p);
  if (q) return dayjs(`${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`);
  return dayjs(p.length === 4 ? `${p}-01-01` : `${p}-01`);
};
const dayToPeriod = (d: dayjs.Dayjs, kind: PeriodKind) =>
  kind === 'year' ? d.format('YYYY') : kind === 'quarter' ? `${d.year()}-Q${Math.floor(d.month() / 3) + 1}` : d.format('YYYY-MM');
/** Signed for display: a credit +, a debit −. */
const signedAmount = (r: AssessmentRow, v: number) => (v === 0 ? '0' : `${r.direction === 'credit' ? '+' : '−'}${v}`);
const signedTotal = (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0');

export default function AssessmentsPage() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const periodParam = params.get('period');
  const period = PERIOD_RE.test(periodParam ?? '') ? periodParam! : undefined;
  const can = useCan();
  const manages = can('assessment.manage');
  const [periodKind, setPeriodKind] = useState<PeriodKind>(kindOf(period));
  const [manualOpen, setManualOpen] = useState(false);
  const [reopenOpen, setReopenOpen] = useState(false);
  const [reopenReason, setReopenReason] = useState('');
  const entryId = Number(params.get('entry')) || undefined;
  const state = params.get('state') ?? undefined;
  const unitId = Number(params.get('unitId')) || undefined;
  const rule = params.get('rule') ?? undefined;
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const [dialog, setDialog] = useState<{ row: AssessmentRow; action: 'drop' | 'appeal' | 'rule' } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const update = (changes: Record<string, string | number | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage && !('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const filters = { period, state, unitId, rule };
  const query = { ...filters, page, pageSize };
  const list = useQuery({
    queryKey: qk.assessments(query),
    queryFn: () => api.get<AssessmentListView>('/assessments', query),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  // A period chosen: its per-subject totals, and (for a month) whether it is closed.
  const totals = useQuery({
    queryKey: ['assessments', 'totals', period, unitId],
    enabled: period !== undefined,
    queryFn: () => api.get<LedgerTotals>('/assessments/totals', { period, unitId }),
  });
  const month = period && kindOf(period) === 'month' ? period : undefined;
  const periods = useQuery({
    queryKey: ['assessments', 'periods', month?.slice(0, 4)],
    enabled: month !== undefined && can('assessment.read'),
    queryFn: () => api.get<PeriodListView>('/assessments/periods', { year: month?.slice(0, 4) }),
  });
  const monthRow: PeriodRow | undefined = periods.data?.items.find((p) => p.period === month);
  const closeOrReopen = useMutation({
    mutationFn: (v: { action: 'close' | 'reopen'; reason?: string }) =>
      api.post<PeriodRow>(
        `/assessments/periods/${month}/${v.action}`,
        v.action === 'reopen' ? { reason: v.reason, version: monthRow?.version } : { version: monthRow?.version },
      ),
    onSuccess: (_r, v) => {
      setReopenOpen(false);
      setReopenReason('');
      void message.success(t(v.action === 'close' ? 'ledger.closed' : 'ledger.reopened', { period: month }));
      void qc.invalidateQueries({ queryKey: ['assessments'] });
    },
    onError: (e) => {
      setReopenOpen(false);
      setError(e);
    },
  });

  // The event a notification opened: fetched on its own (it may be on any page), and opening it
  // read my notifications about it.
  const entry = useQuery({
    queryKey: ['assessments', 'entry', entryId],
    enabled: entryId !== undefined,
    queryFn: async () => {
      const answer = await api.get<AssessmentRow>(`/assessments/${entryId}`);
      void qc.invalidateQueries({ queryKey: qk.notifications });
      return answer;
    },
  });
  const entryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (entry.data) entryRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [entry.data]);

  const actionLabel = (a: string) => dynT(t, `assessments.actions.${a}`, a);
  const ruleLabel = (code: string) => dynT(t, `assessments.rules.${code.replace(/\./g, '_')}`, code);

  const done = (label: string) => {
    setDialog(null);
    void message.success(t('assessments.done', { label }));
    void qc.invalidateQueries({ queryKey: ['assessments'] });
    void qc.invalidateQueries({ queryKey: qk.notifications });
  };
  const simple = useMutation({
    mutationFn: (v: { row: AssessmentRow; action: 'confirm' | 'approve' }) =>
      api.post<unknown>(`/assessments/${v.row.id}/actions`, { action: v.action, version: v.row.version }),
    onSuccess: (_r, v) => done(actionLabel(v.action)),
    onError: (e) => {
      setError(e);
      void list.refetch();
    },
  });

  const exportXlsx = async () => {
    setExporting(true);
    setError(null);
    try {
      const name = await download(withQuery('/assessments/export.xlsx', filters), `assessments-${period ?? ALL}.xlsx`);
      void message.success(t('assessments.exported', { name }));
    } catch (e) {
      setError(e);
    } finally {
      setExporting(false);
    }
  };

  const actionButtons = (r: AssessmentRow) =>
    r.actions.length === 0 ? null : (
      <Flex gap={6} wrap>
        {r.actions.map((a) =>
          a === 'confirm' || a === 'approve' ? (
            <Popconfirm
              key={a}
              title={actionLabel(a)}
              description={<div style={{ maxWidth: 280 }}>{a === 'confirm' ? t('assessments.confirmConfirm') : t('assessments.approveConfirm')}</div>}
              onConfirm={() => simple.mutateAsync({ row: r, action: a }).catch(() => undefined)}
              okText={actionLabel(a)}
            >
              <Button size="small" type="primary" data-action={a}>
                {actionLabel(a)}
              </Button>
            </Popconfirm>
          ) : a === 'drop' || a === 'appeal' || a === 'rule' ? (
            <Button key={a} size="small" danger={a === 'drop'} onClick={() => setDialog({ row: r, action: a })} data-action={a}>
              {actionLabel(a)}
            </Button>
          ) : null,
        )}
      </Flex>
    );

  const subject = (r: AssessmentRow) => r.subjectUnit?.name ?? r.subjectPerson?.name ?? t('common.none');
  const evidence = (r: AssessmentRow) => (r.sourceType === 'case' ? <Link to={`/cases/${r.sourceId}`}>{r.evidence}</Link> : r.evidence);
  const appealDue = (r: AssessmentRow) =>
    r.appealDueAt ? r.state === 'confirmed' ? <Countdown dueAt={r.appealDueAt} showDue /> : formatTime(r.appealDueAt) : t('common.none');
  const stateTag = (r: AssessmentRow) => (
    <Tag color={STATE_COLOR[r.state] ?? 'blue'} style={{ marginInlineEnd: 0 }}>
      {r.stateLabel}
    </Tag>
  );

  const table = (
    <Table<AssessmentRow>
      rowKey="id"
      data-testid="assessments-table"
      dataSource={items}
      rowClassName={(r) => (r.id === entryId ? 'row-highlight' : '')}
      loading={list.isFetching}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assessments.empty')} /> }}
      pagination={{ current: page, pageSize, total, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }) }}
      onChange={(pg) =>
        update({ page: pg.current && pg.current > 1 ? pg.current : undefined, pageSize: pg.pageSize && pg.pageSize !== 20 ? pg.pageSize : undefined }, false)
      }
      expandable={{
        rowExpandable: (r) => !!(r.appealReason || r.rulingReason),
        expandedRowRender: (r) => (
          <div style={{ whiteSpace: 'pre-wrap', maxWidth: 720 }}>
            {r.appealReason ? (
              <div>
                <Typography.Text type="secondary">
                  {t('assessments.appealReason')}
                  {t('common.colon')}
                </Typography.Text>
                {r.appealReason}
              </div>
            ) : null}
            {r.rulingReason ? (
              <div>
                <Typography.Text type="secondary">
                  {t('assessments.ruling')}
                  {t('common.colon')}
                </Typography.Text>
                {r.ruling ? `${dynT(t, `assessments.rulings.${r.ruling}`, r.ruling)} · ` : ''}
                {r.rulingReason}
              </div>
            ) : null}
          </div>
        ),
      }}
      columns={[
        { title: t('assessments.period'), dataIndex: 'period' },
        { title: t('assessments.rule'), dataIndex: 'ruleName' },
        { title: t('assessments.subject'), key: 'subject', render: (_: unknown, r) => subject(r) },
        { title: t('assessments.points'), dataIndex: 'points', align: 'right', render: (v: number, r) => signedAmount(r, v) },
        { title: t('assessments.money'), dataIndex: 'money', align: 'right', render: (v: number, r) => signedAmount(r, v) },
        { title: t('assessments.state'), dataIndex: 'stateLabel', render: (_: string, r) => stateTag(r) },
        { title: t('assessments.evidence'), dataIndex: 'evidence', render: (_: string, r) => evidence(r) },
        { title: t('assessments.appealDue'), dataIndex: 'appealDueAt', render: (_: string | null, r) => appealDue(r) },
        { title: t('common.actions'), key: 'actions', render: (_: unknown, r) => actionButtons(r) },
      ]}
    />
  );

  const cards = (
    <Spin spinning={list.isFetching && !list.isPending}>
      {items.length === 0 ? (
        <Card>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assessments.empty')} />
        </Card>
      ) : (
        <div className="card-list" data-testid="assessments-cards">
          {items.map((r) => (
            <Card key={r.id} size="small" className={r.id === entryId ? 'card-highlight' : undefined}>
              <Flex justify="space-between" align="center" gap={8}>
                <Typography.Text strong>{subject(r)}</Typography.Text>
                {stateTag(r)}
              </Flex>
              <div style={{ margin: '4px 0' }}>{r.ruleName}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.period} · {t('assessments.points')} {signedAmount(r, r.points)} · {t('assessments.money')} {signedAmount(r, r.money)}
              </Typography.Text>
              <div style={{ fontSize: 13 }}>
                {t('assessments.evidence')}
                {t('common.colon')}
                {evidence(r)}
              </div>
              {r.appealDueAt ? (
                <div style={{ fontSize: 13 }}>
                  {t('assessments.appealDue')}
                  {t('common.colon')}
                  {appealDue(r)}
                </div>
              ) : null}
              {r.actions.length ? <div style={{ marginTop: 8 }}>{actionButtons(r)}</div> : null}
            </Card>
          ))}
        </div>
      )}
      <PhonePager page={page} pageSize={pageSize} total={total} onPage={(p) => update({ page: p }, false)} />
    </Spin>
  );

  return (
    <>
      <PageHeader
        title={t('assessments.title')}
        subtitle={t('assessments.intro')}
        extra={
          <>
            {manages ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setManualOpen(true)} aria-label={t('ledger.manual.open')}>
                {isMobile ? null : t('ledger.manual.open')}
              </Button>
            ) : null}
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} aria-label={t('assessments.export')}>
              {isMobile ? null : t('assessments.export')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      {error ? <ErrorAlert error={error} onClose={() => setError(null)} /> : null}
      {entryId !== undefined ? (
        <div ref={entryRef}>
          {entry.error ? (
            <ErrorAlert error={entry.error} onClose={() => update({ entry: undefined }, false)} />
          ) : entry.data ? (
            <Card
              size="small"
              className="card-highlight"
              style={{ marginBottom: 12 }}
              data-testid="assessment-entry"
              title={
                <Flex gap={8} align="center" wrap>
                  {t('attention.openedEntry')}
                  {stateTag(entry.data)}
                </Flex>
              }
              extra={
                <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('common.close')} onClick={() => update({ entry: undefined }, false)} />
              }
            >
              <Descriptions
                size="small"
                column={isMobile ? 1 : 3}
                items={[
                  { key: 'subject', label: t('assessments.subject'), children: subject(entry.data) },
                  { key: 'rule', label: t('assessments.rule'), children: entry.data.ruleName },
                  { key: 'period', label: t('assessments.period'), children: entry.data.period },
                  { key: 'points', label: t('assessments.points'), children: entry.data.points },
                  { key: 'money', label: t('assessments.money'), children: entry.data.money },
                  { key: 'evidence', label: t('assessments.evidence'), children: evidence(entry.data) },
                  ...(entry.data.appealDueAt ? [{ key: 'appealDue', label: t('assessments.appealDue'), children: appealDue(entry.data) }] : []),
                  ...(entry.data.appealReason ? [{ key: 'appealReason', label: t('assessments.appealReason'), children: entry.data.appealReason }] : []),
                  ...(entry.data.rulingReason ? [{ key: 'ruling', label: t('assessments.ruling'), children: entry.data.rulingReason }] : []),
                ]}
              />
              {entry.data.actions.length ? <div style={{ marginTop: 8 }}>{actionButtons(entry.data)}</div> : null}
            </Card>
          ) : (
            <Card size="small" style={{ marginBottom: 12 }} loading />
          )}
        </div>
      ) : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={[12, 12]}>
          <Col xs={24} md={6}>
            <Flex gap={6}>
              <Select<PeriodKind>
                value={periodKind}
                onChange={(k) => {
                  setPeriodKind(k);
                  if (period) update({ period: dayToPeriod(periodToDay(period), k) });
                }}
                options={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`ledger.periodKinds.${k}`) }))}
                style={{ width: 84, flex: 'none' }}
                aria-label={t('ledger.periodKind')}
              />
              <DatePicker
                picker={periodKind}
                value={period ? periodToDay(period) : null}
                onChange={(d) => update({ period: d ? dayToPeriod(d, periodKind) : undefined })}
                placeholder={t('assessments.allPeriods')}
                style={{ width: '100%' }}
                aria-label={t('assessments.period')}
              />
            </Flex>
          </Col>
          <Col xs={24} md={6}>
            <Select
              allowClear
              placeholder={t('assessments.stateFilter')}
              value={state}
              onChange={(v?: string) => update({ state: v })}
              options={ASSESSMENT_STATES.map((s) => ({ value: s, label: dynT(t, `assessments.states.${s}`, s) }))}
              style={{ width: '100%' }}
              aria-label={t('assessments.stateFilter')}
            />
          </Col>
          <Col xs={24} md={6}>
            <UnitTreeSelect
              value={unitId}
              onChange={(v) => update({ unitId: v ?? undefined })}
              allowClear
              placeholder={t('assessments.unitFilter')}
              aria-label={t('assessments.unitFilter')}
            />
          </Col>
          <Col xs={24} md={6}>
            <Select
              allowClear
              placeholder={t('assessments.ruleFilter')}
              value={rule}
              onChange={(v?: string) => update({ rule: v })}
              options={ASSESSMENT_RULES.map((r) => ({ value: r, label: ruleLabel(r) }))}
              style={{ width: '100%' }}
              aria-label={t('assessments.ruleFilter')}
            />
          </Col>
        </Row>
      </Card>
      {period && totals.data ? (
        <Card
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="ledger-totals"
          title={
            <Flex gap={8} align="center" wrap>
              {t('ledger.totals.title', { period })}
              {monthRow ? (
                <Tag color={monthRow.state === 'closed' ? 'default' : 'green'} data-testid="period-state">
                  {t(`ledger.periodState.${monthRow.state}`)}
                </Tag>
              ) : null}
            </Flex>
          }
          extra={
            manages && monthRow ? (
              monthRow.state === 'open' ? (
                <Popconfirm
                  title={t('ledger.close')}
                  description={<div style={{ maxWidth: 280 }}>{t('ledger.closeConfirm', { period: month })}</div>}
                  onConfirm={() => closeOrReopen.mutateAsync({ action: 'close' }).catch(() => undefined)}
                  okText={t('ledger.close')}
                  disabled={!monthRow.canClose}
                >
                  <Button size="small" disabled={!monthRow.canClose} title={monthRow.canClose ? undefined : t('ledger.notEnded')} data-testid="period-close">
                    {t('ledger.close')}
                  </Button>
                </Popconfirm>
              ) : (
                <Button size="small" onClick={() => setReopenOpen(true)} data-testid="period-reopen">
                  {t('ledger.reopen')}
                </Button>
              )
            ) : null
          }
        >
          {totals.data.items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.totals.empty')} />
          ) : (
            <Table
              size="small"
              rowKey={(r) => `${r.subjectKind}:${r.subjectId}`}
              dataSource={totals.data.items}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                {
                  title: t('ledger.totals.subject'),
                  key: 'subject',
                  render: (_: unknown, r) => `${r.subjectName}（${t(`ledger.kinds.${r.subjectKind}`)}）`,
                },
                { title: t('ledger.totals.points'), dataIndex: 'points', align: 'right', render: (v: number) => signedTotal(v) },
                { title: t('ledger.totals.money'), dataIndex: 'money', align: 'right', render: (v: number) => signedTotal(v) },
                {
                  title: t('ledger.totals.pending'),
                  key: 'pending',
                  align: 'right',
                  render: (_: unknown, r) => `${signedTotal(r.pendingPoints)} / ¥${signedTotal(r.pendingMoney)}`,
                },
                { title: t('ledger.totals.entries'), dataIndex: 'entries', align: 'right' },
              ]}
            />
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
            {t('ledger.totals.note')}
          </Typography.Paragraph>
        </Card>
      ) : null}
      <LoadState loading={list.isPending} error={list.error} onRetry={() => void list.refetch()}>
        {isMobile ? cards : table}
      </LoadState>
      <ManualEntryModal
        open={manualOpen}
        onClose={() => setManualOpen(false)}
        onDone={(r) => {
          setManualOpen(false);
          void message.success(t('ledger.manual.done', { count: r.entries.length }));
          void qc.invalidateQueries({ queryKey: ['assessments'] });
        }}
      />
      <Modal
        open={reopenOpen}
        title={t('ledger.reopenTitle', { period: month })}
        onCancel={() => setReopenOpen(false)}
        onOk={() => closeOrReopen.mutate({ action: 'reopen', reason: reopenReason.trim() })}
        okButtonProps={{ disabled: reopenReason.trim().length < 2 }}
        okText={t('ledger.reopen')}
        confirmLoading={closeOrReopen.isPending}
      >
        <Input.TextArea
          value={reopenReason}
          onChange={(e) => setReopenReason(e.target.value)}
          aria-label={t('ledger.reopenReason')}
          placeholder={t('ledger.reopenReason')}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
        />
      </Modal>
      <AssessmentActionModal row={dialog?.row ?? null} action={dialog?.action ?? null} onClose={() => setDialog(null)} onDone={done} />
    </>
  );
}
