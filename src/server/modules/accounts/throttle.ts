/**
 * Login throttling (issue 8, security 6; OWASP ASVS V2.2.1), pure: failed logins are counted per
 * user name and client address, and after a few free tries each further try waits twice as long
 * as the one before, up to a ceiling. Nothing is ever locked: the owner of an account, from their
 * own address, logs in while a stranger guessing from another address waits.
 */
export interface ThrottlePolicy {
  freeAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetMinutes: number;
}

export interface ThrottleState {
  failures: number;
  lastFailedAt: string;
  blockedUntil: string | null;
}

/** Seconds the next try has to wait after `failures` wrong passwords in a row. */
export function throttleDelaySeconds(failures: number, p: ThrottlePolicy): number {
  if (failures < p.freeAttempts) return 0;
  return Math.min(p.maxSeconds, p.baseSeconds * 2 ** (failures - p.freeAttempts));
}

/** The failures that still count at `now`: old ones are forgotten. */
export function currentFailures(state: ThrottleState | undefined, now: Date, p: ThrottlePolicy): number {
  if (!state) return 0;
  return now.getTime() - Date.parse(state.lastFailedAt) > p.forgetMinutes * 60_000 ? 0 : state.failures;
}

/** Whole seconds until the next try is allowed (0: now). */
export function waitSeconds(state: ThrottleState | undefined, now: Date): number {
  if (!state?.blockedUntil) return 0;
  return Math.max(0, Math.ceil((Date.parse(state.blockedUntil) - now.getTime()) / 1000));
}

/** The state after one more wrong password at `now`. */
export function afterFailure(state: ThrottleState | undefined, now: Date, p: ThrottlePolicy): ThrottleState {
  const failures = currentFailures(state, now, p) + 1;
  const delay = throttleDelaySeconds(failures, p);
  return { failures, lastFailedAt: now.toISOString(), blockedUntil: delay ? new Date(now.getTime() + delay * 1000).toISOString() : null };
}
