import { PhoneOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, Empty, Flex, Input, Row, Segmented, Spin, Table, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.js';
import { LoadState } from '../components/LoadState.js';
import { NextSteps } from '../components/NextSteps.js';
import { PageHeader } from '../components/PageHeader.js';
import { PhonePager } from '../components/PhonePager.js';
import { UnitTreeSelect } from '../components/UnitTreeSelect.js';
import { qk, useCan } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { Page, PersonListItemView, PersonView } from '../types.js';
import { PersonFormModal } from './people/PersonFormModal.js';

type Status = 'active' | 'left' | 'all';
type Sort = 'name' | 'employeeNo' | 'id';

export function StatusTag({ status }: { status: 'active' | 'left' }) {
  const { t } = useTranslation();
  return status === 'active' ? <Tag color="green">{t('personStatus.active')}</Tag> : <Tag>{t('personStatus.left')}</Tag>;
}

/** A person's units, the primary one first; the others lighter. */
export function PersonUnits({ units }: { units: PersonListItemView['units'] }) {
  const { t } = useTranslation();
  if (units.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const [first, ...rest] = units;
  return (
    <span data-testid="person-units">
      {first?.unitName}
      {rest.length ? <Typography.Text type="secondary">{`、${rest.map((u) => u.unitName).join('、')}`}</Typography.Text> : null}
    </span>
  );
}

export default function PeoplePage() {
  const { t } = useTranslation();
  const can = useCan();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const q = params.get('q') ?? '';
  const status = (params.get('status') as Status | null) ?? 'active';
  const unitId = Number(params.get('unitId')) || undefined;
  const subtree = params.get('subtree') !== '0';
  const sort = (params.get('sort') as Sort | null) ?? 'name';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const [search, setSearch] = useState(q);

  const update = (changes: Record<string, string | number | undefined | null>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage && !('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const query = { page, pageSize, q: q || undefined, status, unitId, subtree: unitId ? (subtree ? 1 : 0) : undefined, sort, order };
  const people = useQuery({
    queryKey: qk.people(query),
    queryFn: () => api.get<Page<PersonListItemView>>('/people', query),
    placeholderData: keepPreviousData,
  });
  const items = people.data?.items ?? [];
  const total = people.data?.total ?? 0;

  const filters = (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Row gutter={[12, 12]} align="middle">
        <Col xs={24} md={8}>
          <Input.Search
            allowClear
            placeholder={t('people.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => update({ q: v.trim() })}
            aria-label={t('common.search')}
          />
        </Col>
        <Col xs={24} md={8}>
          <Flex gap={8} align="center">
            <UnitTreeSelect
              value={unitId}
              onChange={(v) => update({ unitId: v ?? undefined })}
              allowClear
              placeholder={t('people.unitFilter')}
              aria-label={t('people.unitFilter')}
            />
            {unitId ? (
              <Checkbox checked={subtree} onChange={(e) => update({ subtree: e.target.checked ? undefined : '0' })} style={{ whiteSpace: 'nowrap' }}>
                {t('people.includeSubunits')}
              </Checkbox>
            ) : null}
          </Flex>
        </Col>
        <Col xs={24} md={8}>
          <Segmented<Status>
            value={status}
            onChange={(v) => update({ status: v === 'active' ? undefined : v })}
            options={[
              { value: 'active', label: t('personStatus.active') },
              { value: 'left', label: t('personStatus.left') },
              { value: 'all', label: t('personStatus.all') },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );

  const dash = (v: string | null) => v || t('common.none');
  const sortOrder = (key: Sort) => (sort === key ? (order === 'desc' ? 'descend' : 'ascend') : null);

  const table = (
    <Table<PersonListItemView>
      rowKey="id"
      data-testid="people-table"
      dataSource={items}
      loading={people.isFetching}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('people.empty')} /> }}
      onRow={(p) => ({ onDoubleClick: () => navigate(`/people/${p.id}`) })}
      onChange={(pg, _f, sorter) => {
        const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<PersonListItemView> | undefined;
        const key = s?.order ? (String(s.field) as Sort) : undefined;
        update(
          {
            page: pg.current && pg.current > 1 ? pg.current : undefined,
            pageSize: pg.pageSize && pg.pageSize !== 20 ? pg.pageSize : undefined,
            sort: key && key !== 'name' ? key : undefined,
            order: key && s?.order === 'descend' ? 'desc' : undefined,
          },
          false,
        );
      }}
      pagination={{ current: page, pageSize, total, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }) }}
      columns={[
        {
          title: t('people.name'),
          dataIndex: 'name',
          sorter: true,
          sortOrder: sortOrder('name'),
          render: (n: string, p) => <Link to={`/people/${p.id}`}>{n}</Link>,
        },
        { title: t('people.unit'), dataIndex: 'units', render: (_: unknown, p) => <PersonUnits units={p.units} /> },
        { title: t('people.employeeNo'), dataIndex: 'employeeNo', sorter: true, sortOrder: sortOrder('employeeNo'), render: dash },
        { title: t('people.gender'), dataIndex: 'gender', render: (g: PersonView['gender']) => (g ? t(`gender.${g}`) : t('common.none')) },
        { title: t('people.post'), dataIndex: 'post', render: dash },
        { title: t('people.phone'), dataIndex: 'phone', render: (v: string | null) => (v ? <a href={`tel:${v}`}>{v}</a> : t('common.none')) },
        { title: t('people.status'), dataIndex: 'status', render: (s: PersonView['status']) => <StatusTag status={s} /> },
      ]}
    />
  );

  const cards = (
    <Spin spinning={people.isFetching && !people.isPending}>
      {items.length === 0 ? (
        <Card>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('people.empty')} />
        </Card>
      ) : (
        <div className="card-list" data-testid="people-cards">
          {items.map((p) => (
            <Card key={p.id} size="small" hoverable onClick={() => navigate(`/people/${p.id}`)}>
              <Flex justify="space-between" align="center" gap={8}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    {[p.employeeNo, p.post].filter(Boolean).join(' · ')}
                  </Typography.Text>
                </div>
                <StatusTag status={p.status} />
              </Flex>
              <div style={{ fontSize: 13 }}>
                <PersonUnits units={p.units} />
              </div>
              {p.phone ? (
                <a href={`tel:${p.phone}`} onClick={(e) => e.stopPropagation()} style={{ fontSize: 13 }}>
                  <PhoneOutlined /> {p.phone}
                </a>
              ) : null}
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
        title={t('people.title')}
        extra={
          <>
            {can('people.manage') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('people.create')}
              </Button>
            ) : null}
            <Button icon={<ReloadOutlined />} onClick={() => void people.refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      <NextSteps />
      {filters}
      <LoadState loading={people.isPending} error={people.error} onRetry={() => void people.refetch()}>
        {isMobile ? cards : table}
      </LoadState>
      <PersonFormModal open={creating} defaultUnitId={unitId} onClose={() => setCreating(false)} onSaved={(p) => navigate(`/people/${p.id}`)} />
    </>
  );
}
