import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  FieldTimeOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export type NavKey = 'org' | 'people' | 'import' | 'roles' | 'accounts' | 'calendar' | 'deadline' | 'audit' | 'me';

export interface NavItem {
  key: NavKey;
  path: string;
  icon: ReactNode;
  group: 'groupOrg' | 'groupWork' | 'groupAdmin';
  /** Shown when the user holds any of these (empty: everyone). */
  anyOf: string[];
}

/** The side menu, by module; each entry is shown only to users whose permissions allow the page. */
export const NAV: NavItem[] = [
  { key: 'org', path: '/org', icon: <ApartmentOutlined />, group: 'groupOrg', anyOf: ['org.read'] },
  { key: 'people', path: '/people', icon: <TeamOutlined />, group: 'groupOrg', anyOf: ['people.read'] },
  { key: 'import', path: '/import', icon: <CloudUploadOutlined />, group: 'groupOrg', anyOf: ['org.manage', 'people.manage'] },
  { key: 'calendar', path: '/calendar', icon: <CalendarOutlined />, group: 'groupWork', anyOf: [] },
  { key: 'deadline', path: '/deadline', icon: <FieldTimeOutlined />, group: 'groupWork', anyOf: [] },
  { key: 'roles', path: '/roles', icon: <SafetyCertificateOutlined />, group: 'groupAdmin', anyOf: ['role.manage'] },
  { key: 'accounts', path: '/accounts', icon: <UserSwitchOutlined />, group: 'groupAdmin', anyOf: ['account.manage'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, group: 'groupAdmin', anyOf: ['audit.read'] },
  { key: 'me', path: '/me', icon: <UserOutlined />, group: 'groupAdmin', anyOf: [] },
];

export function allowedNav(permissions: readonly string[]): NavItem[] {
  const have = new Set(permissions);
  return NAV.filter((n) => n.anyOf.length === 0 || n.anyOf.some((p) => have.has(p)));
}
