import { ApiOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { formatTime } from '../lib/format.js';
import { qk, useMe } from '../lib/queries.js';
import { passwordRules, sameAs } from '../lib/rules.js';
import { useFormErrors } from '../lib/useFormErrors.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { AccountRow } from '../types.js';
import { AccountTokensDrawer } from './accounts/AccountTokensDrawer.js';
import { BulkAccountsModal } from './accounts/BulkAccountsModal.js';
import { CreateAccountModal } from './people/CreateAccountModal.js';

function ResetPasswordModal({ account, onClose }: { account: AccountRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();
  useEffect(() => {
    if (account) {
      errors.clear();
      form.resetFields();
    }
  }, [account, form, errors.clear]);
  const reset = useMutation({
    mutationFn: (password: string) => api.patch(`/accounts/${account!.id}`, { password }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: qk.accounts });
      void message.success(t('accounts.resetDone'));
      onClose();
    },
    onError: errors.report,
  });
  return (
    <Modal
      open={!!account}
      title={t('accounts.resetTitle', { name: account?.username ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('accounts.resetPassword')}
      okButtonProps={{ danger: true }}
      confirmLoading={reset.isPending}
      forceRender
    >
      <Alert type="warning" showIcon title={t('accounts.resetHint')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        name="reset-password"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          reset.mutate(v.password);
        }}
      >
        <Form.Item name="password" label={t('password.new')} extra={t('common.passwordRule')} rules={passwordRules(t, t('password.new'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('common.passwordConfirm')} dependencies={['password']} rules={sameAs(t, 'password', t('common.passwordConfirm'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}

export default function AccountsPage() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [resetting, setResetting] = useState<AccountRow | null>(null);
  const [creating, setCreating] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [tokensOf, setTokensOf] = useState<AccountRow | null>(null);
  const [q, setQ] = useState('');
  const accounts = useQuery({ queryKey: qk.accounts, queryFn: () => api.get<AccountRow[]>('/accounts') });

  const setActive = useMutation({
    mutationFn: ({ a, active }: { a: AccountRow; active: boolean }) => api.patch(`/accounts/${a.id}`, { active }),
    onSuccess: async (_d, { active }) => {
      await qc.invalidateQueries({ queryKey: qk.accounts });
      void message.success(active ? t('accounts.activated') : t('accounts.deactivated'));
    },
    onError: (e) => void modal.error({ title: t('accounts.title'), content: e.message }),
  });

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = accounts.data ?? [];
    return needle ? list.filter((a) => a.username.toLowerCase().includes(needle) || a.personName.toLowerCase().includes(needle)) : list;
  }, [accounts.data, q]);

  const state = (a: AccountRow) => (
    <Space size={4} wrap>
      {a.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag color="red">{t('common.inactive')}</Tag>}
      {a.mustChangePassword ? <Tag color="orange">{t('accounts.mustChange')}</Tag> : null}
    </Space>
  );

  const actions = (a: AccountRow) => {
    const self = a.id === me?.accountId;
    return (
      <Space size={4} wrap>
        {a.active ? (
          <Popconfirm
            title={t('accounts.deactivateConfirm', { name: a.username })}
            okText={t('accounts.deactivate')}
            okButtonProps={{ danger: true }}
            onConfirm={() => setActive.mutate({ a, active: false })}
            disabled={self}
          >
            <Button size="small" danger disabled={self}>
              {t('accounts.deactivate')}
            </Button>
          </Popconfirm>
        ) : (
          <Popconfirm title={t('accounts.activateConfirm', { name: a.username })} onConfirm={() => setActive.mutate({ a, active: true })}>
            <Button size="small">{t('accounts.activate')}</Button>
          </Popconfirm>
        )}
        <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(a)} disabled={self}>
          {t('accounts.resetPassword')}
        </Button>
        <Button size="small" icon={<ApiOutlined />} onClick={() => setTokensOf(a)}>
          {t('tokens.open')}
        </Button>
      </Space>
    );
  };

  return (
    <>
      <PageHeader
        title={t('accounts.title')}
        extra={
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('accounts.create')}
            </Button>
            <Button icon={<UsergroupAddOutlined />} onClick={() => setBulk(true)}>
              {t('accounts.bulk.open')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void accounts.refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      <Input.Search
        allowClear
        placeholder={`${t('accounts.username')} / ${t('accounts.person')}`}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        style={{ maxWidth: 360, marginBottom: 12 }}
      />
      <LoadState loading={accounts.isPending} error={accounts.error} onRetry={() => void accounts.refetch()}>
        {isMobile ? (
          rows.length === 0 ? (
            <Card>
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.empty')} />
            </Card>
          ) : (
            <div className="card-list">
              {rows.map((a) => (
                <Card key={a.id} size="small">
                  <Flex justify="space-between" align="start" gap={8}>
                    <div>
                      <Typography.Text strong>{a.username}</Typography.Text>
                      {a.id === me?.accountId ? t('accounts.self') : null}
                      <div>
                        <Link to={`/people/${a.personId}`}>{a.personName}</Link>
                      </div>
                    </div>
                    {state(a)}
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', margin: '6px 0' }}>
                    {t('accounts.lastLogin')}
                    {t('common.colon')}
                    {a.lastLoginAt ? formatTime(a.lastLoginAt) : t('accounts.never')}
                  </Typography.Text>
                  {actions(a)}
                </Card>
              ))}
            </div>
          )
        ) : (
          <Table<AccountRow>
            rowKey="id"
            dataSource={rows}
            scroll={{ x: 'max-content' }}
            pagination={rows.length > 50 ? { pageSize: 50, showTotal: (n) => t('common.total', { total: n }) } : false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.empty')} /> }}
            columns={[
              {
                title: t('accounts.username'),
                dataIndex: 'username',
                sorter: (a, b) => a.username.localeCompare(b.username),
                render: (u: string, a) => (
                  <>
                    <Typography.Text strong>{u}</Typography.Text>
                    {a.id === me?.accountId ? t('accounts.self') : null}
                  </>
                ),
              },
              { title: t('accounts.person'), dataIndex: 'personName', render: (n: string, a) => <Link to={`/people/${a.personId}`}>{n}</Link> },
              { title: t('accounts.state'), key: 'state', render: (_: unknown, a) => state(a) },
              {
                title: t('accounts.lastLogin'),
                dataIndex: 'lastLoginAt',
                sorter: (a, b) => (a.lastLoginAt ?? '').localeCompare(b.lastLoginAt ?? ''),
                render: (v: string | null) => (v ? formatTime(v) : <Typography.Text type="secondary">{t('accounts.never')}</Typography.Text>),
              },
              { title: t('accounts.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
              { title: t('common.actions'), key: 'actions', render: (_: unknown, a) => actions(a) },
            ]}
          />
        )}
      </LoadState>
      <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />
      <CreateAccountModal open={creating} onClose={() => setCreating(false)} />
      <BulkAccountsModal open={bulk} onClose={() => setBulk(false)} />
      <AccountTokensDrawer account={tokensOf} onClose={() => setTokensOf(null)} />
    </>
  );
}
