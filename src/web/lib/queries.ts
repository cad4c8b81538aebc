import { QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../api.js';
import { currentLang } from '../i18n/index.js';
import type { CaseListView, MeView, NotificationListView, RoleView, SetupStatusView, UnitTypeView, UnitView } from '../types.js';
import { localName, setDisplayZone } from './format.js';

export const qk = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  units: ['units'] as const,
  unitTypes: ['unit-types'] as const,
  roles: ['roles'] as const,
  people: (params: object) => ['people', params] as const,
  person: (id: number) => ['person', id] as const,
  personHistory: (id: number) => ['person', id, 'history'] as const,
  unitHistory: (id: number) => ['unit', id, 'history'] as const,
  unitMembers: (id: number) => ['people', 'unit', id] as const,
  accounts: ['accounts'] as const,
  /** Under 'accounts': refreshing the accounts refreshes who still has none. */
  accountCandidates: ['accounts', 'candidates'] as const,
  accountTokens: (id: number) => ['accounts', id, 'tokens'] as const,
  tokens: ['tokens'] as const,
  calendar: (year: number) => ['calendar', year] as const,
  calendarTerms: ['calendar', 'terms'] as const,
  audit: (params: object) => ['audit', params] as const,
  /** Everything about cases starts with 'cases': one invalidation refreshes lists, counts and details. */
  cases: ['cases'] as const,
  caseList: (params: object) => ['cases', 'list', params] as const,
  caseTodoCount: ['cases', 'todo-count'] as const,
  caseDetail: (id: number) => ['cases', 'detail', id] as const,
  signingLeaders: (unitId: number) => ['cases', 'signing-leaders', unitId] as const,
  partMembers: (caseId: number, partId: number) => ['cases', 'detail', caseId, 'members', partId] as const,
  notifications: ['notifications'] as const,
  notificationBell: ['notifications', 'bell'] as const,
  notificationPage: (params: object) => ['notifications', 'page', params] as const,
  assessments: (params: object) => ['assessments', params] as const,
};

/** How often the bell and the menu badge ask again. */
export const POLL_MS = 30_000;

export function createQueryClient() {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A 4xx will not get better by asking again.
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  // Times on screen follow the organization's zone of whoever is logged in (login, setup, /auth/me).
  client.getQueryCache().subscribe((e) => {
    if (e.query.queryKey[0] === qk.me[0]) setDisplayZone((e.query.state.data as MeView | null | undefined)?.organization.timeZone);
  });
  return client;
}

/** The logged-in user, or null when nobody is (401). Keeps the CSRF token for later writes. */
export async function fetchMe(): Promise<MeView | null> {
  try {
    const me = await api.get<MeView>('/auth/me');
    setCsrfToken(me.csrfToken);
    setDisplayZone(me.organization.timeZone);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export const useSetupStatus = () => useQuery({ queryKey: qk.setup, queryFn: () => api.get<SetupStatusView>('/setup'), staleTime: Infinity });

export const useMe = (enabled = true) => useQuery({ queryKey: qk.me, queryFn: fetchMe, enabled, staleTime: 5 * 60_000 });

/** `can('org.manage')` — from /auth/me `permissions` (held somewhere; the server still checks the scope). */
export function useCan() {
  const { data: me } = useMe();
  const perms = new Set(me?.permissions ?? []);
  return (perm: string) => perms.has(perm);
}

export const useUnits = (enabled = true) => useQuery({ queryKey: qk.units, queryFn: () => api.get<UnitView[]>('/units'), enabled });
/** Every active unit of the organization, for addressing forms (not limited to what the user manages). */
export const useUnitDirectory = (enabled = true) =>
  useQuery({ queryKey: ['units', 'directory'], queryFn: () => api.get<UnitView[]>('/cases/receiver-units'), enabled, staleTime: 60_000 });
export const useUnitTypes = (enabled = true) =>
  useQuery({ queryKey: qk.unitTypes, queryFn: () => api.get<UnitTypeView[]>('/unit-types'), enabled, staleTime: 5 * 60_000 });
export const useRoles = (enabled = true) => useQuery({ queryKey: qk.roles, queryFn: () => api.get<RoleView[]>('/roles'), enabled, staleTime: 60_000 });

/**
 * A role's name in the UI language. Memberships, reporting chains and grants carry the server's
 * `roleName`, which is in Chinese whatever the request's language; the roles list has both names.
 */
export function useRoleName() {
  const { data: me } = useMe();
  const roles = useRoles(!!me?.permissions.includes('org.read'));
  const lang = currentLang();
  return (code: string, fallback: string) => {
    const r = roles.data?.find((x) => x.code === code);
    return r ? localName(r, lang) : fallback;
  };
}

/** The latest unread notifications and their count (the bell), asked again every 30 s. */
export const useNotificationBell = (enabled = true) =>
  useQuery({
    queryKey: qk.notificationBell,
    queryFn: () => api.get<NotificationListView>('/notifications', { unreadOnly: 'true', pageSize: 8 }),
    enabled,
    refetchInterval: POLL_MS,
    staleTime: 10_000,
  });

/** How many cases wait for the user (the menu badge): one row asked for, the total counted by the server. */
export const useTodoCount = (enabled = true) =>
  useQuery({
    queryKey: qk.caseTodoCount,
    queryFn: async () => (await api.get<CaseListView>('/cases', { tab: 'todo', page: 1, pageSize: 1 })).total,
    enabled,
    refetchInterval: POLL_MS * 2,
    staleTime: 10_000,
  });

/** Units the user belongs to (from the grants of /auth/me), each once: where they may start a form. */
export function myUnits(me: MeView | null | undefined): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const g of me?.grants ?? []) if (!seen.has(g.unitId)) seen.set(g.unitId, g.unitName);
  return [...seen].map(([id, name]) => ({ id, name }));
}
