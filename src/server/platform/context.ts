import type { Lang } from './http/messages.js';

/** Who did something, as the audit log records it. */
export interface AuditActor {
  accountId: number;
  name: string;
}

/** What every service call knows about the request it serves. */
export interface RequestContext<A extends AuditActor = AuditActor> {
  actor: A | null;
  requestId: string | null;
  ip: string | null;
  lang: Lang;
  /**
   * The system itself acts (issue 9 §5): scheduled work — an expiry that moves a case, a case the
   * scheduler creates — recorded as 系统 / System, not as a person and not as an operator's script.
   */
  system?: boolean;
}

/** The name the audit chain records for the system acting (no account): shown as 系统 / System. */
export const SYSTEM_ACTOR_NAME = 'system';

/** For scheduled work done by the system itself (the sweep, the scheduler): see {@link RequestContext.system}. */
export function systemActorContext(lang: Lang = 'zh-CN'): RequestContext {
  return { actor: null, requestId: null, ip: null, lang, system: true };
}

/** For scripts (demo, setup from the command line): no HTTP request behind the change. */
export function systemContext(lang: Lang = 'zh-CN'): RequestContext {
  return { actor: null, requestId: null, ip: null, lang };
}
