import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Form, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { formatTime } from '../../lib/format.js';
import { useMe } from '../../lib/queries.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { DelegationView } from '../../types.js';

const KEY = ['delegations'] as const;
const STATUS_COLOR: Record<DelegationView['status'], string | undefined> = { active: 'green', scheduled: 'blue', ended: undefined, revoked: undefined };

interface Values {
  deputyPersonId: number;
  from: Dayjs;
  until: Dayjs;
  reason: string;
}

/**
 * 委托代理 on the Me page (issue 9 §2): hand one's roles to a colleague for a period (away on business),
 * see the delegations one gave or was given, and end one early. It ends by itself at its end.
 */
export function Delegations() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: KEY, queryFn: () => api.get<DelegationView[]>('/delegations') });
  const unitIds = [...new Set((me?.grants ?? []).map((g) => g.unitId))];
  // Colleagues in one's own units: the usual deputy.
  const colleagues = useQuery({
    queryKey: ['delegations', 'colleagues', unitIds],
    queryFn: async () => {
      const all = await Promise.all(unitIds.map((unitId) => api.get<{ id: number; name: string; post: string | null }[]>('/cases/unit-members', { unitId })));
      const seen = new Map<number, { id: number; name: string; post: string | null }>();
      for (const p of all.flat()) if (p.id !== me?.personId) seen.set(p.id, p);
      return [...seen.values()];
    },
    enabled: creating && unitIds.length > 0,
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      api.post<DelegationView>('/delegations', {
        deputyPersonId: v.deputyPersonId,
        from: v.from.toISOString(),
        until: v.until.toISOString(),
        reason: v.reason.trim(),
      }),
    onSuccess: async () => {
      setCreating(false);
      form.resetFields();
      void message.success(t('delegation.created'));
      await qc.invalidateQueries({ queryKey: KEY });
    },
    onError: errors.report,
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.post<DelegationView>(`/delegations/${id}/revoke`, {}),
    onSuccess: async () => {
      void message.success(t('delegation.revoked'));
      await qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => void message.error(e instanceof Error ? e.message : String(e)),
  });

  return (
    <Card
      title={t('delegation.title')}
      size="small"
      data-testid="delegations"
      extra={
        <Button
          type="primary"
          size="small"
          icon={<PlusOutlined />}
          onClick={() => {
            errors.clear();
            setCreating((x) => !x);
          }}
        >
          {t('delegation.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('delegation.intro')}
      </Typography.Paragraph>
      {creating ? (
        <Form
          form={form}
          layout="vertical"
          name="delegation"
          requiredMark={false}
          initialValues={{ from: dayjs().startOf('minute'), until: dayjs().add(3, 'day').startOf('hour') }}
          style={{ maxWidth: 480, marginBottom: 16 }}
          onFinish={(v) => {
            errors.clear();
            create.mutate(v);
          }}
        >
          <Form.Item name="deputyPersonId" label={t('delegation.deputy')} rules={[requiredSelect(t, t('delegation.deputy'))]}>
            <Select<number>
              showSearch={{ optionFilterProp: 'label' }}
              loading={colleagues.isFetching}
              placeholder={t('delegation.deputyPlaceholder')}
              options={(colleagues.data ?? []).map((p) => ({ value: p.id, label: [p.name, p.post].filter(Boolean).join(' · ') }))}
            />
          </Form.Item>
          <Form.Item name="from" label={t('delegation.from')} rules={[requiredSelect(t, t('delegation.from'))]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} inputReadOnly />
          </Form.Item>
          <Form.Item name="until" label={t('delegation.until')} rules={[requiredSelect(t, t('delegation.until'))]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} inputReadOnly />
          </Form.Item>
          <Form.Item name="reason" label={t('delegation.reason')} rules={[required(t, t('delegation.reason')), { max: 500 }]}>
            <Input placeholder={t('delegation.reasonPlaceholder')} maxLength={500} />
          </Form.Item>
          {errors.alert}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
            <Button onClick={() => setCreating(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : null}
      <List
        dataSource={list.data ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('delegation.none')} /> }}
        renderItem={(d) => (
          <List.Item
            data-testid="delegation"
            actions={
              d.status === 'active' || d.status === 'scheduled'
                ? [
                    <Popconfirm key="revoke" title={t('delegation.revokeConfirm')} onConfirm={() => revoke.mutate(d.id)}>
                      <Button size="small" danger>
                        {t('delegation.revoke')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <span>{t('delegation.line', { principal: d.principal.name, deputy: d.deputy.name })}</span>
                  <Tag color={STATUS_COLOR[d.status]}>{t(`delegation.status.${d.status}`)}</Tag>
                </Space>
              }
              description={
                <span style={{ overflowWrap: 'anywhere' }}>
                  {formatTime(d.from)} – {formatTime(d.until)} · {d.reason}
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
