import { z } from 'zod';

/**
 * Every number the rules depend on is a policy: a typed default that names its source, which the
 * organization may override (stored in the `policy` table, validated by the same schema).
 *
 * `scope` (issue 9 §8, ADR 0011): a `unit` policy may also be overridden for a unit and everything
 * below it (`policy_unit`), so a group's power plant and coal mine keep different rules; an `org`
 * policy is install-wide by nature (one calendar and time zone, one login throttle, one backup
 * schedule) and only the organization's value exists.
 */
export type PolicyScope = 'unit' | 'org';

/** An org role code (角色代码), as org data spells them. */
const RoleCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);

export const POLICIES = {
  'calendar.workdayEnd': {
    scope: 'org',
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    default: '17:30',
    source: 'DOMAIN.md §2: end of the working day 17:30',
  },
  'calendar.workdayStart': {
    scope: 'org',
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    default: '08:30',
    source: 'common office hours (no seed names it); used for working-time elapsed',
  },
  'auth.throttleFreeAttempts': {
    scope: 'org',
    schema: z.number().int().min(1).max(20),
    default: 3,
    source: 'issue 8 §6 / OWASP ASVS V2.2.1: wrong passwords for one user name from one address before the next try has to wait',
  },
  'auth.throttleBaseSeconds': {
    scope: 'org',
    schema: z.number().int().min(1).max(60),
    default: 1,
    source: 'issue 8 §6 / OWASP ASVS V2.2.1: the first wait; it doubles with each further wrong password',
  },
  'auth.throttleMaxSeconds': {
    scope: 'org',
    schema: z.number().int().min(10).max(3600),
    default: 900,
    source: 'issue 8 §6 / OWASP ASVS V2.2.1: the longest wait (15 minutes); throttling, never a lockout',
  },
  'auth.throttleForgetMinutes': {
    scope: 'org',
    schema: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
    default: 24 * 60,
    source: 'issue 8 §6: failed logins older than a day are forgotten',
  },
  'auth.sessionIdleMinutes': {
    scope: 'org',
    schema: z
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 30),
    default: 12 * 60,
    source: 'sliding session expiry: a working day and a half without activity',
  },
  'delegation.maxDays': {
    scope: 'org',
    schema: z.number().int().min(1).max(366),
    default: 90,
    source:
      'issue 9 §2 (委托代理 for a leader away on business or leave); no seed rulebook names a limit: a quarter, longer is a change of post (任免), not a stand-in',
  },
  'contactForm.signWorkingDays': {
    scope: 'unit',
    schema: z.number().int().min(0).max(30),
    default: 1,
    source: 'DOMAIN.md §3.3 (seed article 8): sign for it or object within 1 working day',
  },
  'contactForm.reviewWorkingDays': {
    scope: 'unit',
    schema: z.number().int().min(0).max(30),
    default: 2,
    source: 'issue 4 §6: the initiator reviews a reply within a policy time; seed article 8 names none, 2 working days',
  },
  'contactForm.supervisionWorkingDays': {
    scope: 'unit',
    schema: z.number().int().min(1).max(60),
    default: 3,
    source: 'issue 4 §7: supervision gets its own deadline; seed article 8 names none, 3 working days',
  },
  'cases.reminderWorkingHours': {
    scope: 'unit',
    schema: z.number().min(0).max(24),
    default: 2,
    source: 'issue 4: pre-breach reminder 2 working hours before a sign-or-object deadline',
  },
  'assessment.appealWorkingDays': {
    scope: 'unit',
    schema: z.number().int().min(0).max(30),
    default: 1,
    source: 'DOMAIN.md §3.7 (seed article 8): the assessed unit may appeal within 1 working day',
  },
  'assessment.points.contact_form.no_sign_in_time': {
    scope: 'unit',
    schema: z.number().min(0).max(100),
    default: 1,
    source: 'seed article 8 names no amount; 1 point as in seed 2 (考核扣1分)',
  },
  'assessment.points.contact_form.finished_late': {
    scope: 'unit',
    schema: z.number().min(0).max(100),
    default: 1,
    source: 'seed article 8 names no amount; 1 point as in seed 2 (考核扣1分)',
  },
  'assessment.points.contact_form.substandard_late': {
    scope: 'unit',
    schema: z.number().min(0).max(100),
    default: 2,
    source: 'seed article 8 names no amount; substandard and late weighs double the late case',
  },
  'assessment.points.commission_letter.delivered_late': {
    scope: 'unit',
    schema: z.number().min(0).max(100),
    default: 1,
    source: 'seed 2 names no amount for a late commissioned report; 1 point as its other clauses (考核扣1分)',
  },
  'assessment.money.commission_letter.delivered_late': {
    scope: 'unit',
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed 2 names no fine for a late commissioned report; organizations set their own',
  },
  'assessment.money.contact_form.no_sign_in_time': {
    scope: 'unit',
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed article 8 names no fine; organizations set their own (seed 2 uses 200 元 for a unit head)',
  },
  'assessment.money.contact_form.finished_late': {
    scope: 'unit',
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed article 8 names no fine; organizations set their own',
  },
  'assessment.money.contact_form.substandard_late': {
    scope: 'unit',
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed article 8 names no fine; organizations set their own',
  },
  'assessment.money.liaison_officer.dismissal.allowance': {
    scope: 'unit',
    schema: z.number().min(0).max(100000),
    default: 1000,
    source: 'seed 2, 解聘: 取消联络员津贴; the allowance base is 1000 元 (津贴基数1000元 × 系数)',
  },
  'assessment.points.liaison_officer.dismissal.unit': {
    scope: 'unit',
    schema: z.number().min(0).max(100),
    default: 1,
    source: 'seed 2, 解聘: 所在单位当月单位考核扣1分',
  },
  'assessment.money.liaison_officer.dismissal.unit_head': {
    scope: 'unit',
    schema: z.number().min(0).max(100000),
    default: 200,
    source: 'seed 2, 解聘: 对单位负责人罚款200元',
  },
  'commission.receiptWorkingDays': {
    scope: 'unit',
    schema: z.number().int().min(0).max(30),
    default: 1,
    source: 'seed article 2 names no time to sign for a 委托书; 1 working day as the contact form (seed article 8: 1个工作日内签收)',
  },
  'commission.headingReportDays': {
    scope: 'unit',
    schema: z.number().int().min(1).max(365),
    default: 15,
    source: 'seed article 2 (地测 工作联系制度) 一.2: 工作面掘进地质说明书在接到委托书后15天内提交 (calendar days from receipt)',
  },
  'commission.coalFaceReportDays': {
    scope: 'unit',
    schema: z.number().int().min(1).max(365),
    default: 30,
    source: 'seed article 2 (地测 工作联系制度) 一.2: 回采工作面地质说明书在接到委托书后30天内提交 (calendar days from receipt)',
  },
  'notice.workStartLeadDays': {
    scope: 'unit',
    schema: z.number().int().min(0).max(60),
    default: 3,
    source: 'seed article 2 (地测 工作联系制度) 二.1: 各类巷道开口,生产部门提前3天提交开工通知单,停工或复工 (calendar days before the work date)',
  },
  'notice.breakthroughCoalMeters': {
    scope: 'unit',
    schema: z.number().min(0).max(1000),
    default: 20,
    source: 'seed article 2 (地测 工作联系制度) 二.4: 贯通巷道,在煤巷中两掘进头距20m时,必须发放贯通通知单,停止一头掘进',
  },
  'notice.breakthroughRockMeters': {
    scope: 'unit',
    schema: z.number().min(0).max(1000),
    default: 15,
    source: 'seed article 2 (地测 工作联系制度) 二.4: 两掘进头距20m(岩巷15m)时必须发放贯通通知单',
  },
  'notice.acknowledgeHours': {
    scope: 'unit',
    schema: z.number().min(0.5).max(168),
    default: 8,
    source: 'seed article 2 names no time to acknowledge a 通知单; one 8-hour mining shift, in natural hours (headings are driven around the clock)',
  },
  'commission.districtLeadYears': {
    scope: 'unit',
    schema: z.number().int().min(0).max(10),
    default: 2,
    source:
      'seed article 2 (地测 工作联系制度) 一.1: 采区设计所需采区地质说明书,在设计前两年提交委托书 (years before the design date; a holiday moves it to the working day before)',
  },
  'drawings.leadDays': {
    scope: 'unit',
    schema: z.number().int().min(0).max(60),
    default: 3,
    source: 'seed article 2 (地测 工作联系制度) 一.4: 重要井巷工程,应提前3天向地测专业提供设计图纸 (calendar days before the work date)',
  },
  'incident.reportHours': {
    scope: 'unit',
    schema: z.number().min(1).max(168),
    default: 24,
    source:
      'seed article 1 (发电部 工作联系汇报制度) 5.3.3: 发生异常现象在24小时以内汇报; 5.3.4: 故障发生后的24小时以内提出故障报告 (hours from the occurrence)',
  },
  // ---- org role codes the case types resolve roles with (issue 9 §2, ADR 0014) ----
  'roles.office': {
    scope: 'org',
    schema: RoleCode,
    default: 'office',
    source: 'issue 4 (ADR 0005): the office (办公室) over the initiating unit is told about late work and proposes assessments; the role code of org data',
  },
  'roles.supervision': {
    scope: 'org',
    schema: RoleCode,
    default: 'supervision',
    source: 'issue 4 (ADR 0005): supervision (督办/监察) over the initiating unit escalates and follows up; the role code of org data',
  },
  'roles.hr': {
    scope: 'org',
    schema: RoleCode,
    default: 'hr',
    source: 'issue 9 §2: the human resources role (人力资源) a type may name; the role code of org data',
  },
  'roles.chair': {
    scope: 'org',
    schema: RoleCode,
    default: 'chair',
    source: "issue 9 §2: the chair (主持人) of a gathering a type may name; no seed role, set to the organization's code",
  },
  'roles.secretary': {
    scope: 'org',
    schema: RoleCode,
    default: 'secretary',
    source: "issue 9 §2: the secretary (记录人/秘书) of a gathering a type may name; no seed role, set to the organization's code",
  },
  'roles.specialist': {
    scope: 'org',
    schema: RoleCode,
    default: 'specialist',
    source: 'seed article 1 (发电部 工作联系汇报制度) 5.3.3: 异常现象…汇报给发电部专业主管 (the specialist above the reporter)',
  },
  'roles.safetyOfficer': {
    scope: 'org',
    schema: RoleCode,
    default: 'safety_officer',
    source: 'seed article 1 (发电部 工作联系汇报制度) 5.3.3: 异常现象…汇报给发电部…安全员 (the safety officer above the reporter)',
  },
  // ---- scheduled backups (issue 8, security 9; ADR 0008) ----
  'backup.hour': {
    scope: 'org',
    schema: z.number().int().min(0).max(23),
    default: 2,
    source: 'issue 8 §9: scheduled backups; 02:00 in the organization zone, outside working hours (no seed names a time)',
  },
  'backup.keep': {
    scope: 'org',
    schema: z.number().int().min(1).max(365),
    default: 7,
    source: 'issue 8 §9: retention; a week of daily backups (no seed names a number)',
  },
} as const;

export type PolicyKey = keyof typeof POLICIES;
export type PolicyValue<K extends PolicyKey> = z.infer<(typeof POLICIES)[K]['schema']>;

/**
 * Policies that belong together (issue 8, security 3): each value may be valid alone and the pair
 * still break the product. An `ordered` pair needs `keys[0] < keys[1]`, an `atMost` pair
 * `keys[0] ≤ keys[1]`. Per unit (ADR 0011) a group is checked on the values in force at the unit
 * changed and at every unit below it with overrides of its own. They are checked together
 * wherever one of them changes (PUT /policies/:key, PUT /policies, PUT /calendar/policy), and read
 * together: a stored pair that fails its check (written before the check existed, or by hand) is
 * not used, both fall back to their defaults.
 */
export interface PolicyGroup {
  /** `ordered`: keys[0] < keys[1]; `atMost`: keys[0] ≤ keys[1]. Both keys have the same scope. */
  kind: 'ordered' | 'atMost';
  keys: readonly [PolicyKey, PolicyKey];
  source: string;
}

export const POLICY_GROUPS: readonly PolicyGroup[] = [
  {
    kind: 'ordered',
    keys: ['calendar.workdayStart', 'calendar.workdayEnd'],
    source: 'a working day ends after it starts: the calendar (buildCalendar) cannot count working time otherwise, and every deadline failed',
  },
  {
    kind: 'atMost',
    keys: ['assessment.points.contact_form.finished_late', 'assessment.points.contact_form.substandard_late'],
    source: 'DOMAIN.md §3.7 (seed article 8): finishing substandard and late is the graver breach; it never weighs less than finishing late',
  },
];
