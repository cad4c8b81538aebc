import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Empty, Input, Row, Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api.js';
import { AuditDiff } from '../components/AuditDiff.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { actionLabel, entityLabel, formatTime } from '../lib/format.js';
import { qk } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import { useWidth } from '../lib/useWidth.js';
import type { AuditEvent, AuditVerify, Page } from '../types.js';

/** Actions the server records (for the filter; unknown ones still show, by their code). */
export const AUDIT_ACTIONS = [
  'organization.setup',
  'unit.create',
  'unit.update',
  'unit.move',
  'unit.delete',
  'unit_type.create',
  'org.import',
  'unit.import_create',
  'unit.import_update',
  'person.import_create',
  'person.import_update',
  'person.create',
  'person.update',
  'person.leave',
  'membership.create',
  'membership.delete',
  'account.create',
  'account.update',
  'account.activate',
  'account.deactivate',
  'account.password_reset',
  'account.password_change',
  'account.locked',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'api_token.create',
  'api_token.revoke',
  'role.update',
  'calendar.override_set',
  'calendar.override_remove',
  'calendar.year_import',
  'policy.update',
  'policy.unit_update',
];
const ENTITY_TYPES = [
  'unit',
  'unit_type',
  'person',
  'membership',
  'account',
  'role',
  'api_token',
  'organization',
  'import',
  'calendar_day',
  'calendar_year',
  'policy',
];

const COLOR: Record<string, string> = {
  create: 'green',
  import_create: 'green',
  delete: 'red',
  deactivate: 'red',
  revoke: 'red',
  login_failed: 'volcano',
  locked: 'volcano',
};
const colorOf = (action: string) => COLOR[action.slice(action.indexOf('.') + 1)] ?? (action === 'org.import' ? 'purple' : 'blue');

export default function AuditPage() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('pageSize')) || 20;
  const q = params.get('q') ?? '';
  const action = params.get('action') ?? undefined;
  const entityType = params.get('entityType') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const [search, setSearch] = useState(q);
  const box = useRef<HTMLDivElement>(null);
  // The expanded row gets a definite width: percentages inside a max-content table grow without end.
  const expandedWidth = Math.max(240, useWidth(box) - 64);

  const update = (changes: Record<string, string | number | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage && !('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const query = { page, pageSize, q: q || undefined, action, entityType, from, to };
  const audit = useQuery({ queryKey: qk.audit(query), queryFn: () => api.get<Page<AuditEvent>>('/audit', query), placeholderData: keepPreviousData });
  const verify = useMutation({ mutationFn: () => api.get<AuditVerify>('/audit/verify') });

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.intro')}
        extra={
          <>
            <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="verify-chain">
              {t('audit.verify')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void audit.refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      {verify.data ? (
        <Alert
          style={{ marginBottom: 12 }}
          type={verify.data.ok ? 'success' : 'error'}
          showIcon
          data-testid="verify-result"
          title={
            verify.data.ok
              ? t('audit.verifyOk', { checked: verify.data.checked })
              : t('audit.verifyBroken', { seq: verify.data.firstBreak?.seq ?? '?', reason: verify.data.firstBreak?.reason ?? '', checked: verify.data.checked })
          }
          closable={{ onClose: () => verify.reset() }}
        />
      ) : null}
      {verify.error ? <Alert style={{ marginBottom: 12 }} type="error" showIcon title={verify.error.message} /> : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={[12, 12]}>
          <Col xs={24} md={12} xl={6}>
            <Input.Search
              allowClear
              placeholder={t('audit.search')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => update({ q: v.trim() })}
              aria-label={t('audit.search')}
            />
          </Col>
          <Col xs={12} md={6} xl={5}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.action')}
              value={action}
              onChange={(v?: string) => update({ action: v })}
              options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) }))}
              style={{ width: '100%' }}
              aria-label={t('audit.action')}
            />
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Select
              allowClear
              placeholder={t('audit.entityType')}
              value={entityType}
              onChange={(v?: string) => update({ entityType: v })}
              options={ENTITY_TYPES.map((e) => ({ value: e, label: entityLabel(t, e) }))}
              style={{ width: '100%' }}
              aria-label={t('audit.entityType')}
            />
          </Col>
          <Col xs={24} md={12} xl={9}>
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              value={from && to ? [dayjs(from), dayjs(to)] : null}
              onChange={(r) => update({ from: r?.[0]?.startOf('day').format() ?? undefined, to: r?.[1]?.endOf('day').millisecond(0).format() ?? undefined })}
              aria-label={t('audit.range')}
            />
          </Col>
        </Row>
      </Card>
      <div ref={box}>
        <LoadState loading={audit.isPending} error={audit.error} onRetry={() => void audit.refetch()}>
          <Table<AuditEvent>
            rowKey="seq"
            data-testid="audit-table"
            size={isMobile ? 'small' : 'middle'}
            dataSource={audit.data?.items ?? []}
            loading={audit.isFetching}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} /> }}
            pagination={{
              current: page,
              pageSize,
              total: audit.data?.total ?? 0,
              showSizeChanger: !isMobile,
              simple: isMobile,
              showTotal: (n) => t('common.total', { total: n }),
            }}
            onChange={(pg) =>
              update(
                { page: pg.current && pg.current > 1 ? pg.current : undefined, pageSize: pg.pageSize && pg.pageSize !== 20 ? pg.pageSize : undefined },
                false,
              )
            }
            expandable={{
              expandedRowRender: (e) => (
                <div style={{ width: expandedWidth, position: 'sticky', insetInlineStart: 16 }}>
                  <AuditDiff before={e.before} after={e.after} />
                  <Descriptions
                    size="small"
                    column={1}
                    style={{ marginTop: 8 }}
                    items={[
                      { key: 'req', label: t('audit.requestId'), children: <Typography.Text code>{e.requestId ?? t('common.none')}</Typography.Text> },
                      { key: 'ip', label: t('audit.ip'), children: e.ip ?? t('common.none') },
                      {
                        key: 'hash',
                        label: t('audit.hash'),
                        children: (
                          <Typography.Text code copyable style={{ wordBreak: 'break-all', fontSize: 12 }}>
                            {e.hash}
                          </Typography.Text>
                        ),
                      },
                    ]}
                  />
                </div>
              ),
            }}
            columns={[
              { title: t('audit.seq'), dataIndex: 'seq', width: 70 },
              { title: t('audit.at'), dataIndex: 'at', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v, true)}</span> },
              {
                title: t('audit.actor'),
                dataIndex: 'actorName',
                render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('common.system')}</Typography.Text>,
              },
              { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <Tag color={colorOf(a)}>{actionLabel(t, a)}</Tag> },
              {
                title: t('audit.entity'),
                key: 'entity',
                render: (_: unknown, e) => (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {entityLabel(t, e.entityType)} <Typography.Text type="secondary">#{e.entityId}</Typography.Text>
                  </span>
                ),
              },
              ...(isMobile ? [] : [{ title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? t('common.none') }]),
            ]}
          />
        </LoadState>
      </div>
    </>
  );
}
