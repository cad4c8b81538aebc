import { ClockCircleOutlined } from '@ant-design/icons';
import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { countdownText, remaining, urgency, useNow } from '../lib/countdown.js';
import { formatTime } from '../lib/format.js';

interface Props {
  dueAt: string | null | undefined;
  /** From when it is due within a working day (orange); the server counts it on the calendar. */
  soonAt?: string | null;
  /** Show the due time itself next to the countdown. */
  showDue?: boolean;
}

/**
 * A live countdown to a deadline: "剩 3小时" (orange within a working day), "已超期 2天" in red. The
 * colour follows the countdown itself, so the text and its colour never disagree.
 */
export function Countdown({ dueAt, soonAt, showDue }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  if (!dueAt) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const r = remaining(dueAt, now);
  if (!r) return <span>{dueAt}</span>;
  const u = urgency(dueAt, soonAt, now);
  const late = u === 'overdue';
  const type = late ? 'danger' : u === 'soon' ? 'warning' : undefined;
  const text = countdownText(t, r);
  return (
    <Tooltip title={t('countdown.dueAt', { time: formatTime(dueAt) })}>
      <span style={{ whiteSpace: 'nowrap' }} data-testid="countdown" data-overdue={late ? 'true' : 'false'} data-urgency={u}>
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
