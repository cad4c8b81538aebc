import { Typography } from 'antd';
import { formatTime } from '../lib/format.js';
import type { NotificationView } from '../types.js';

interface Props {
  items: NotificationView[];
  onOpen: (n: NotificationView) => void;
  compact?: boolean;
}

/** Notifications, unread ones in bold with a dot; a click opens the case. */
export function NotificationItems({ items, onOpen, compact }: Props) {
  return (
    <ul className="plain-list" data-testid="notification-list">
      {items.map((n) => (
        <li key={n.id} className={n.read ? 'notification-item' : 'notification-item unread'}>
          <button
            type="button"
            className="notification-button"
            onClick={() => onOpen(n)}
            style={{ paddingInline: compact ? 12 : 16 }}
            data-testid={`notification-${n.id}`}
          >
            <Typography.Paragraph strong={!n.read} style={{ margin: 0, wordBreak: 'break-word' }} ellipsis={compact ? { rows: 3 } : false}>
              {n.read ? null : <span className="unread-dot" aria-hidden="true" />}
              {n.text}
            </Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[n.caseNumber, formatTime(n.createdAt)].filter(Boolean).join(' · ')}
            </Typography.Text>
          </button>
        </li>
      ))}
    </ul>
  );
}
