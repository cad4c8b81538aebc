/**
 * The demo organization, built deterministically from a seed (no IO). Its shape follows the seeds:
 * - a thermal power plant's 发电部 with 值长, shifts 一值…五值 and their 汽机/锅炉/电气 teams (article 1);
 * - a coal mine with the units of the manager-liaison-officer mechanism (综采队 … 机关, seed 2);
 * - a power-supply company with 办公室, 人力资源部, 监察部 and operating departments (article 8);
 * so that reporting chains are meaningful: worker → 班长 → 值长 → 部门负责人 → 分管领导.
 */

export interface DemoUnit {
  code: string;
  name: string;
  type: string;
  parentCode: string;
  sortOrder: number;
}

export interface DemoPerson {
  employeeNo: string;
  name: string;
  gender: '男' | '女';
  post: string;
  phone: string;
  unitCode: string;
  role: string;
  status: '在职' | '离职';
}

/** A second role held elsewhere, e.g. the office director runs liaison work for the whole group. */
export interface DemoExtraRole {
  employeeNo: string;
  unitCode: string;
  roleCode: string;
}

export interface DemoLoginSpec {
  username: string;
  /** Whose account: an employee number, or 'admin' for the administrator created by setup. */
  employeeNo: string | 'admin';
  /** What this login shows off. */
  label: string;
}

export interface DemoModel {
  organizationName: string;
  rootCode: string;
  admin: { name: string; employeeNo: string; post: string; phone: string; gender: '男' | '女' };
  units: DemoUnit[];
  people: DemoPerson[];
  extraRoles: DemoExtraRole[];
  logins: DemoLoginSpec[];
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Common surnames, roughly in order of frequency (more common ones repeat to weight them).
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周'.repeat(3),
  ...'徐孙马朱胡郭何高林罗'.repeat(2),
  ...'郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const MALE_GIVEN = [...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳峰建国志兵成亮海东晨新文'];
const FEMALE_GIVEN = [...'芳娜敏静丽艳娟霞秀玲桂英华红梅琳燕萍雪琴云莉兰婷颖洁慧倩月玉凤佳欣悦蕾晶'];

export const DEMO_SEED = 20_240_531; // the date of the seed collection

export function buildDemoModel(seed = DEMO_SEED): DemoModel {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const usedNames = new Set<string>();
  const personName = (gender: '男' | '女'): string => {
    for (;;) {
      const pool = gender === '男' ? MALE_GIVEN : FEMALE_GIVEN;
      const given = rnd() < 0.55 ? pick(pool) + pick(pool) : pick(pool);
      const name = pick(SURNAMES) + given;
      if (!usedNames.has(name) && given.length > 0 && given[0] !== given[1]) {
        usedNames.add(name);
        return name;
      }
    }
  };

  const units: DemoUnit[] = [];
  const people: DemoPerson[] = [];
  const extraRoles: DemoExtraRole[] = [];
  const seq: Record<string, number> = {};
  let phone = 0;
  const sortIn: Record<string, number> = {};

  const unit = (code: string, name: string, type: string, parentCode: string) => {
    sortIn[parentCode] = (sortIn[parentCode] ?? 0) + 10;
    units.push({ code, name, type, parentCode, sortOrder: sortIn[parentCode] as number });
    return code;
  };
  /** A person; `female` forces the gender, otherwise it follows the unit's share of women. */
  const person = (prefix: string, unitCode: string, role: string, post: string, opts: { femaleShare?: number; female?: boolean; left?: boolean } = {}) => {
    const gender: '男' | '女' = (opts.female ?? rnd() < (opts.femaleShare ?? 0.3)) ? '女' : '男';
    seq[prefix] = (seq[prefix] ?? 0) + 1;
    phone++;
    const p: DemoPerson = {
      employeeNo: `${prefix}${String(seq[prefix]).padStart(4, '0')}`,
      name: personName(gender),
      gender,
      post,
      phone: `1380000${String(phone).padStart(4, '0')}`,
      unitCode,
      role,
      status: opts.left ? '离职' : '在职',
    };
    people.push(p);
    return p;
  };

  const ROOT = 'ROOT';
  const admin = { name: personName('男'), employeeNo: 'JT0001', post: '信息中心主任', phone: '13800000000', gender: '男' as const };
  seq.JT = 1;

  // ---------- group ----------
  person('JT', ROOT, 'leader', '董事长');
  person('JT', ROOT, 'leader', '总经理');
  person('JT', ROOT, 'leader', '副总经理（分管安全生产）');
  const jtOffice = unit('JT-BGS', '集团办公室', 'department', ROOT);
  const officeDirector = person('JT', jtOffice, 'unit_head', '办公室主任');
  extraRoles.push({ employeeNo: officeDirector.employeeNo, unitCode: ROOT, roleCode: 'office' });
  const secretary = person('JT', jtOffice, 'staff', '值班秘书', { femaleShare: 0.6 });
  extraRoles.push({ employeeNo: secretary.employeeNo, unitCode: ROOT, roleCode: 'office' });
  person('JT', jtOffice, 'staff', '文书', { femaleShare: 0.6 });
  const jtHr = unit('JT-RLZY', '人力资源部', 'department', ROOT);
  const hrHead = person('JT', jtHr, 'unit_head', '人力资源部主任');
  extraRoles.push({ employeeNo: hrHead.employeeNo, unitCode: ROOT, roleCode: 'hr' });
  const hrClerk = person('JT', jtHr, 'staff', '绩效考核专员', { female: true });
  extraRoles.push({ employeeNo: hrClerk.employeeNo, unitCode: ROOT, roleCode: 'hr' });
  person('JT', jtHr, 'staff', '薪酬专员', { femaleShare: 0.6 });
  const jtSup = unit('JT-JJJC', '纪检监察部', 'department', ROOT);
  const supHead = person('JT', jtSup, 'unit_head', '纪检监察部主任');
  extraRoles.push({ employeeNo: supHead.employeeNo, unitCode: ROOT, roleCode: 'supervision' });
  const supClerk = person('JT', jtSup, 'staff', '督办专员');
  extraRoles.push({ employeeNo: supClerk.employeeNo, unitCode: ROOT, roleCode: 'supervision' });
  const jtIt = unit('JT-XXZX', '信息中心', 'department', ROOT);
  person('JT', jtIt, 'staff', '系统运维');

  // ---------- thermal power plant (article 1) ----------
  const RD = unit('RD', '华岳热电厂', 'plant', ROOT);
  const rdVice = person('RD', RD, 'leader', '副厂长（分管生产）');
  person('RD', RD, 'leader', '厂长');
  person('RD', RD, 'leader', '党委书记');
  const rdOffice = unit('RD-BGS', '综合办公室', 'department', RD);
  const rdOfficeHead = person('RD', rdOffice, 'unit_head', '综合办公室主任');
  extraRoles.push({ employeeNo: rdOfficeHead.employeeNo, unitCode: RD, roleCode: 'office' });
  person('RD', rdOffice, 'staff', '文秘', { femaleShare: 0.6 });
  const rdSafety = unit('RD-AS', '安全生产部', 'department', RD);
  const rdSafetyHead = person('RD', rdSafety, 'unit_head', '安全生产部主任');
  extraRoles.push({ employeeNo: rdSafetyHead.employeeNo, unitCode: RD, roleCode: 'supervision' });
  person('RD', rdSafety, 'staff', '安全员');
  person('RD', rdSafety, 'staff', '安全员');
  const fd = unit('RD-FD', '发电部', 'department', RD);
  const fdHead = person('RD', fd, 'unit_head', '发电部主任');
  const fdStaff = ['汽机专业主管', '锅炉专业主管', '电气专业主管', '发电部安全员'].map((post) => person('RD', fd, 'staff', post));
  // Article 1 5.3.3: an anomaly is reported to the department's specialists and its safety officer (异常汇报).
  for (const s of fdStaff.slice(0, 3)) extraRoles.push({ employeeNo: s.employeeNo, unitCode: fd, roleCode: 'specialist' });
  extraRoles.push({ employeeNo: (fdStaff[3] as DemoPerson).employeeNo, unitCode: fd, roleCode: 'safety_officer' });
  const shiftNames = ['一', '二', '三', '四', '五'];
  let zhizhang1: DemoPerson | undefined;
  let banzhang1: DemoPerson | undefined;
  let worker1: DemoPerson | undefined;
  shiftNames.forEach((n, i) => {
    const shift = unit(`RD-FD-${i + 1}`, `运行${n}值`, 'shift', fd);
    const zz = person('RD', shift, 'shift_leader', '值长');
    if (i === 0) zhizhang1 = zz;
    for (const [key, label, posts] of [
      ['QJ', '汽机', ['汽机主值', '汽机副值', '汽机巡检', '汽机巡检']],
      ['GL', '锅炉', ['锅炉主值', '锅炉副值', '锅炉巡检']],
      ['DQ', '电气', ['电气主值', '电气副值', '电气巡检']],
    ] as const) {
      const team = unit(`RD-FD-${i + 1}-${key}`, `${n}值${label}班`, 'team', shift);
      const bz = person('RD', team, 'team_leader', `${label}班长`);
      for (const post of posts) {
        const w = person('RD', team, 'staff', post, { femaleShare: 0.15 });
        if (i === 0 && key === 'QJ' && post.endsWith('巡检') && !worker1) worker1 = w;
      }
      if (i === 0 && key === 'QJ') banzhang1 = bz;
    }
  });
  const sb = unit('RD-SB', '设备部', 'department', RD);
  const sbHead = person('RD', sb, 'unit_head', '设备部主任');
  for (const [key, label] of [
    ['QJ', '汽机检修班'],
    ['GL', '锅炉检修班'],
    ['DQ', '电气检修班'],
  ] as const) {
    const team = unit(`RD-SB-${key}`, label, 'team', sb);
    person('RD', team, 'team_leader', '检修班长');
    for (let k = 0; k < 3; k++) person('RD', team, 'staff', pick(['检修工', '钳工', '焊工', '电工']), { femaleShare: 0.05 });
  }
  const rl = unit('RD-RL', '燃料部', 'department', RD);
  person('RD', rl, 'unit_head', '燃料部主任');
  const rlTeam = unit('RD-RL-YX', '燃料运行班', 'team', rl);
  person('RD', rlTeam, 'team_leader', '燃料班长');
  for (let k = 0; k < 4; k++) person('RD', rlTeam, 'staff', pick(['输煤值班员', '斗轮机司机', '采样员']), { femaleShare: 0.2 });

  // ---------- coal mine (seed 2: the manager-liaison-officer units) ----------
  const MK = unit('MK', '华岳青山煤矿', 'mine', ROOT);
  person('MK', MK, 'leader', '生产副经理');
  person('MK', MK, 'leader', '经理');
  person('MK', MK, 'leader', '党委书记');
  person('MK', MK, 'leader', '工会主席');
  const teams: [string, string, number, readonly string[], number][] = [
    ['ZC', '综采队', 3, ['采煤机司机', '支架工', '输送机司机', '端头工'], 0.05],
    ['ZJ', '综掘队', 3, ['掘进机司机', '锚杆工', '运输工', '支护工'], 0.05],
    ['KT', '开拓队', 2, ['凿岩工', '爆破工', '支护工', '运输工'], 0.05],
    ['JD', '机电队', 3, ['电工', '钳工', '泵工', '绞车司机'], 0.3],
    ['XY', '选运队', 3, ['选煤工', '装车工', '皮带司机', '化验员'], 0.35],
    ['YS', '运输队', 2, ['电机车司机', '把钩工', '信号工', '调度员'], 0.1],
    ['TM', '通灭队', 2, ['通风工', '瓦斯检查工', '防尘工', '灭火工'], 0.1],
    ['FW', '服务队', 2, ['炊事员', '保洁员', '宿管员', '洗衣工'], 0.6],
  ];
  const classNames = ['一班', '二班', '三班'];
  for (const [key, name, classes, posts, share] of teams) {
    const dui = unit(`MK-${key}`, name, 'team', MK);
    person('MK', dui, 'unit_head', '队长');
    person('MK', dui, 'staff', '技术员', { femaleShare: share });
    for (let c = 0; c < classes; c++) {
      const ban = unit(`MK-${key}-${c + 1}`, `${name}${classNames[c]}`, 'team', dui);
      // Seed 2: in 机电队 and 选运队 one of the two liaison officers must be a woman.
      person('MK', ban, 'team_leader', '班组长', { femaleShare: share / 2 });
      for (let k = 0; k < 4; k++) {
        const female = (key === 'JD' || key === 'XY') && c === 0 && k === 0 ? true : undefined;
        person('MK', ban, 'staff', pick(posts), { femaleShare: share, ...(female && { female }), ...(c === 1 && k === 3 && key === 'ZC' && { left: true }) });
      }
    }
  }
  const cp = unit('MK-CPGL', '产品管理科', 'section', MK);
  person('MK', cp, 'unit_head', '科长');
  for (let k = 0; k < 4; k++) person('MK', cp, 'staff', pick(['质检员', '计量员', '销售员']), { femaleShare: 0.5 });
  const jg = unit('MK-JG', '机关', 'department', MK);
  const xzb = unit('MK-JG-XZB', '行政办公室', 'section', jg);
  const mkOfficeHead = person('MK', xzb, 'unit_head', '行政办公室主任');
  extraRoles.push({ employeeNo: mkOfficeHead.employeeNo, unitCode: MK, roleCode: 'office' });
  person('MK', xzb, 'staff', '联络员管理专员', { female: true });
  person('MK', xzb, 'staff', '文秘', { femaleShare: 0.6 });
  for (const [key, name, head, posts] of [
    ['SCJS', '生产技术科', '科长', ['采矿工程师', '地测工程师', '机电工程师']],
    ['AJK', '安全监察科', '科长', ['安全检查员', '安全检查员']],
    ['RLZY', '人力资源科', '科长', ['劳资员']],
  ] as const) {
    const section = unit(`MK-JG-${key}`, name, 'section', jg);
    const h = person('MK', section, 'unit_head', head);
    if (key === 'AJK') extraRoles.push({ employeeNo: h.employeeNo, unitCode: MK, roleCode: 'supervision' });
    if (key === 'RLZY') extraRoles.push({ employeeNo: h.employeeNo, unitCode: MK, roleCode: 'hr' });
    for (const post of posts) person('MK', section, 'staff', post, { femaleShare: 0.4 });
  }

  // ---------- power-supply company (article 8) ----------
  const GD = unit('GD', '华岳供电公司', 'company', ROOT);
  person('GD', GD, 'leader', '副总经理（分管生产）');
  person('GD', GD, 'leader', '总经理');
  person('GD', GD, 'leader', '党委书记');
  const functional: [string, string, string | null][] = [
    ['BGS', '办公室', 'office'],
    ['FZ', '发展部', null],
    ['RZ', '人力资源部', 'hr'],
    ['CW', '财务部', null],
    ['AZ', '安质部', null],
    ['JS', '建设部', null],
    ['JC', '监察部', 'supervision'],
    ['SJ', '审计部', null],
    ['DQ', '党群部', null],
  ];
  for (const [key, name, companyRole] of functional) {
    const dept = unit(`GD-${key}`, name, 'department', GD);
    const head = person('GD', dept, 'unit_head', `${name}主任`);
    if (companyRole) extraRoles.push({ employeeNo: head.employeeNo, unitCode: GD, roleCode: companyRole });
    person('GD', dept, 'staff', key === 'BGS' ? '值班秘书' : '专责', { femaleShare: 0.5 });
    person('GD', dept, 'staff', '专责', { femaleShare: 0.5 });
  }
  for (const [key, name, teamsOf] of [
    [
      'DK',
      '调控中心',
      [
        ['DD1', '调度一班', '调度员'],
        ['DD2', '调度二班', '调度员'],
      ],
    ],
    [
      'YW',
      '运维部',
      [
        ['BD1', '变电运维一班', '运维值班员'],
        ['BD2', '变电运维二班', '运维值班员'],
        ['SD', '输电运检班', '线路工'],
      ],
    ],
    [
      'YX',
      '营销部',
      [
        ['KF', '客户服务班', '客户经理'],
        ['JL', '计量班', '计量工'],
      ],
    ],
  ] as const) {
    const dept = unit(`GD-${key}`, name, 'department', GD);
    person('GD', dept, 'unit_head', `${name}主任`);
    for (const [tkey, tname, post] of teamsOf) {
      const team = unit(`GD-${key}-${tkey}`, tname, 'team', dept);
      person('GD', team, 'team_leader', '班长');
      for (let k = 0; k < 3; k++) person('GD', team, 'staff', post, { femaleShare: key === 'YX' ? 0.5 : 0.15 });
    }
  }

  // The demo forms need someone in 设备部 itself to name as handler (a handler must be a member of
  // the receiving unit). Added last so every name and number drawn before stays as it was.
  const sbInspector = person('RD', sb, 'staff', '设备点检员');

  const must = <T>(x: T | undefined, what: string): T => {
    if (!x) throw new Error(`demo model: no ${what}`);
    return x;
  };
  const logins: DemoLoginSpec[] = [
    { username: 'admin', employeeNo: 'admin', label: '系统管理员 / administrator' },
    { username: 'office', employeeNo: officeDirector.employeeNo, label: '集团办公室（联络工作）/ office' },
    { username: 'leader', employeeNo: rdVice.employeeNo, label: '分管生产副厂长 / responsible leader' },
    { username: 'unithead', employeeNo: fdHead.employeeNo, label: '发电部主任 / unit head' },
    { username: 'shiftlead', employeeNo: must(zhizhang1, '值长').employeeNo, label: '运行一值值长 / shift leader' },
    { username: 'teamlead', employeeNo: must(banzhang1, '班长').employeeNo, label: '一值汽机班班长 / team leader' },
    { username: 'worker', employeeNo: must(worker1, 'worker').employeeNo, label: '一值汽机巡检 / worker' },
    { username: 'hr', employeeNo: hrClerk.employeeNo, label: '人力资源部绩效考核 / HR' },
    // The people who act on the demo work contact forms (demo.forms.ts), so their 待办 can be tried.
    { username: 'specialist', employeeNo: must(fdStaff[0], '汽机专业主管').employeeNo, label: '发电部汽机专业主管（联系单起草、承办）/ drafter, handler' },
    { username: 'equipment', employeeNo: sbHead.employeeNo, label: '设备部主任（联系单签收）/ receiving unit head' },
    { username: 'inspector', employeeNo: sbInspector.employeeNo, label: '设备部点检员（联系单承办）/ handler' },
    { username: 'safetyhead', employeeNo: rdSafetyHead.employeeNo, label: '安全生产部主任（联系单起草）/ drafter' },
  ];
  return { organizationName: '华岳能源集团', rootCode: ROOT, admin, units, people, extraRoles, logins };
}
