import { z } from 'zod';
import { addMonths, instantAt, localDate } from '../../src/server/modules/calendar/index.js';
import type { CaseTypeDef } from '../../src/server/modules/cases/index.js';

/**
 * Test-only case types for cases that make cases (issue 9 §4) — not the server's: the liaison
 * officer's report (反映问题) and its rectification (整改) belong to later issues. A verified report
 * creates its rectification as the office person verifying it; a rectification whose deadline passes
 * makes a supervision report as the system; a report is resolved only when its rectifications are
 * closed (a guard reading its children); reports merge into a report or a rectification (归纳整改).
 */
export const testReport: CaseTypeDef = {
  code: 'test_report',
  version: 1,
  numberPrefix: 'FY',
  nameZh: '反映问题（测试）',
  nameEn: 'Report (test)',
  fields: z.object({ title: z.string().min(1), body: z.string().optional() }),
  states: [
    { code: 'reported', level: 'case', awaits: 'office' },
    { code: 'verified', level: 'case', awaits: 'office' },
    { code: 'merged', level: 'case' },
    { code: 'resolved', level: 'case', final: true },
    { code: 'rejected', level: 'case', final: true },
    { code: 'concluded', level: 'case', final: true },
  ],
  initialState: 'reported',
  initialPartState: 'none',
  transitions: [
    {
      action: 'verify',
      level: 'case',
      from: ['reported'],
      to: 'verified',
      by: ['office'],
      input: z.object({ rectifyUnitId: z.number().int().positive(), days: z.number().int().positive().optional() }),
      effects: [
        {
          kind: 'createCases',
          type: 'test_rectification',
          as: 'actor',
          initiator: 'initiator',
          fields: ({ snapshot, input }) => [{ title: `整改：${String(snapshot.fields.title)}`, receiverUnitIds: [input.rectifyUnitId] }],
        },
      ],
    },
    {
      action: 'resolve',
      level: 'case',
      from: ['verified'],
      to: 'resolved',
      by: ['office'],
      reads: ({ snapshot }) => ({ childrenOf: [snapshot.id] }),
      guard: (g) => {
        const open = g.reads?.childrenOf(g.snapshot.id).filter((c) => !c.closed) ?? [];
        return open.length ? { key: 'CHILDREN_OPEN', params: { open: open.map((c) => c.number).join('、') } } : null;
      },
    },
    { action: 'reject', level: 'case', from: ['reported'], to: 'rejected', by: ['office'] },
    {
      // "At least one report a month" turned round for the test: a drafter escalates once they filed two this month.
      action: 'escalate',
      level: 'case',
      from: ['reported'],
      to: null,
      by: ['drafter'],
      reads: ({ snapshot, now, cal }) => {
        const month = `${localDate(now, cal.timeZone).slice(0, 7)}-01`;
        return {
          countCases: [
            {
              type: 'test_report',
              drafterPersonId: snapshot.drafterPersonId,
              from: instantAt(month, '00:00', cal.timeZone).toISOString(),
              to: instantAt(addMonths(month, 1), '00:00', cal.timeZone).toISOString(),
            },
          ],
        };
      },
      guard: (g) => {
        const month = `${localDate(g.now, g.cal.timeZone).slice(0, 7)}-01`;
        const count =
          g.reads?.countCases({
            type: 'test_report',
            drafterPersonId: g.snapshot.drafterPersonId,
            from: instantAt(month, '00:00', g.cal.timeZone).toISOString(),
            to: instantAt(addMonths(month, 1), '00:00', g.cal.timeZone).toISOString(),
          }) ?? 0;
        return count < 2 ? { key: 'CASE_COUNT_SHORT', params: { type: '反映问题', count, min: 2 } } : null;
      },
    },
  ],
  clocks: [],
  editableIn: [],
  bind: (f) => ({ title: String((f as { title?: string }).title ?? ''), dueDate: null, signingLeaderPersonId: null, receivers: [] }),
  labels: {
    'state.reported': { zh: '已反映', en: 'Reported' },
    'state.verified': { zh: '已核实', en: 'Verified' },
    'state.merged': { zh: '已合并', en: 'Merged' },
    'state.resolved': { zh: '已解决', en: 'Resolved' },
    'state.rejected': { zh: '不予受理', en: 'Rejected' },
    'state.concluded': { zh: '已随整改办结', en: 'Concluded with its rectification' },
    'action.verify': { zh: '核实', en: 'Verify' },
    'action.resolve': { zh: '办结', en: 'Resolve' },
  },
  merge: { by: ['office'], state: 'merged', result: 'concluded', into: ['test_report', 'test_rectification'], notify: ['drafter'] },
};

export const testRectification: CaseTypeDef = {
  code: 'test_rectification',
  version: 1,
  numberPrefix: 'ZG',
  nameZh: '整改（测试）',
  nameEn: 'Rectification (test)',
  fields: z.object({ title: z.string().min(1), receiverUnitIds: z.array(z.number().int()).min(1) }),
  states: [
    { code: 'open', level: 'case' },
    { code: 'closed', level: 'case', final: true },
    { code: 'assigned', level: 'part', awaits: 'receiver' },
    { code: 'closed', level: 'part', final: true },
  ],
  initialState: 'open',
  initialPartState: 'assigned',
  transitions: [{ action: 'finish', level: 'part', from: ['assigned'], to: 'closed', by: ['receiver'], stopClocks: ['rectify'] }],
  clocks: [
    {
      code: 'rectify',
      level: 'part',
      startOn: 'create',
      rule: { kind: 'relative', anchor: { from: 'created' }, direction: 'after', amount: { value: 3, source: 'test' }, unit: 'workingDays' },
      awaits: 'receiver',
      onExpiry: [
        { kind: 'markOverdue' },
        {
          // 逾期未整改: the system files a report about it, the rectification's child.
          kind: 'createCases',
          type: 'test_report',
          as: 'system',
          initiator: 'initiator',
          fields: ({ snapshot }) => [{ title: `逾期未整改：${String(snapshot.fields.title)}` }],
        },
      ],
    },
  ],
  closeWhenAllPartsIn: ['closed'],
  closedState: 'closed',
  editableIn: [],
  bind: (f) => {
    const x = f as { title?: string; receiverUnitIds?: number[] };
    return {
      title: x.title ?? '',
      dueDate: null,
      signingLeaderPersonId: null,
      receivers: (x.receiverUnitIds ?? []).map((unitId, i) => ({ unitId, role: 'main' as const, field: `receiverUnitIds.${i}` })),
    };
  },
  labels: {
    'state.open': { zh: '整改中', en: 'Being rectified' },
    'state.closed': { zh: '已整改', en: 'Rectified' },
    'state.assigned': { zh: '待整改', en: 'To rectify' },
    'action.finish': { zh: '整改完成', en: 'Rectified' },
  },
};

/** The smallest mergeable type, for the access matrix: its drafter may merge it (a type-declared role). */
export const testNote: CaseTypeDef = {
  code: 'test_note',
  version: 1,
  numberPrefix: 'BJ',
  nameZh: '记事（测试）',
  nameEn: 'Note (test)',
  fields: z.object({ title: z.string().min(1) }),
  states: [
    { code: 'open', level: 'case', awaits: 'drafter' },
    { code: 'merged', level: 'case' },
    { code: 'done', level: 'case', final: true },
  ],
  initialState: 'open',
  initialPartState: 'none',
  transitions: [{ action: 'finish', level: 'case', from: ['open'], to: 'done', by: ['drafter'] }],
  clocks: [],
  editableIn: [],
  bind: (f) => ({ title: String((f as { title?: string }).title ?? ''), dueDate: null, signingLeaderPersonId: null, receivers: [] }),
  labels: {},
  merge: { by: ['drafter'], state: 'merged', result: 'done' },
};
