import { DownloadOutlined, FilterOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Flex, Input, Row, Select, Spin, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, download, withQuery } from '../api.js';
import { Countdown } from '../components/Countdown.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { PhonePager } from '../components/PhonePager.js';
import { UnitTreeSelect } from '../components/UnitTreeSelect.js';
import { CASE_TABS, CASE_TYPES, type CaseFilters, caseTypeLabel, filterQuery, stateOptions } from '../lib/cases.js';
import { useCaseTypes } from '../lib/caseTypes.js';
import { formatTime } from '../lib/format.js';
import { qk } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { CaseListView, CaseSummaryView, CaseTab } from '../types.js';
import { PartsSummary, StateTag } from './cases/CaseBits.js';
import { TaskBadge } from './cases/TaskBadge.js';

/** The 待办 tab shows the soonest deadline first; rows without one go last. */
export function sortByDeadline(items: CaseSummaryView[]): CaseSummaryView[] {
  const key = (c: CaseSummaryView) => (c.taskDueAt ? Date.parse(c.taskDueAt) : Number.POSITIVE_INFINITY);
  return [...items].sort((a, b) => key(a) - key(b));
}

const isTab = (v: string | null): v is CaseTab => !!v && (CASE_TABS as readonly string[]).includes(v);

export default function CasesPage() {
  const { t } = useTranslation();
  const caseTypes = useCaseTypes();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: CaseTab = isTab(tabParam) ? tabParam : 'todo';
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const filters: CaseFilters = {
    tab,
    type: params.get('type') ?? undefined,
    state: params.get('state') ?? undefined,
    unitId: Number(params.get('unitId')) || undefined,
    overdue: params.get('overdue') === 'true' ? 'true' : undefined,
    q: params.get('q') ?? undefined,
  };
  const [search, setSearch] = useState(filters.q ?? '');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [filtersOpen, setFiltersOpen] = useState(false);

  const update = (changes: Record<string, string | number | undefined | null>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage && !('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const query = { ...filterQuery(filters), page, pageSize };
  const list = useQuery({
    queryKey: qk.caseList(query),
    queryFn: () => api.get<CaseListView>('/cases', query),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const items = useMemo(() => {
    const rows = list.data?.items ?? [];
    return tab === 'todo' ? sortByDeadline(rows) : rows;
  }, [list.data, tab]);
  const total = list.data?.total ?? 0;
  const emptyText = t(`cases.empty.${tab}`);

  const exportXlsx = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const name = await download(withQuery('/cases/export.xlsx', filterQuery(filters)), 'cases.xlsx');
      void message.success(t('cases.exported', { name }));
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };

  /**
   * The deadline column: on 待办 the due time of my task (its countdown is in the task badge), or a
   * live countdown when the server names no task; the form's due date elsewhere.
   */
  const deadline = (c: CaseSummaryView) =>
    tab === 'todo' && c.task?.dueAt ? (
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        {formatTime(c.task.dueAt)}
      </Typography.Text>
    ) : tab === 'todo' && c.taskDueAt ? (
      <Countdown dueAt={c.taskDueAt} soonAt={c.task?.soonAt} />
    ) : c.dueDate ? (
      <Typography.Text type={c.overdue ? 'danger' : undefined} style={{ whiteSpace: 'nowrap' }}>
        {c.dueDate}
        {c.overdue ? (
          <Tag color="red" style={{ marginInlineStart: 6 }}>
            {t('cases.overdue')}
          </Tag>
        ) : null}
      </Typography.Text>
    ) : (
      <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
    );

  /** The main badge: my task and its countdown ("待我签收 · 剩 1天") when I have one, else the case's state. */
  const badge = (c: CaseSummaryView) =>
    c.task ? (
      <Flex vertical gap={2} align={isMobile ? 'flex-end' : 'flex-start'}>
        <TaskBadge task={c.task} />
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
          {c.stateLabel}
        </Typography.Text>
      </Flex>
    ) : (
      <StateTag state={c.state} label={c.stateLabel} />
    );

  const activeFilters = [filters.type, filters.state, filters.unitId, filters.overdue, filters.q].filter((v) => v !== undefined && v !== '').length;

  const filterCard = (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="case-filters">
      <Row gutter={[12, 12]} align="middle">
        <Col xs={24} md={8} xl={7}>
          <Input.Search
            allowClear
            placeholder={t('cases.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => update({ q: v.trim() })}
            aria-label={t('common.search')}
          />
        </Col>
        <Col xs={12} md={4} xl={4}>
          <Select
            allowClear
            placeholder={t('cases.typeFilter')}
            value={filters.type}
            onChange={(v?: string) => update({ type: v, state: undefined })}
            options={(caseTypes.data?.map((v) => v.code) ?? CASE_TYPES).map((c) => ({ value: c, label: caseTypeLabel(t, c, caseTypes.data) }))}
            style={{ width: '100%' }}
            aria-label={t('cases.typeFilter')}
          />
        </Col>
        <Col xs={12} md={4} xl={4}>
          <Select
            allowClear
            placeholder={t('cases.stateFilter')}
            value={filters.state}
            onChange={(v?: string) => update({ state: v })}
            options={stateOptions(caseTypes.data, filters.type)}
            style={{ width: '100%' }}
            aria-label={t('cases.stateFilter')}
          />
        </Col>
        <Col xs={24} md={8} xl={6}>
          <UnitTreeSelect
            value={filters.unitId}
            onChange={(v) => update({ unitId: v ?? undefined })}
            allowClear
            placeholder={t('cases.unitFilter')}
            aria-label={t('cases.unitFilter')}
          />
        </Col>
        <Col xs={24} md={24} xl={3}>
          <Flex gap={8} align="center" component="label" style={{ whiteSpace: 'nowrap' }}>
            <Switch
              size="small"
              checked={filters.overdue === 'true'}
              onChange={(on) => update({ overdue: on ? 'true' : undefined })}
              aria-label={t('cases.overdueOnly')}
              data-testid="overdue-switch"
            />
            {t('cases.overdueOnly')}
          </Flex>
        </Col>
      </Row>
    </Card>
  );

  // On a phone the filters fold away behind one button that says how many are on.
  const filterBar = isMobile ? (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 8 }}>
        <Button
          size="small"
          icon={<FilterOutlined />}
          type={activeFilters ? 'primary' : 'default'}
          ghost={!!activeFilters}
          onClick={() => setFiltersOpen((o) => !o)}
          aria-expanded={filtersOpen}
          data-testid="filters-toggle"
        >
          {activeFilters ? t('casesPhone.filtersOn', { count: activeFilters }) : t('casesPhone.filters')}
        </Button>
      </Flex>
      {filtersOpen ? filterCard : null}
    </>
  ) : (
    filterCard
  );

  const table = (
    <Table<CaseSummaryView>
      rowKey="id"
      data-testid="cases-table"
      dataSource={items}
      loading={list.isFetching}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      onRow={(c) => ({ onDoubleClick: () => navigate(`/cases/${c.id}`) })}
      rowClassName={(c) => (c.overdue ? 'row-overdue' : '')}
      pagination={{ current: page, pageSize, total, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }) }}
      onChange={(pg) =>
        update({ page: pg.current && pg.current > 1 ? pg.current : undefined, pageSize: pg.pageSize && pg.pageSize !== 20 ? pg.pageSize : undefined }, false)
      }
      columns={[
        {
          title: t('cases.number'),
          dataIndex: 'number',
          render: (n: string, c) => (
            <Link to={`/cases/${c.id}`} style={{ whiteSpace: 'nowrap' }}>
              {n}
            </Link>
          ),
        },
        {
          title: t('cases.subject'),
          dataIndex: 'title',
          render: (v: string, c) => (
            <Link to={`/cases/${c.id}`} style={{ color: 'inherit' }}>
              <Typography.Text style={{ maxWidth: 360 }} ellipsis={{ tooltip: v }}>
                {v}
              </Typography.Text>
            </Link>
          ),
        },
        { title: tab === 'todo' ? t('casesPhone.myTask') : t('cases.state'), dataIndex: 'stateLabel', render: (_: string, c) => badge(c) },
        { title: t('cases.parts'), dataIndex: 'parts', render: (p: CaseSummaryView['parts']) => <PartsSummary parts={p} /> },
        { title: tab === 'todo' ? t('cases.deadline') : t('cases.dueDate'), key: 'deadline', render: (_: unknown, c) => deadline(c) },
        {
          title: t('cases.updatedAt'),
          dataIndex: 'updatedAt',
          render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v)}</span>,
        },
      ]}
    />
  );

  const cards = (
    <Spin spinning={list.isFetching && !list.isPending}>
      {items.length === 0 ? (
        <Card>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
        </Card>
      ) : (
        <div className="card-list" data-testid="cases-cards">
          {items.map((c) => (
            <Card
              key={c.id}
              size="small"
              hoverable
              onClick={() => navigate(`/cases/${c.id}`)}
              className={c.overdue ? 'card-overdue' : undefined}
              data-testid={`case-card-${c.id}`}
            >
              <Flex justify="space-between" align="center" gap={8}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.number}
                </Typography.Text>
                {badge(c)}
              </Flex>
              <Typography.Paragraph strong ellipsis={{ rows: 2 }} style={{ margin: '4px 0 6px' }}>
                {c.title}
              </Typography.Paragraph>
              <PartsSummary parts={c.parts} />
              <div style={{ marginTop: 6 }}>{deadline(c)}</div>
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
        title={t('cases.title')}
        extra={
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cases/new')}>
              {t('cases.newForm')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="export-cases">
              {isMobile ? null : t('cases.export')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      {exportError ? <ErrorAlert error={exportError} onClose={() => setExportError(null)} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => update({ tab: k === 'todo' ? undefined : k })}
        items={CASE_TABS.map((k) => ({ key: k, label: t(`cases.tabs.${k}`) }))}
        style={{ marginBottom: 4 }}
      />
      {filterBar}
      <LoadState loading={list.isPending} error={list.error} onRetry={() => void list.refetch()}>
        {isMobile ? cards : table}
      </LoadState>
    </>
  );
}
