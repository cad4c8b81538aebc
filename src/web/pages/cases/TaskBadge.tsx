import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { countdownText, remaining, urgency, useNow } from '../../lib/countdown.js';
import { formatTime } from '../../lib/format.js';
import type { CaseSummaryView } from '../../types.js';

type Task = NonNullable<CaseSummaryView['task']>;

const COLOR = { overdue: 'red', soon: 'orange', later: 'blue' } as const;

/**
 * What I must do on a case and how long I have (issue 8, "the inbox says what I must do"):
 * "待我签收 · 剩 1天" — red once overdue, orange within a working day, blue otherwise.
 */
export function TaskBadge({ task }: { task: Task }) {
  const { t } = useTranslation();
  const now = useNow();
  const r = task.dueAt ? remaining(task.dueAt, now) : null;
  const u = task.dueAt && r ? urgency(task.dueAt, task.soonAt, now) : 'later';
  const tag = (
    <Tag color={COLOR[u]} style={{ marginInlineEnd: 0, whiteSpace: 'nowrap' }} data-testid="task-badge" data-urgency={u}>
      {r ? `${task.label} · ${countdownText(t, r)}` : task.label}
    </Tag>
  );
  return task.dueAt ? <Tooltip title={t('countdown.dueAt', { time: formatTime(task.dueAt) })}>{tag}</Tooltip> : tag;
}
