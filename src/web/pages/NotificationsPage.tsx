import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Pagination, Segmented, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api.js';
import { LoadState } from '../components/LoadState.js';
import { NotificationItems } from '../components/NotificationList.js';
import { PageHeader } from '../components/PageHeader.js';
import { useMarkRead, useOpenNotification } from '../lib/notifications.js';
import { qk } from '../lib/queries.js';
import type { NotificationListView } from '../types.js';

const PAGE_SIZE = 20;

export default function NotificationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === '1';
  const page = Number(params.get('page')) || 1;
  const markRead = useMarkRead();
  const openOne = useOpenNotification();

  const query = { unreadOnly: unreadOnly ? 'true' : 'false', page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: qk.notificationPage(query),
    queryFn: () => api.get<NotificationListView>('/notifications', query),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        extra={
          <>
            <Button icon={<CheckOutlined />} disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
              {t('notifications.markAllRead')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
          </>
        }
      />
      <Segmented<'all' | 'unread'>
        style={{ marginBottom: 12 }}
        value={unreadOnly ? 'unread' : 'all'}
        onChange={(v) => set({ unread: v === 'unread' ? '1' : undefined, page: undefined })}
        options={[
          { value: 'all', label: t('notifications.all') },
          { value: 'unread', label: `${t('notifications.unread')}${unread ? ` (${unread})` : ''}` },
        ]}
      />
      <LoadState loading={list.isPending} error={list.error} onRetry={() => void list.refetch()}>
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Spin spinning={list.isFetching && !list.isPending}>
            {items.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={unreadOnly ? t('notifications.emptyUnread') : t('notifications.empty')}
                style={{ padding: '24px 0' }}
              />
            ) : (
              <NotificationItems items={items} onOpen={openOne} />
            )}
          </Spin>
        </Card>
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Pagination
            simple
            current={page}
            pageSize={PAGE_SIZE}
            total={list.data?.total ?? 0}
            hideOnSinglePage
            onChange={(p) => set({ page: p > 1 ? String(p) : undefined })}
            showTotal={(n) => t('common.total', { total: n })}
          />
        </Flex>
      </LoadState>
    </>
  );
}
