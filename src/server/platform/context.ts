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
}

/** For scripts (demo, setup from the command line): no HTTP request behind the change. */
export function systemContext(lang: Lang = 'zh-CN'): RequestContext {
  return { actor: null, requestId: null, ip: null, lang };
}
