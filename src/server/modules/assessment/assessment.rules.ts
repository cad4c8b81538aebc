import type { PolicyKey } from '../policy/index.js';

/**
 * Assessment rules: what an event is for, and which policies give its points and money
 * (DOMAIN.md §9). Later modules add their rules here; the ledger itself does not change.
 */
export interface AssessmentRule {
  code: string;
  nameZh: string;
  nameEn: string;
  points: PolicyKey;
  money: PolicyKey;
  /** The seed clause the rule comes from. */
  source: string;
}

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
];

export const ruleByCode = (code: string) => ASSESSMENT_RULES.find((r) => r.code === code);

export const ruleName = (code: string, lang: 'zh-CN' | 'en') => {
  const r = ruleByCode(code);
  return r ? (lang === 'en' ? r.nameEn : r.nameZh) : code;
};
