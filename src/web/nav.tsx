import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  FieldTimeOutlined,
  FileAddOutlined,
  InboxOutlined,
  ReconciliationOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export type NavKey =
  | 'cases'
  | 'caseNew'
  | 'assessments'
  | 'org'
  | 'people'
  | 'import'
  | 'roles'
  | 'accounts'
  | 'calendar'
  | 'deadline'
  | 'policies'
  | 'audit'
  | 'me';

export const NAV_GROUPS = ['groupCases', 'groupOrg', 'groupWork', 'groupAdmin'] as const;

export interface NavItem {
  key: NavKey;
  path: string;
  icon: ReactNode;
  group: (typeof NAV_GROUPS)[number];
  /** Shown when the user holds any of these (empty: everyone). */
  anyOf: string[];
}

/** The side menu, by module; each entry is shown only to users whose permissions allow the page. */
export const NAV: NavItem[] = [
  // Everyone takes part in work contact; the server decides what each person sees.
  { key: 'cases', path: '/cases', icon: <InboxOutlined />, group: 'groupCases', anyOf: [] },
  { key: 'caseNew', path: '/cases/new', icon: <FileAddOutlined />, group: 'groupCases', anyOf: [] },
  { key: 'assessments', path: '/assessments', icon: <ReconciliationOutlined />, group: 'groupCases', anyOf: [] },
  { key: 'org', path: '/org', icon: <ApartmentOutlined />, group: 'groupOrg', anyOf: ['org.read'] },
  { key: 'people', path: '/people', icon: <TeamOutlined />, group: 'groupOrg', anyOf: ['people.read'] },
  { key: 'import', path: '/import', icon: <CloudUploadOutlined />, group: 'groupOrg', anyOf: ['org.manage', 'people.manage'] },
  { key: 'calendar', path: '/calendar', icon: <CalendarOutlined />, group: 'groupWork', anyOf: [] },
  { key: 'deadline', path: '/deadline', icon: <FieldTimeOutlined />, group: 'groupWork', anyOf: [] },
  { key: 'policies', path: '/policies', icon: <ControlOutlined />, group: 'groupAdmin', anyOf: ['policy.manage'] },
  { key: 'roles', path: '/roles', icon: <SafetyCertificateOutlined />, group: 'groupAdmin', anyOf: ['role.manage'] },
  { key: 'accounts', path: '/accounts', icon: <UserSwitchOutlined />, group: 'groupAdmin', anyOf: ['account.manage'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, group: 'groupAdmin', anyOf: ['audit.read'] },
  { key: 'me', path: '/me', icon: <UserOutlined />, group: 'groupAdmin', anyOf: [] },
];

export function allowedNav(permissions: readonly string[]): NavItem[] {
  const have = new Set(permissions);
  return NAV.filter((n) => n.anyOf.length === 0 || n.anyOf.some((p) => have.has(p)));
}

/** The menu entry for a path: the longest one it falls under (/cases/new before /cases). */
export function navPathFor(items: readonly NavItem[], pathname: string): string | undefined {
  return items.filter((n) => pathname === n.path || pathname.startsWith(`${n.path}/`)).sort((a, b) => b.path.length - a.path.length)[0]?.path;
}
