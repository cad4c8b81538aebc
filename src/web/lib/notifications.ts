import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api.js';
import type { NotificationView } from '../types.js';
import { qk } from './queries.js';

/** Marks notifications read (some, or all) and refreshes the bell and lists; a refusal is said, not swallowed. */
export function useMarkRead() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (body: { ids?: number[]; all?: true }) => api.post<unknown>('/notifications/read', body),
    onError: (e) => void message?.error(e.message),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.notifications }),
  });
}

/** Where a notification leads: its ledger entry when it is about an assessment, else its case. */
export function notificationTarget(n: Pick<NotificationView, 'caseId' | 'assessmentId'>): string | null {
  if (n.assessmentId != null) return `/assessments?entry=${n.assessmentId}`;
  if (n.caseId != null) return `/cases/${n.caseId}`;
  return null;
}

/** Opening a notification: it becomes read, and what it is about opens. */
export function useOpenNotification(after?: () => void) {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  return (n: NotificationView) => {
    if (!n.read) markRead.mutate({ ids: [n.id] });
    after?.();
    const to = notificationTarget(n);
    if (to) navigate(to);
  };
}
