import type { AuditActor, RequestContext } from '../../platform/context.js';
import type { Grant } from './permissions.js';

export interface Actor extends AuditActor {
  personId: number;
  username: string;
  grants: Grant[];
  mustChangePassword: boolean;
  via: 'session' | 'token';
  /** Set for session logins; token calls are not exposed to CSRF. */
  csrfToken: string | null;
}

export type Ctx = RequestContext<Actor>;
