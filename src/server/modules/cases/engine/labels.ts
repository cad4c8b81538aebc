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
  // issue 9 §4: cases that make cases, and merging.
  'action.children_created': { zh: '生成下级表单', en: 'Child cases created' },
  'action.merge': { zh: '合并到其他表单', en: 'Merged into another case' },
  'action.merged_in': { zh: '并入表单', en: 'Case merged in' },
  'action.merge_result': { zh: '随合并表单办结', en: 'Concluded with the case it was merged into' },
  // The heading over a case's parts on its page, unless a type names them (接收人, 参会人员).
  'section.parts': { zh: '接收单位', en: 'Receiving units' },
  // The inbox's task for a role the state does not name, and the fallback of a state without a task label.
  'task.supervision': { zh: '待我督办', en: 'To supervise' },
  'task.any': { zh: '待我处理', en: 'To act on' },
  // What an action's input asks for (issue 9 §1: the web builds each dialog from the input's schema);
  // a type names an input of one action otherwise with `input.<action>.<name>`.
  'input.reason': { zh: '理由', en: 'Reason' },
  'input.note': { zh: '说明（可不填）', en: 'Note (optional)' },
  'input.handlerPersonId': { zh: '承办人', en: 'Handled by' },
  'placeholder.handlerPersonId': { zh: '选择本单位的承办人', en: 'Choose a person of your unit' },
  'input.dueDate': { zh: '期限', en: 'Due date' },
  'input.result': { zh: '办理结果', en: 'Result' },
};
