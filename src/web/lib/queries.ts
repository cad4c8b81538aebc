import { QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../api.js';
import { currentLang } from '../i18n/index.js';
import type { MeView, RoleView, SetupStatusView, UnitTypeView, UnitView } from '../types.js';
import { localName } from './format.js';

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
  tokens: ['tokens'] as const,
  calendar: (year: number) => ['calendar', year] as const,
  audit: (params: object) => ['audit', params] as const,
};

export function createQueryClient() {
  return new QueryClient({
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
}

/** The logged-in user, or null when nobody is (401). Keeps the CSRF token for later writes. */
export async function fetchMe(): Promise<MeView | null> {
  try {
    const me = await api.get<MeView>('/auth/me');
    setCsrfToken(me.csrfToken);
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
