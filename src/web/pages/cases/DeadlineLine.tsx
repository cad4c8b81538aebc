import { InfoCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Flex, Popover, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Countdown } from '../../components/Countdown.js';
import { clockLabel, DEADLINE_COLOR, deadlineStateLabel } from '../../lib/cases.js';
import { formatTime } from '../../lib/format.js';
import type { CaseDeadline } from '../../types.js';

/** The working-day explanation of a deadline, one line each. */
export function Explanation({ lines }: { lines: string[] }) {
  return (
    <ol style={{ margin: 0, paddingInlineStart: 18, maxWidth: 360 }} data-testid="deadline-explanation">
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are a fixed, ordered explanation.
        <li key={i}>{l}</li>
      ))}
    </ol>
  );
}

/** One deadline: what it is for, when, its state (a live countdown while it runs), how it was counted, warnings. */
export function DeadlineLine({ deadline }: { deadline: CaseDeadline }) {
  const { t } = useTranslation();
  const d = deadline;
  return (
    <div className="deadline-line" data-testid={`deadline-${d.clock}`}>
      <Flex gap={6} align="center" wrap>
        <Typography.Text type="secondary">{d.clockLabel || clockLabel(t, d.clock)}</Typography.Text>
        <Typography.Text style={{ whiteSpace: 'nowrap' }}>{formatTime(d.dueAt)}</Typography.Text>
        {d.explanation.length > 0 ? (
          <Popover title={t('caseDetail.explanation')} content={<Explanation lines={d.explanation} />} trigger="click">
            <Button type="link" size="small" icon={<InfoCircleOutlined />} aria-label={t('caseDetail.explanation')} style={{ paddingInline: 2 }} />
          </Popover>
        ) : null}
        {d.state === 'running' ? (
          <Countdown dueAt={d.dueAt} soonAt={d.soonAt} />
        ) : (
          <Tag color={DEADLINE_COLOR[d.state]} style={{ marginInlineEnd: 0 }}>
            {deadlineStateLabel(t, d.state)}
          </Tag>
        )}
      </Flex>
      {d.flags.length > 0 ? (
        <Flex gap={4} wrap style={{ marginTop: 2 }}>
          {d.flags.map((f) => (
            <Tag key={f} color="warning" icon={<WarningOutlined />} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
              {f}
            </Tag>
          ))}
        </Flex>
      ) : null}
    </div>
  );
}
