import { ClockCircleOutlined } from '@ant-design/icons';
import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { countdownText, remaining, useNow } from '../lib/countdown.js';
import { formatTime } from '../lib/format.js';

interface Props {
  dueAt: string | null | undefined;
  /** Treat as overdue even before the time is up (the server marked it). */
  overdue?: boolean;
  /** Show the due time itself next to the countdown. */
  showDue?: boolean;
}

/** A live countdown to a deadline: "剩 3小时" (orange under a day), "已超期 2天" in red. */
export function Countdown({ dueAt, overdue, showDue }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  if (!dueAt) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const r = remaining(dueAt, now);
  if (!r) return <span>{dueAt}</span>;
  const late = r.overdue || !!overdue;
  const type = late ? 'danger' : r.ms < 24 * 3600_000 ? 'warning' : undefined;
  const text = countdownText(t, r);
  return (
    <Tooltip title={t('countdown.dueAt', { time: formatTime(dueAt) })}>
      <span style={{ whiteSpace: 'nowrap' }} data-testid="countdown" data-overdue={late ? 'true' : 'false'}>
        <Typography.Text type={type} strong={late} style={late ? { color: '#cf1322' } : undefined}>
          <ClockCircleOutlined style={{ marginInlineEnd: 4 }} />
          {text}
        </Typography.Text>
        {showDue ? (
          <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }}>
            {formatTime(dueAt)}
          </Typography.Text>
        ) : null}
      </span>
    </Tooltip>
  );
}
