import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Flex, Popover, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMarkRead, useOpenNotification } from '../lib/notifications.js';
import { useNotificationBell } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import { ErrorAlert } from './ErrorAlert.js';
import { NotificationItems } from './NotificationList.js';

/** The header bell: unread count (asked again every 30 s), the latest unread ones in a popover (a drawer on phones). */
export function NotificationBell() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const bell = useNotificationBell();
  const markRead = useMarkRead();
  const openOne = useOpenNotification(() => setOpen(false));
  const unread = bell.data?.unread ?? 0;
  const items = bell.data?.items ?? [];

  const body = (
    <div style={{ width: isMobile ? '100%' : 360 }} data-testid="notification-panel">
      {bell.error ? <ErrorAlert error={bell.error} style={{ margin: 8 }} /> : null}
      {bell.isPending ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.emptyUnread')} style={{ margin: '16px 0' }} />
      ) : (
        <div style={{ maxHeight: isMobile ? undefined : 420, overflow: 'auto' }}>
          <NotificationItems items={items} onOpen={openOne} compact />
        </div>
      )}
      <Flex justify="space-between" gap={8} style={{ padding: '8px 12px', borderTop: '1px solid #f0f0f0' }}>
        <Button size="small" type="link" disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
          {t('notifications.markAllRead')}
        </Button>
        <Button
          size="small"
          type="link"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
        >
          {t('notifications.viewAll')}
        </Button>
      </Flex>
    </div>
  );

  const button = (
    <Button
      type="text"
      onClick={isMobile ? () => setOpen(true) : undefined}
      aria-label={unread ? `${t('notifications.bell')} ${t('notifications.unreadCount', { count: unread })}` : t('notifications.bell')}
      data-testid="notification-bell"
      style={{ paddingInline: 8 }}
    >
      <Badge count={unread} size="small" overflowCount={99} data-testid="notification-count">
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );

  if (isMobile)
    return (
      <>
        {button}
        <Drawer placement="right" open={open} onClose={() => setOpen(false)} size={320} title={t('notifications.title')} styles={{ body: { padding: 0 } }}>
          {body}
        </Drawer>
      </>
    );
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={<div style={{ padding: '4px 12px 0' }}>{t('notifications.title')}</div>}
      content={body}
      styles={{ container: { padding: 0 } }}
      arrow={false}
    >
      {button}
    </Popover>
  );
}
