import type { PolicyKey } from '../policy/index.js';

/**
 * Assessment rules: what an event is for, and which policies give its points and money
 * (DOMAIN.md §9). Later modules add their rules here; the ledger itself does not change.
 */
export interface AssessmentRule {
  code: string;
  nameZh: string;
  nameEn: string;
  /** The policies giving the amounts; a rule without one has none of that kind (0). */
  points?: PolicyKey;
  money?: PolicyKey;
  /** Debit (扣分/罚款) unless the rule rewards. */
  direction?: 'debit' | 'credit';
  /** The seed clause the rule comes from. */
  source: string;
}

/** What the office enters by hand (手工录入): amounts and reason come with the entry, not from a policy. */
export const MANUAL_RULE = 'manual';

export const ASSESSMENT_RULES: readonly AssessmentRule[] = [
  {
    code: 'contact_form.no_sign_in_time',
    nameZh: '未在1个工作日内签收或提出异议',
    nameEn: 'Neither signed nor objected within the time limit',
    points: 'assessment.points.contact_form.no_sign_in_time',
    money: 'assessment.money.contact_form.no_sign_in_time',
    source: 'seed article 8, 考核: 拒不签收, 未在1个工作日内向签发领导报告修改意见',
  },
  {
    code: 'contact_form.finished_late',
    nameZh: '超出完成时限',
    nameEn: 'Finished after the deadline',
    points: 'assessment.points.contact_form.finished_late',
    money: 'assessment.money.contact_form.finished_late',
    source: 'seed article 8, 考核: 办理任务超出完成时限',
  },
  {
    code: 'contact_form.substandard_late',
    nameZh: '未达到完成标准且超出完成时限',
    nameEn: 'Substandard and late',
    points: 'assessment.points.contact_form.substandard_late',
    money: 'assessment.money.contact_form.substandard_late',
    source: 'seed article 8, 考核: 未达到完成标准, 且超出完成时限',
  },
  {
    code: 'commission_letter.delivered_late',
    nameZh: '委托书成果超期交付',
    nameEn: 'Commissioned work delivered late',
    points: 'assessment.points.commission_letter.delivered_late',
    money: 'assessment.money.commission_letter.delivered_late',
    source: 'seed 2, 委托书: 成果按委托期限交付 (15/30 days); the seed names no amount',
  },
  {
    code: MANUAL_RULE,
    nameZh: '手工录入',
    nameEn: 'Entered by hand',
    source: 'seed 2, 考核: 办公室可根据信息质量酌情加减分 (the office adds or subtracts, with a reason)',
  },
  // A liaison officer's dismissal fans out into three entries (seed 2, 解聘; see dismissalEntries).
  {
    code: 'liaison_officer.dismissal.allowance',
    nameZh: '联络员解聘：取消津贴',
    nameEn: 'Liaison officer dismissed: allowance cancelled',
    money: 'assessment.money.liaison_officer.dismissal.allowance',
    source: 'seed 2, 解聘: 取消其联络员津贴 (the allowance base, 1000 元)',
  },
  {
    code: 'liaison_officer.dismissal.unit',
    nameZh: '联络员解聘：所在单位当月考核扣分',
    nameEn: 'Liaison officer dismissed: the unit loses points that month',
    points: 'assessment.points.liaison_officer.dismissal.unit',
    source: 'seed 2, 解聘: 所在单位当月单位考核扣1分',
  },
  {
    code: 'liaison_officer.dismissal.unit_head',
    nameZh: '联络员解聘：单位负责人罚款',
    nameEn: 'Liaison officer dismissed: the unit head is fined',
    money: 'assessment.money.liaison_officer.dismissal.unit_head',
    source: 'seed 2, 解聘: 单位负责人罚款200元',
  },
];

/** One entry an event fans out into, before its amounts are read from the rule's policies. */
export interface FanOutEntry {
  rule: string;
  subject: { kind: 'unit' | 'person'; id: number };
  /** The unit the entry is filed under (a person's unit). */
  scopeUnitId: number;
}

/**
 * A liaison officer's dismissal (seed 2, 解聘: 敷衍应付或散布虚假信息): the allowance cancelled, the
 * officer's unit −1 in that month's unit assessment, the unit head fined 200 元 — three entries of
 * one event. The liaison-officer module calls the ledger's `fanOut` with these.
 */
export function dismissalEntries(p: { officerPersonId: number; unitId: number; unitHeadPersonId: number }): FanOutEntry[] {
  return [
    { rule: 'liaison_officer.dismissal.allowance', subject: { kind: 'person', id: p.officerPersonId }, scopeUnitId: p.unitId },
    { rule: 'liaison_officer.dismissal.unit', subject: { kind: 'unit', id: p.unitId }, scopeUnitId: p.unitId },
    { rule: 'liaison_officer.dismissal.unit_head', subject: { kind: 'person', id: p.unitHeadPersonId }, scopeUnitId: p.unitId },
  ];
}

export const ruleByCode = (code: string) => ASSESSMENT_RULES.find((r) => r.code === code);

export const ruleName = (code: string, lang: 'zh-CN' | 'en') => {
  const r = ruleByCode(code);
  return r ? (lang === 'en' ? r.nameEn : r.nameZh) : code;
};
