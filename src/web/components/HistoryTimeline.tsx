import { Empty, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { actionLabel, formatTime } from '../lib/format.js';
import type { AuditEvent } from '../types.js';
import { AuditDiff } from './AuditDiff.js';

const COLOR: Record<string, string> = { create: 'green', delete: 'red', deactivate: 'red', revoke: 'red', move: 'blue', import_create: 'green' };

function colorOf(action: string): string {
  const verb = action.slice(action.indexOf('.') + 1);
  return COLOR[verb] ?? 'blue';
}

/** Audit events of one thing (a unit, a person), newest first, with what changed. */
export function HistoryTimeline({ events, emptyText }: { events: AuditEvent[]; emptyText: string }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />;
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.seq,
        color: colorOf(e.action),
        content: (
          <div>
            <div>
              <Tag color={colorOf(e.action)} style={{ marginInlineEnd: 6 }}>
                {actionLabel(t, e.action)}
              </Tag>
              <Typography.Text>{e.actorName ?? t('common.system')}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
                {formatTime(e.at)}
              </Typography.Text>
            </div>
            <AuditDiff before={e.before} after={e.after} compact />
          </div>
        ),
      }))}
    />
  );
}
