import { describe, expect, it } from 'vitest';
import type { Grant } from '../../access/index.js';
import { buildCalendar, officialCalendarRows } from '../../calendar/index.js';
import { POLICIES } from '../../policy/core.js';
import { contactForm } from '../types/contact-form.js';
import type { CaseSnapshot } from './definition.js';
import { chooseRoles, type Principal, resolveDelegatedRoles } from './delegation.js';
import { isRefusal } from './machine.js';
import { resolveRoles } from './roles.js';

/** Pure tests of 委托代理 (issue 9 §2): the service passes in whom the person stands in for; the engine reads no clock or table. */
const cal = buildCalendar({ timeZone: 'Asia/Shanghai', workdayStart: '08:30', workdayEnd: '17:30', officialYears: [2026], days: officialCalendarRows([2026]) });
const policies = Object.fromEntries(Object.entries(POLICIES).flatMap(([k, p]) => (typeof p.default === 'number' ? [[k, p.default] as const] : [])));
const NOW = new Date('2026-09-29T02:00:00.000Z');
const grant = (role: string, unitId: number, unitPath: string): Grant => ({ role, unitId, unitPath, permissions: [] });
const snap = (over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 1,
  typeCode: 'contact_form',
  state: 'pending_issue',
  version: 1,
  revision: 0,
  fields: {},
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: 101,
  parts: [{ id: 1, unitId: 21, unitPath: '/1/21/', role: 'main', state: 'pending', handlerPersonId: null, dueDate: null, overdue: false, supervised: false }],
  clocks: [],
  missed: [],
  ...over,
});
const deputy = { personId: 200, grants: [grant('staff', 30, '/1/30/')] };
const leader: Principal = { personId: 101, name: '李签发', grants: [grant('unit_head', 10, '/1/10/')] };
const receiverHead: Principal = { personId: 301, name: '王检修', grants: [grant('unit_head', 21, '/1/21/')] };
const sorted = (s: ReadonlySet<string> | undefined) => [...(s ?? [])].sort();
const args = (s: CaseSnapshot, action: string) => ({ def: contactForm, snap: s, action, partId: null, input: {}, now: NOW, cal, policies });

describe('roles held as a deputy (委托代理)', () => {
  it('without a delegation are exactly the person’s own', () => {
    const held = resolveDelegatedRoles(deputy, [], snap(), contactForm);
    expect(held.all).toBe(held.own);
    expect(held.own).toEqual(resolveRoles(deputy, snap(), contactForm));
    expect(sorted(held.all.onCase)).toEqual([]);
  });

  it('add the principal’s relational roles (signing leader) and unit roles (a receiving unit’s member)', () => {
    const held = resolveDelegatedRoles(deputy, [leader, receiverHead], snap(), contactForm);
    expect(sorted(held.own.onCase)).toEqual([]);
    expect(sorted(held.all.onCase)).toEqual(['initiator', 'signing_leader']);
    expect(sorted(held.all.onPart.get(1))).toEqual(['initiator', 'receiver', 'signing_leader']);
    expect(held.as.map((a) => a.principal.name)).toEqual(['李签发', '王检修']);
  });

  it('take an action through the principal’s roles only when the person’s own do not allow it, naming the principal', () => {
    const viaLeader = chooseRoles(args(snap(), 'issue'), resolveDelegatedRoles(deputy, [leader], snap(), contactForm));
    expect(isRefusal(viaLeader.plan)).toBe(false);
    expect(viaLeader.onBehalfOf?.name).toBe('李签发');
    // The signing leader acting while someone else stands in for someone: their own roles, nobody's behalf.
    const own = chooseRoles(args(snap(), 'issue'), resolveDelegatedRoles({ personId: 101, grants: leader.grants }, [receiverHead], snap(), contactForm));
    expect(isRefusal(own.plan)).toBe(false);
    expect(own.onBehalfOf).toBeNull();
  });

  it('refuse as before when neither the person nor any principal may act', () => {
    const held = resolveDelegatedRoles(deputy, [receiverHead], snap(), contactForm);
    const r = chooseRoles(args(snap(), 'issue'), held);
    expect(isRefusal(r.plan) && r.plan.kind).toBe('not_your_role');
    expect(r.onBehalfOf).toBeNull();
  });

  it('never count a person as their own principal', () => {
    const self: Principal = { ...leader, personId: deputy.personId };
    expect(resolveDelegatedRoles(deputy, [self], snap(), contactForm).as).toEqual([]);
  });
});
