import { StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Empty, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { LoadState } from '../../components/LoadState.js';
import { formatTime } from '../../lib/format.js';
import { qk } from '../../lib/queries.js';
import { useIsMobile } from '../../lib/useIsMobile.js';
import type { AccountRow, ApiTokenView } from '../../types.js';

/** One account's API tokens (GET /accounts/:id/tokens); an active one can be revoked (DELETE …/tokens/:tokenId). */
function TokenList({ account }: { account: AccountRow }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const key = qk.accountTokens(account.id);
  const tokens = useQuery({ queryKey: key, queryFn: () => api.get<ApiTokenView[]>(`/accounts/${account.id}/tokens`) });

  const revoke = useMutation({
    mutationFn: (tok: ApiTokenView) => api.del(`/accounts/${account.id}/tokens/${tok.id}`),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: key });
      void message.success(t('accounts.tokens.revokedDone'));
    },
    onError: (e) => void modal.error({ title: t('accounts.tokens.revoke'), content: e.message }),
  });

  const status = (tok: ApiTokenView) =>
    tok.revokedAt ? <Tag>{t('accounts.tokens.revokedAt', { time: formatTime(tok.revokedAt) })}</Tag> : <Tag color="green">{t('accounts.tokens.active')}</Tag>;
  const revokeButton = (tok: ApiTokenView) =>
    tok.revokedAt ? null : (
      <Popconfirm
        title={t('accounts.tokens.revokeConfirm', { name: tok.name })}
        okText={t('accounts.tokens.revoke')}
        okButtonProps={{ danger: true, loading: revoke.isPending && revoke.variables?.id === tok.id }}
        cancelText={t('common.cancel')}
        onConfirm={() => revoke.mutateAsync(tok).catch(() => undefined)}
      >
        <Button size="small" danger icon={<StopOutlined />}>
          {t('accounts.tokens.revoke')}
        </Button>
      </Popconfirm>
    );
  const list = tokens.data ?? [];
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.tokens.empty')} />;
  const used = (v: string | null) => (v ? formatTime(v) : t('me.neverUsed'));

  return (
    <LoadState loading={tokens.isPending} error={tokens.error} onRetry={() => void tokens.refetch()} rows={3}>
      {isMobile ? (
        list.length === 0 ? (
          empty
        ) : (
          <div className="card-list" data-testid="account-tokens">
            {list.map((tok) => (
              <Card key={tok.id} size="small" className={tok.revokedAt ? 'token-revoked' : undefined}>
                <Flex justify="space-between" gap={8} wrap>
                  <Typography.Text strong>{tok.name}</Typography.Text>
                  {status(tok)}
                </Flex>
                <Typography.Text code>{tok.prefix}…</Typography.Text>
                <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)', margin: '4px 0 8px' }}>
                  {t('me.createdAt')} {formatTime(tok.createdAt)} · {t('me.lastUsed')} {used(tok.lastUsedAt)}
                </div>
                {revokeButton(tok)}
              </Card>
            ))}
          </div>
        )
      ) : (
        <Table<ApiTokenView>
          size="small"
          rowKey="id"
          data-testid="account-tokens"
          dataSource={list}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(tok) => (tok.revokedAt ? 'token-revoked' : '')}
          locale={{ emptyText: empty }}
          columns={[
            { title: t('me.tokenName'), dataIndex: 'name' },
            { title: t('me.tokenPrefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
            { title: t('me.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
            { title: t('me.lastUsed'), dataIndex: 'lastUsedAt', render: used },
            { title: t('common.status'), key: 'status', render: (_: unknown, tok) => status(tok) },
            { title: t('common.actions'), key: 'actions', render: (_: unknown, tok) => revokeButton(tok) },
          ]}
        />
      )}
    </LoadState>
  );
}

/** The drawer on the accounts page: whose tokens, why revoke, then the list. */
export function AccountTokensDrawer({ account, onClose }: { account: AccountRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  return (
    <Drawer
      open={!!account}
      title={t('accounts.tokens.title', { name: account?.username ?? '' })}
      onClose={onClose}
      size={isMobile ? '100%' : 760}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('accounts.tokens.intro')}
      </Typography.Paragraph>
      {account ? <TokenList account={account} /> : null}
    </Drawer>
  );
}
