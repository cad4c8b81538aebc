import type { Lang } from '../../platform/http/messages.js';

/**
 * Notification texts, rendered when read so each person sees their own language. Parameters:
 * number, title, actor, due (local time), reason, unit.
 */
const TEXTS: Record<string, Record<Lang, string>> = {
  'cf.submitted': {
    'zh-CN': '{actor} 提交了工作联系单 {number}《{title}》，请审核签发',
    en: '{actor} submitted contact form {number} "{title}" for your signature',
  },
  'cf.issued': {
    'zh-CN': '工作联系单 {number}《{title}》已签发，请于 {due} 前签收或提出异议',
    en: 'Contact form {number} "{title}" was issued: sign for it or object by {due}',
  },
  'cf.issued_to_drafter': { 'zh-CN': '工作联系单 {number}《{title}》已由 {actor} 签发', en: 'Contact form {number} "{title}" was issued by {actor}' },
  'cf.sent_back': {
    'zh-CN': '工作联系单 {number}《{title}》被 {actor} 退回：{reason}',
    en: 'Contact form {number} "{title}" was sent back by {actor}: {reason}',
  },
  'cf.signed': { 'zh-CN': '{unit} 已签收工作联系单 {number}《{title}》', en: '{unit} signed for contact form {number} "{title}"' },
  'cf.objected': { 'zh-CN': '{unit} 对工作联系单 {number}《{title}》提出异议：{reason}', en: '{unit} objected to contact form {number} "{title}": {reason}' },
  'cf.objection_rejected': {
    'zh-CN': '对工作联系单 {number} 的异议未获支持，请于 {due} 前签收：{reason}',
    en: 'The objection to contact form {number} was rejected; sign for it by {due}: {reason}',
  },
  'cf.objection_upheld': {
    'zh-CN': '对工作联系单 {number} 的异议成立，发单单位将修改后重新发起：{reason}',
    en: 'The objection to contact form {number} was upheld; it will be revised and re-issued: {reason}',
  },
  'cf.progress': { 'zh-CN': '{unit} 报告了工作联系单 {number} 的进展', en: '{unit} reported progress on contact form {number}' },
  'cf.extension_requested': {
    'zh-CN': '{unit} 申请将工作联系单 {number} 延期：{reason}',
    en: '{unit} asks for an extension of contact form {number}: {reason}',
  },
  'cf.extension_granted': { 'zh-CN': '工作联系单 {number} 延期已批准，新期限 {due}', en: 'Extension of contact form {number} granted; new deadline {due}' },
  'cf.extension_refused': { 'zh-CN': '工作联系单 {number} 延期未获批准：{reason}', en: 'Extension of contact form {number} refused: {reason}' },
  'cf.replied': {
    'zh-CN': '{unit} 提交了工作联系单 {number} 的工作回复单，请于 {due} 前审核',
    en: '{unit} filed the reply to contact form {number}; review it by {due}',
  },
  'cf.accepted': { 'zh-CN': '工作联系单 {number} 已验收销号', en: 'Contact form {number} was accepted and closed' },
  'cf.returned': {
    'zh-CN': '工作联系单 {number} 的回复未通过，请继续办理并于 {due} 前重新回复：{reason}',
    en: 'The reply to contact form {number} was returned; reply again by {due}: {reason}',
  },
  'cf.supervision_requested': {
    'zh-CN': '{actor} 申请将工作联系单 {number}《{title}》纳入督察督办：{reason}',
    en: '{actor} asks to put contact form {number} "{title}" under supervision: {reason}',
  },
  'cf.escalated': {
    'zh-CN': '工作联系单 {number}《{title}》已纳入督察督办，督办期限 {due}',
    en: 'Contact form {number} "{title}" is now under supervision, due {due}',
  },
  'cf.supervision_note': { 'zh-CN': '督办意见（工作联系单 {number}）：{reason}', en: 'Supervision note on contact form {number}: {reason}' },
  'cf.supervision_result': { 'zh-CN': '工作联系单 {number} 督办结果：{reason}', en: 'Supervision result for contact form {number}: {reason}' },
  'cf.sign_overdue': {
    'zh-CN': '{unit} 未在期限（{due}）内签收或提出异议：工作联系单 {number}《{title}》',
    en: '{unit} neither signed nor objected by {due}: contact form {number} "{title}"',
  },
  'cf.complete_overdue': {
    'zh-CN': '工作联系单 {number}《{title}》已超出完成时限（{due}）',
    en: 'Contact form {number} "{title}" is past its completion deadline ({due})',
  },
  'cf.review_overdue': { 'zh-CN': '工作联系单 {number} 的回复超期未审核（期限 {due}）', en: 'The reply to contact form {number} was not reviewed by {due}' },
  'cf.supervision_overdue': { 'zh-CN': '工作联系单 {number} 督办超期（期限 {due}）', en: 'Supervision of contact form {number} is overdue ({due})' },
  // 委托书 (commission letters, seed 2)
  'cl.submitted': {
    'zh-CN': '{actor} 提交了委托书 {number}《{title}》，请签字',
    en: '{actor} submitted commission letter {number} "{title}" for your signature',
  },
  'cl.issued': { 'zh-CN': '委托书 {number}《{title}》已送达，请签收', en: 'Commission letter {number} "{title}" has been sent to you: acknowledge receipt' },
  'cl.issued_to_drafter': { 'zh-CN': '委托书 {number}《{title}》已签发送出', en: 'Commission letter {number} "{title}" was signed and sent' },
  'cl.sent_back': {
    'zh-CN': '委托书 {number}《{title}》被 {actor} 退回：{reason}',
    en: 'Commission letter {number} "{title}" was sent back by {actor}: {reason}',
  },
  'cl.received': { 'zh-CN': '{unit} 已签收委托书 {number}，交付期限 {due}', en: '{unit} received commission letter {number}; delivery due {due}' },
  'cl.progress': { 'zh-CN': '{unit} 报告了委托书 {number} 的进展', en: '{unit} reported progress on commission letter {number}' },
  'cl.delivered': { 'zh-CN': '{unit} 已交付委托书 {number} 的成果，请验收', en: '{unit} delivered the work of commission letter {number}; please review it' },
  'cl.accepted': { 'zh-CN': '委托书 {number} 的成果已验收', en: 'The work of commission letter {number} was accepted' },
  'cl.returned': {
    'zh-CN': '委托书 {number} 的成果被退回，请于 {due} 前重新交付：{reason}',
    en: 'The work of commission letter {number} was returned; deliver again by {due}: {reason}',
  },
  'cl.receipt_overdue': {
    'zh-CN': '{unit} 未按时签收委托书 {number}《{title}》（期限 {due}）',
    en: '{unit} did not acknowledge commission letter {number} "{title}" by {due}',
  },
  'cl.deliver_overdue': {
    'zh-CN': '委托书 {number}《{title}》已超出交付期限（{due}）',
    en: 'Commission letter {number} "{title}" is past its delivery date ({due})',
  },
  // 通知单 (notices, seed 2)
  'nt.issued': { 'zh-CN': '通知单 {number}《{title}》已发出，请于 {due} 前确认收到', en: 'Notice {number} "{title}" was issued: acknowledge it by {due}' },
  'nt.issued_to_leader': { 'zh-CN': '{actor} 发出了通知单 {number}《{title}》', en: '{actor} issued notice {number} "{title}"' },
  'nt.breakthrough_issued': {
    'zh-CN': '贯通通知单 {number}《{title}》：两巷道距离已达贯通预警，请于 {due} 前确认收到',
    en: 'Breakthrough notice {number} "{title}": the headings are within the warning distance; acknowledge by {due}',
  },
  'nt.acknowledged': { 'zh-CN': '{unit} 已确认收到通知单 {number}', en: '{unit} acknowledged notice {number}' },
  'nt.heading_stopped': {
    'zh-CN': '贯通通知单 {number}：已记录停止一头掘进（{reason}）',
    en: 'Breakthrough notice {number}: one heading is recorded as stopped ({reason})',
  },
  'nt.ack_overdue': {
    'zh-CN': '{unit} 未按时确认收到通知单 {number}《{title}》（期限 {due}）',
    en: '{unit} did not acknowledge notice {number} "{title}" by {due}',
  },
  // The article-1 and article-2 forms drawn from their schema (issue 9 §9)
  'af.acknowledged': { 'zh-CN': '{unit} 已确认收到 {number}《{title}》', en: '{unit} acknowledged {number} "{title}"' },
  'ir.reported': {
    'zh-CN': '{actor} 汇报了 {number}《{title}》，请于 {due} 前确认收到',
    en: '{actor} reported {number} "{title}": acknowledge it by {due}',
  },
  'ir.overdue': {
    'zh-CN': '{number}《{title}》未在发生后规定时间内汇报并确认收到（期限 {due}）',
    en: '{number} "{title}" was not reported and acknowledged in time after it happened ({due})',
  },
  'wd.sent': {
    'zh-CN': '重要井巷工程设计图纸 {number}《{title}》已提供，请签收并于 {due} 前记录业务会商定的贯通偏差',
    en: 'Drawings {number} "{title}" were sent: sign for them and record the agreed deviation by {due}',
  },
  'wd.sent_to_chief': {
    'zh-CN': '{actor} 向地测提供了设计图纸 {number}《{title}》，请主持业务会商定贯通偏差及有关要求',
    en: '{actor} sent drawings {number} "{title}" to the survey department: the deviation is to be agreed at your business meeting',
  },
  'wd.agreed': { 'zh-CN': '{unit} 已记录 {number}《{title}》商定的贯通偏差及要求', en: '{unit} recorded the agreed deviation for {number} "{title}"' },
  'wd.agree_overdue': {
    'zh-CN': '{unit} 未在施工前记录 {number}《{title}》商定的贯通偏差（期限 {due}）',
    en: '{unit} did not record the agreed deviation for {number} "{title}" before the work ({due})',
  },
  'pc.issued': {
    'zh-CN': '预防丢煤通知单 {number}《{title}》已发出，请于 {due} 前确认收到',
    en: 'Coal loss notice {number} "{title}" was issued: acknowledge it by {due}',
  },
  'pc.reported_to_chief': {
    'zh-CN': '{actor} 发出预防丢煤通知单 {number}《{title}》，特此汇报',
    en: '{actor} issued coal loss notice {number} "{title}" and reports it to you',
  },
  'pc.ack_overdue': {
    'zh-CN': '{unit} 未按时确认收到预防丢煤通知单 {number}《{title}》（期限 {due}）',
    en: '{unit} did not acknowledge coal loss notice {number} "{title}" by {due}',
  },
  // 操作票 (operation tickets, seed 1)
  'ot.awaiting_signature': { 'zh-CN': '操作票 {number}《{title}》等待您签字', en: 'Operation ticket {number} "{title}" awaits your signature' },
  'ot.may_start': { 'zh-CN': '操作票 {number}《{title}》审批已完成，可以操作', en: 'Operation ticket {number} "{title}" is approved: the operation may start' },
  'ot.sent_back': {
    'zh-CN': '操作票 {number}《{title}》被 {actor} 退回：{reason}',
    en: 'Operation ticket {number} "{title}" was sent back by {actor}: {reason}',
  },
  'ot.completed': { 'zh-CN': '操作票 {number}《{title}》已操作完成，请值长终结', en: 'Operation ticket {number} "{title}" was carried out; please close it' },
  'ot.closed': { 'zh-CN': '操作票 {number}《{title}》已终结', en: 'Operation ticket {number} "{title}" is closed' },
  'case.reminder': { 'zh-CN': '提醒：{number}《{title}》将于 {due} 到期', en: 'Reminder: {number} "{title}" is due at {due}' },
  // issue 9 §4: a merged case follows the one it was merged into.
  'case.merged': { 'zh-CN': '{number}《{title}》已由 {actor} 合并到 {target} 办理', en: '{number} "{title}" was merged into {target} by {actor}' },
  'case.merge_result': { 'zh-CN': '{number}《{title}》已随 {target} 办结：{result}', en: '{number} "{title}" is concluded with {target}: {result}' },
  'assessment.proposed': {
    'zh-CN': '系统对 {unit} 提出考核建议（{rule}，{number}），请确认',
    en: 'An assessment of {unit} is proposed ({rule}, {number}); please confirm',
  },
  'assessment.confirmed': {
    'zh-CN': '{unit} 被提出考核（{rule}，{number}），如有异议请于 {due} 前申诉',
    en: '{unit} is assessed ({rule}, {number}); appeal by {due} if you disagree',
  },
  'assessment.appealed': { 'zh-CN': '{unit} 对考核（{rule}，{number}）提出申诉：{reason}', en: '{unit} appealed the assessment ({rule}, {number}): {reason}' },
  'assessment.ruled': { 'zh-CN': '考核（{rule}，{number}）已裁定：{reason}', en: 'The assessment ({rule}, {number}) was ruled on: {reason}' },
};

export function renderNotification(kind: string, params: Record<string, unknown>, lang: Lang): string {
  const template = TEXTS[kind]?.[lang] ?? kind;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === null || v === undefined || v === '' ? '—' : String(v);
  });
}

export const NOTIFICATION_KINDS = Object.keys(TEXTS);
