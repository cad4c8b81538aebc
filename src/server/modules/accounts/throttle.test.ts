import { describe, expect, it } from 'vitest';
import { afterFailure, currentFailures, type ThrottlePolicy, type ThrottleState, throttleDelaySeconds, waitSeconds } from './throttle.js';

const P: ThrottlePolicy = { freeAttempts: 3, baseSeconds: 1, maxSeconds: 900, forgetMinutes: 1440 };

describe('login throttling: growing delays, never a lockout', () => {
  it('lets the first tries through, then doubles the wait up to the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 30].map((n) => throttleDelaySeconds(n, P))).toEqual([0, 0, 1, 2, 4, 8, 128, 900]);
  });

  it('counts failures in a row and forgets them after the policy time', () => {
    const t0 = new Date('2026-11-02T01:00:00Z');
    let s: ThrottleState | undefined;
    for (let i = 0; i < 4; i++) s = afterFailure(s, t0, P);
    expect(s).toEqual({ failures: 4, lastFailedAt: t0.toISOString(), blockedUntil: '2026-11-02T01:00:02.000Z' });
    expect(waitSeconds(s, t0)).toBe(2);
    expect(waitSeconds(s, new Date(t0.getTime() + 2000))).toBe(0);
    const later = new Date(t0.getTime() + 1441 * 60_000);
    expect(currentFailures(s, later, P)).toBe(0);
    expect(afterFailure(s, later, P).failures).toBe(1);
  });
});
