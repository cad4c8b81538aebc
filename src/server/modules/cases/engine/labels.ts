/** Names of what the engine itself records on every case's timeline; a case type may rename them. */
export const ENGINE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  'action.create': { zh: '起草', en: 'Drafted' },
  'action.edit': { zh: '修改', en: 'Edited' },
  'action.comment': { zh: '评论', en: 'Comment' },
  'action.attach': { zh: '上传附件', en: 'Attachment added' },
  'action.link': { zh: '关联表单', en: 'Linked' },
  'action.clock_expired': { zh: '超期', en: 'Deadline missed' },
  'action.reminder': { zh: '到期提醒', en: 'Reminder' },
  'action.moved': { zh: '自动转入', en: 'Moved automatically' },
  // The inbox's task for a role the state does not name, and the fallback of a state without a task label.
  'task.supervision': { zh: '待我督办', en: 'To supervise' },
  'task.any': { zh: '待我处理', en: 'To act on' },
};
