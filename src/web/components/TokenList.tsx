import { StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { formatTime } from '../lib/format.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { ApiTokenView } from '../types.js';
import { LoadState } from './LoadState.js';

/**
 * API tokens at `path` (GET; an active one is revoked with DELETE `path`/:id): the user's own on 我的账号
 * (/me/tokens), anyone's on the accounts page (/accounts/:id/tokens). A revoked token stays listed, greyed.
 */
export function TokenList({ path, queryKey, emptyText }: { path: string; queryKey: readonly unknown[]; emptyText: string }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const tokens = useQuery({ queryKey, queryFn: () => api.get<ApiTokenView[]>(path) });

  const revoke = useMutation({
    mutationFn: (tok: ApiTokenView) => api.del(`${path}/${tok.id}`),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey });
      void message.success(t('tokens.revokedDone'));
    },
    onError: (e) => void modal.error({ title: t('tokens.revoke'), content: e.message }),
  });

  const status = (tok: ApiTokenView) =>
    tok.revokedAt ? <Tag>{t('tokens.revokedAt', { time: formatTime(tok.revokedAt) })}</Tag> : <Tag color="green">{t('tokens.active')}</Tag>;
  const revokeButton = (tok: ApiTokenView) =>
    tok.revokedAt ? null : (
      <Popconfirm
        title={t('tokens.revokeConfirm', { name: tok.name })}
        okText={t('tokens.revoke')}
        okButtonProps={{ danger: true, loading: revoke.isPending && revoke.variables?.id === tok.id }}
        cancelText={t('common.cancel')}
        onConfirm={() => revoke.mutateAsync(tok).catch(() => undefined)}
      >
        <Button size="small" danger icon={<StopOutlined />}>
          {t('tokens.revoke')}
        </Button>
      </Popconfirm>
    );
  const list = tokens.data ?? [];
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />;
  const used = (v: string | null) => (v ? formatTime(v) : t('me.neverUsed'));

  return (
    <LoadState loading={tokens.isPending} error={tokens.error} onRetry={() => void tokens.refetch()} rows={3}>
      {isMobile ? (
        list.length === 0 ? (
          empty
        ) : (
          <div className="card-list" data-testid="api-tokens">
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
          data-testid="api-tokens"
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
