import { describe, expect, it } from 'vitest';
import { commissionLetter } from '../types/commission-letter.js';
import { contactForm } from '../types/contact-form.js';
import { notice } from '../types/notice.js';
import { operationTicket } from '../types/operation-ticket.js';
import type { CaseSnapshot, ClockSnapshot, PartSnapshot } from './definition.js';
import { countChanges, holderPairs, inboxTotal, pendingTasks, soonestTask } from './tasks.js';

const part = (id: number, state: string, over: Partial<PartSnapshot> = {}): PartSnapshot => ({
  id,
  unitId: 20 + id,
  unitPath: `/1/${20 + id}/`,
  role: 'main',
  state,
  handlerPersonId: null,
  dueDate: null,
  overdue: false,
  supervised: false,
  ...over,
});
const clock = (id: number, code: string, partId: number | null, dueAt: string): ClockSnapshot => ({
  id,
  code,
  partId,
  dueAt,
  startedAt: '2026-09-29T02:00:00.000Z',
});
const snap = (typeCode: string, state: string, parts: PartSnapshot[] = [], clocks: ClockSnapshot[] = []): CaseSnapshot => ({
  id: 1,
  typeCode,
  state,
  version: 1,
  revision: 1,
  fields: {},
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: 101,
  parts,
  clocks,
  missed: [],
});

describe('whose move it is (待办)', () => {
  it('a case waiting on someone as a whole: the draft, the signature', () => {
    expect(pendingTasks(contactForm, snap('contact_form', 'draft'))).toEqual([{ partId: null, awaits: 'drafter', state: 'draft', dueAt: null }]);
    expect(pendingTasks(contactForm, snap('contact_form', 'pending_issue', [part(1, 'pending')]))).toEqual([
      { partId: null, awaits: 'signing_leader', state: 'pending_issue', dueAt: null },
    ]);
  });

  it('in an approval chain, the approver whose turn it is', () => {
    expect(pendingTasks(operationTicket, snap('operation_ticket', 'awaiting_review'))).toEqual([
      { partId: null, awaits: 'approver', state: 'awaiting_review', dueAt: null },
    ]);
    expect(pendingTasks(commissionLetter, snap('commission_letter', 'chief_signing', [part(1, 'pending')]))).toEqual([
      { partId: null, awaits: 'approver', state: 'chief_signing', dueAt: null },
    ]);
    expect(pendingTasks(operationTicket, snap('operation_ticket', 'closed'))).toEqual([]);
  });

  it('a live form: each open part, ordered by its soonest deadline; supervision on a supervised part', () => {
    const s = snap(
      'contact_form',
      'issued',
      [part(1, 'in_progress', { supervised: true }), part(2, 'closed'), part(3, 'awaiting_sign')],
      [
        clock(1, 'complete', 1, '2026-10-20T09:30:00.000Z'),
        clock(2, 'supervise', 1, '2026-10-02T09:30:00.000Z'),
        clock(3, 'sign', 3, '2026-09-30T09:30:00.000Z'),
        clock(4, 'review', 3, '2026-09-29T09:30:00.000Z'),
      ],
    );
    expect(pendingTasks(contactForm, s)).toEqual([
      { partId: 1, awaits: 'handler', state: 'in_progress', dueAt: '2026-10-20T09:30:00.000Z' },
      { partId: 1, awaits: 'supervision', state: 'in_progress', dueAt: '2026-10-02T09:30:00.000Z' },
      { partId: 3, awaits: 'receiver', state: 'awaiting_sign', dueAt: '2026-09-29T09:30:00.000Z' },
    ]);
  });

  it('nothing once the case is final', () => {
    expect(pendingTasks(contactForm, snap('contact_form', 'closed', [part(1, 'closed')]))).toEqual([]);
    expect(pendingTasks(notice, snap('notice', 'heading_stopped', [part(1, 'closed'), part(2, 'heading_stopped')]))).toEqual([]);
  });

  it('a breakthrough notice: acknowledge, then stop a heading', () => {
    const s = snap('notice', 'issued', [part(1, 'awaiting_ack'), part(2, 'acknowledged')], [clock(1, 'acknowledge', 1, '2026-09-29T10:00:00.000Z')]);
    expect(pendingTasks(notice, s)).toEqual([
      { partId: 1, awaits: 'receiver', state: 'awaiting_ack', dueAt: '2026-09-29T10:00:00.000Z' },
      { partId: 2, awaits: 'receiver', state: 'acknowledged', dueAt: null },
    ]);
  });
});

describe('the 待办 total kept per holder', () => {
  it('moves a count from the unit to the person it names, in holder order', () => {
    expect(countChanges(new Set(['u:7']), new Set(['p:3']))).toEqual([
      { holder: 'p:3', delta: 1 },
      { holder: 'u:7', delta: -1 },
    ]);
    expect(countChanges(new Set(['u:7', 'p:3']), new Set(['p:3', 'u:7']))).toEqual([]);
  });

  it('pairs every two holders of a case once, smaller first', () => {
    expect(holderPairs(new Set(['u:9', 'p:3', 'u:10']))).toEqual([
      ['p:3', 'u:10'],
      ['p:3', 'u:9'],
      ['u:10', 'u:9'],
    ]);
    expect(holderPairs(new Set(['u:9']))).toEqual([]);
  });

  it('counts a case asked of three of my holders once, not three times', () => {
    const counts = [{ open_cases: 5 }, { open_cases: 2 }, { open_cases: 1 }];
    const pairs = [
      { case_id: 40, holder_a: 'p:3', holder_b: 'u:10' },
      { case_id: 40, holder_a: 'p:3', holder_b: 'u:9' },
      { case_id: 40, holder_a: 'u:10', holder_b: 'u:9' },
      { case_id: 41, holder_a: 'u:10', holder_b: 'u:9' },
    ];
    expect(inboxTotal(counts, pairs)).toBe(8 - 2 - 1);
    expect(inboxTotal(counts, [])).toBe(8);
  });
});

describe('the task an inbox row names', () => {
  const t = (id: number, due_at: string | null) => ({ id, due_at });

  it('names the soonest deadline, undated tasks last, the first of equal deadlines', () => {
    expect(soonestTask([t(1, null), t(2, '2026-12-07T09:30:00.000Z'), t(3, '2026-12-04T09:30:00.000Z'), t(4, '2026-12-04T09:30:00.000Z')])?.id).toBe(3);
    expect(soonestTask([t(1, null), t(2, null)])?.id).toBe(1);
    expect(soonestTask([])).toBeUndefined();
  });
});
