import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api.js';
import type { NotificationView } from '../types.js';
import { qk } from './queries.js';

/** Marks notifications read (some, or all) and refreshes the bell and lists. */
export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { ids?: number[]; all?: true }) => api.post<unknown>('/notifications/read', body),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.notifications }),
  });
}

/** Opening a notification: it becomes read, and its case opens. */
export function useOpenNotification(after?: () => void) {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  return (n: NotificationView) => {
    if (!n.read) markRead.mutate({ ids: [n.id] });
    after?.();
    if (n.caseId != null) navigate(`/cases/${n.caseId}`);
  };
}
