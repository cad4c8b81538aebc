import type { FieldProblem } from '../../platform/http/messages.js';

/** A delegation as the rules see it: instants as ISO text (UTC), compared as instants. */
export interface Period {
  from: string;
  until: string;
}

export interface DelegationLike extends Period {
  revokedAt: string | null;
}

const DAY = 86_400_000;

/** In force at `now`: its period contains now (from inclusive, until exclusive) and it was not revoked. It ends by itself. */
export function isInForce(d: DelegationLike, now: Date): boolean {
  const t = now.getTime();
  return d.revokedAt === null && Date.parse(d.from) <= t && t < Date.parse(d.until);
}

export function statusOf(d: DelegationLike, now: Date): 'scheduled' | 'active' | 'ended' | 'revoked' {
  if (d.revokedAt !== null) return 'revoked';
  const t = now.getTime();
  if (t < Date.parse(d.from)) return 'scheduled';
  return t < Date.parse(d.until) ? 'active' : 'ended';
}

/** Two periods share an instant (half-open: one ending when the other starts does not overlap). */
export function overlaps(a: Period, b: Period): boolean {
  return Date.parse(a.from) < Date.parse(b.until) && Date.parse(b.from) < Date.parse(a.until);
}

/**
 * The checks that need no database: not oneself, the end after the start and not past, at most
 * `maxDays` long (policy delegation.maxDays). Field-named problems; empty when all is well.
 */
export function checkPeriod(input: { principalPersonId: number; deputyPersonId: number } & Period, now: Date, maxDays: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.deputyPersonId === input.principalPersonId) problems.push({ path: 'deputyPersonId', key: 'self_deputy', params: {} });
  const from = Date.parse(input.from);
  const until = Date.parse(input.until);
  if (until <= from) problems.push({ path: 'until', key: 'until_not_after_from', params: {} });
  else if (until <= now.getTime()) problems.push({ path: 'until', key: 'until_in_past', params: {} });
  else if (until - from > maxDays * DAY) problems.push({ path: 'until', key: 'delegation_too_long', params: { max: maxDays } });
  return problems;
}
