import { describe, expect, it } from 'vitest';
import type { Grant } from '../../access/index.js';
import { commissionLetter } from '../types/commission-letter.js';
import { operationTicket } from '../types/operation-ticket.js';
import type { CaseSnapshot, PartSnapshot } from './definition.js';
import { currentApprover, hasAnyRole, resolveRoles } from './roles.js';

const grant = (role: string, unitId: number, unitPath: string): Grant => ({ role, unitId, unitPath, permissions: [] });
const part = (id: number, unitId: number, over: Partial<PartSnapshot> = {}): PartSnapshot => ({
  id,
  unitId,
  unitPath: `/1/${unitId}/`,
  role: 'main',
  state: 'awaiting_sign',
  handlerPersonId: null,
  dueDate: null,
  overdue: false,
  supervised: false,
  ...over,
});
const snap = (over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 1,
  typeCode: 'contact_form',
  state: 'issued',
  version: 1,
  revision: 1,
  fields: {},
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: 101,
  parts: [part(1, 21), part(2, 22, { handlerPersonId: 300 })],
  clocks: [],
  missed: [],
  ...over,
});
const sorted = (s: ReadonlySet<string> | undefined) => [...(s ?? [])].sort();

describe('relational roles in one case', () => {
  it('the drafter is also of the initiating unit; a colleague is only of the unit', () => {
    const drafter = resolveRoles({ personId: 100, grants: [grant('staff', 10, '/1/10/')] }, snap());
    expect(sorted(drafter.onCase)).toEqual(['drafter', 'initiator']);
    const colleague = resolveRoles({ personId: 102, grants: [grant('staff', 10, '/1/10/')] }, snap());
    expect(sorted(colleague.onCase)).toEqual(['initiator']);
  });

  it('the signing leader is the person named, wherever they sit', () => {
    const r = resolveRoles({ personId: 101, grants: [grant('leader', 1, '/1/')] }, snap());
    expect(sorted(r.onCase)).toEqual(['signing_leader']);
  });

  it('office and supervision reach the cases of their subtree only', () => {
    expect(sorted(resolveRoles({ personId: 500, grants: [grant('office', 1, '/1/')] }, snap()).onCase)).toEqual(['office']);
    expect(sorted(resolveRoles({ personId: 501, grants: [grant('supervision', 1, '/1/')] }, snap()).onCase)).toEqual(['supervision']);
    expect(sorted(resolveRoles({ personId: 500, grants: [grant('office', 30, '/1/30/')] }, snap()).onCase)).toEqual([]);
  });

  it('a receiving unit’s members are receivers of their part only; the named handler also of theirs', () => {
    const member = resolveRoles({ personId: 200, grants: [grant('unit_head', 21, '/1/21/')] }, snap());
    expect(sorted(member.onPart.get(1))).toEqual(['receiver']);
    expect(sorted(member.onPart.get(2))).toEqual([]);
    const handler = resolveRoles({ personId: 300, grants: [] }, snap());
    expect(sorted(handler.onPart.get(2))).toEqual(['handler', 'receiver']);
    expect(hasAnyRole(handler)).toBe(true);
    expect(hasAnyRole(resolveRoles({ personId: 999, grants: [grant('staff', 40, '/1/40/')] }, snap()))).toBe(false);
  });
});

describe('the approver whose turn it is', () => {
  const ticket = (state: string) => snap({ typeCode: 'operation_ticket', state, fields: { reviewerPersonId: 7, permitterPersonId: 8 }, parts: [] });

  it('follows the state through the chain', () => {
    expect(currentApprover(operationTicket, ticket('draft'))).toBeNull();
    expect(currentApprover(operationTicket, ticket('awaiting_review'))).toBe(7);
    expect(currentApprover(operationTicket, ticket('awaiting_permit'))).toBe(8);
    expect(currentApprover(operationTicket, ticket('may_start'))).toBeNull();
    expect(currentApprover(operationTicket, ticket('executed'))).toBe(8);
  });

  it('is held by that person only, and only in turn', () => {
    const reviewer = { personId: 7, grants: [grant('staff', 10, '/1/10/')] };
    const permitter = { personId: 8, grants: [grant('shift_leader', 10, '/1/10/')] };
    expect(resolveRoles(reviewer, ticket('awaiting_review'), operationTicket).onCase.has('approver')).toBe(true);
    expect(resolveRoles(permitter, ticket('awaiting_review'), operationTicket).onCase.has('approver')).toBe(false);
    expect(resolveRoles(reviewer, ticket('awaiting_permit'), operationTicket).onCase.has('approver')).toBe(false);
    expect(resolveRoles(permitter, ticket('awaiting_permit'), operationTicket).onCase.has('approver')).toBe(true);
    // Without the case type nobody is an approver.
    expect(resolveRoles(reviewer, ticket('awaiting_review')).onCase.has('approver')).toBe(false);
  });

  it('department head first, then the chief engineer, on a commission letter', () => {
    const letter = (state: string) => snap({ typeCode: 'commission_letter', state, fields: { departmentHeadPersonId: 11, chiefEngineerPersonId: 12 } });
    expect(currentApprover(commissionLetter, letter('head_signing'))).toBe(11);
    expect(currentApprover(commissionLetter, letter('chief_signing'))).toBe(12);
    expect(currentApprover(commissionLetter, letter('issued'))).toBeNull();
  });

  it('ignores a field that does not name a person', () => {
    const bad = snap({ typeCode: 'operation_ticket', state: 'awaiting_review', fields: { reviewerPersonId: '7' } });
    expect(currentApprover(operationTicket, bad)).toBeNull();
  });
});
