import { EditOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { UnitTreeSelect } from '../components/UnitTreeSelect.js';
import { useCan, useUnits } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { PolicyView } from '../types.js';
import { PolicyEditModal } from './policies/PolicyEditModal.js';

/** Where the value in force comes from, as the page says it: 本单位设置 / 继承自 X / 全单位设置 / 默认. */
export function OriginTag({ policy, unitId }: { policy: PolicyView; unitId: number | null }) {
  const { t } = useTranslation();
  const o = policy.origin;
  if (o.kind === 'default') return <Tag>{t('policies.originDefault')}</Tag>;
  if (o.kind === 'organization')
    return <Tag color="blue">{unitId === null ? t('policies.originOrganization') : t('policies.inheritedFrom', { from: t('policies.organization') })}</Tag>;
  if (o.unitId === unitId) return <Tag color="green">{t('policies.originUnit')}</Tag>;
  return <Tag color="cyan">{t('policies.inheritedFrom', { from: o.unitName ?? '' })}</Tag>;
}

const show = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));

/**
 * 制度参数: every number the rules depend on, for the organization or as in force at a unit (issue 9
 * §8), with where each value comes from; an administrator changes the organization's value or a
 * unit's override, or clears the override so the unit inherits again.
 */
export default function PoliciesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const isMobile = useIsMobile();
  const units = useUnits();
  // The unit is in the address (?unitId=), so a view at a unit can be linked to.
  const [params, setParams] = useSearchParams();
  const picked = Number(params.get('unitId')) || null;
  const setPicked = (id: number | null) => setParams(id === null ? {} : { unitId: String(id) }, { replace: true });
  const [editing, setEditing] = useState<PolicyView | null>(null);
  // The top unit's values are the organization's.
  const chosen = (units.data ?? []).find((u) => u.id === picked && u.parentId !== null) ?? null;
  const unitId = chosen?.id ?? null;
  const policies = useQuery({
    queryKey: ['policies', unitId],
    queryFn: () => api.get<PolicyView[]>(unitId === null ? '/policies' : `/policies?unitId=${unitId}`),
  });
  const mayEdit = can('policy.manage');
  const editable = (p: PolicyView) => mayEdit && (unitId === null || p.scope === 'unit');

  const clear = useMutation({
    mutationFn: (p: PolicyView) => api.put(`/policies/units/${unitId}`, { values: { [p.key]: null } }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['policies'] });
      void message.success(t('policies.cleared'));
    },
    onError: (e) => void modal.error({ title: t('policies.clear'), content: e.message }),
  });

  const actions = (p: PolicyView) => (
    <Flex gap={4} wrap>
      {editable(p) ? (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={`${t('policies.edit')} ${p.key}`}>
          {t('policies.edit')}
        </Button>
      ) : null}
      {mayEdit && unitId !== null && p.overridden ? (
        <Button size="small" icon={<UndoOutlined />} loading={clear.isPending && clear.variables?.key === p.key} onClick={() => clear.mutate(p)}>
          {t('policies.clear')}
        </Button>
      ) : null}
      {unitId !== null && p.scope === 'org' ? <Tag>{t('policies.orgOnly')}</Tag> : null}
    </Flex>
  );

  return (
    <>
      <PageHeader title={t('policies.title')} subtitle={t('policies.intro')} />
      <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('policies.unit')}</Typography.Text>
        <UnitTreeSelect
          value={picked}
          onChange={setPicked}
          allowClear
          placeholder={t('policies.organization')}
          aria-label={t('policies.unit')}
          style={{ width: isMobile ? '100%' : 320 }}
        />
      </Flex>
      <LoadState loading={policies.isPending} error={policies.error} onRetry={() => void policies.refetch()}>
        {isMobile ? (
          <div className="card-list" data-testid="policy-cards">
            {(policies.data ?? []).map((p) => (
              <Card key={p.key} size="small" title={<Typography.Text code>{p.key}</Typography.Text>} extra={<OriginTag policy={p} unitId={unitId} />}>
                <Typography.Paragraph style={{ marginBottom: 4 }}>
                  {t('policies.value')}: <Typography.Text strong>{show(p.value)}</Typography.Text>
                </Typography.Paragraph>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8, overflowWrap: 'anywhere' }}>
                  {p.source}
                </Typography.Paragraph>
                {actions(p)}
              </Card>
            ))}
          </div>
        ) : (
          <Table<PolicyView>
            data-testid="policy-table"
            rowKey="key"
            size="middle"
            pagination={false}
            dataSource={policies.data ?? []}
            columns={[
              {
                title: t('policies.key'),
                key: 'key',
                render: (_, p) => (
                  <>
                    <Typography.Text code>{p.key}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {p.source}
                      </Typography.Text>
                    </div>
                  </>
                ),
              },
              { title: t('policies.value'), key: 'value', width: 110, render: (_, p) => <Typography.Text strong>{show(p.value)}</Typography.Text> },
              { title: t('policies.origin'), key: 'origin', width: 180, render: (_, p) => <OriginTag policy={p} unitId={unitId} /> },
              { title: t('common.actions'), key: 'actions', width: 200, render: (_, p) => actions(p) },
            ]}
          />
        )}
      </LoadState>
      <PolicyEditModal policy={editing} unit={chosen ? { id: chosen.id, name: chosen.name } : null} onClose={() => setEditing(null)} />
    </>
  );
}
