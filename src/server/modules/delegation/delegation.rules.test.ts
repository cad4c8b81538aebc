import { describe, expect, it } from 'vitest';
import { checkPeriod, isInForce, overlaps, statusOf } from './delegation.rules.js';

const now = new Date('2026-03-10T02:00:00Z');
const ok = { principalPersonId: 1, deputyPersonId: 2, from: '2026-03-10T00:00:00Z', until: '2026-03-13T00:00:00Z' };

describe('delegation rules (委托代理)', () => {
  it('is in force only inside its period and until revoked: it ends by itself', () => {
    const d = { ...ok, revokedAt: null };
    expect(isInForce(d, now)).toBe(true);
    expect(isInForce(d, new Date('2026-03-09T23:59:59Z'))).toBe(false);
    expect(isInForce(d, new Date('2026-03-13T00:00:00Z'))).toBe(false);
    expect(isInForce({ ...d, revokedAt: '2026-03-10T01:00:00Z' }, now)).toBe(false);
    expect(statusOf(d, new Date('2026-03-01T00:00:00Z'))).toBe('scheduled');
    expect(statusOf(d, now)).toBe('active');
    expect(statusOf(d, new Date('2026-03-14T00:00:00Z'))).toBe('ended');
    expect(statusOf({ ...d, revokedAt: now.toISOString() }, now)).toBe('revoked');
  });

  it('counts periods that share an instant as overlapping, back-to-back ones not', () => {
    expect(overlaps(ok, { from: '2026-03-12T00:00:00Z', until: '2026-03-20T00:00:00Z' })).toBe(true);
    expect(overlaps(ok, { from: '2026-03-13T00:00:00Z', until: '2026-03-20T00:00:00Z' })).toBe(false);
    expect(overlaps(ok, { from: '2026-03-01T00:00:00Z', until: '2026-03-10T00:00:00Z' })).toBe(false);
  });

  it('accepts a period within the policy maximum', () => {
    expect(checkPeriod(ok, now, 90)).toEqual([]);
  });

  it.each([
    ['the deputy is the principal', { ...ok, deputyPersonId: 1 }, 'deputyPersonId', 'self_deputy'],
    ['the end is not after the start', { ...ok, until: ok.from }, 'until', 'until_not_after_from'],
    ['the end is already past', { ...ok, from: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' }, 'until', 'until_in_past'],
    ['the period is longer than the policy allows', { ...ok, until: '2026-03-14T00:00:01Z' }, 'until', 'delegation_too_long'],
  ])('refuses when %s', (_, input, path, key) => {
    expect(checkPeriod(input, now, 4)).toEqual([expect.objectContaining({ path, key })]);
  });
});
