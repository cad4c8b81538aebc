import { LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Badge, Button, Drawer, Dropdown, Layout, Menu, type MenuProps, Spin, Typography } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { NotificationBell } from '../components/NotificationBell.js';
import { qk, useMe, useTodoCount } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import { allowedNav, NAV_GROUPS, navPathFor } from '../nav.js';

const SIDER_KEY = 'liaison.sider.collapsed';

export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = useTranslation();
  return async () => {
    try {
      await api.post('/auth/logout');
    } catch {
      /* the session may already be gone: log out locally anyway */
    }
    setCsrfToken(null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'setup' });
    qc.setQueryData(qk.me, null);
    navigate('/login', { replace: true });
    void message.success(t('nav.loggedOut'));
  };
}

function ContentFallback() {
  return (
    <div style={{ padding: 64, textAlign: 'center' }} aria-busy="true">
      <Spin />
    </div>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const logout = useLogout();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(() => {
    try {
      return localStorage.getItem(SIDER_KEY) === '1';
    } catch {
      return false;
    }
  });

  const nav = useMemo(() => allowedNav(me?.permissions ?? []), [me?.permissions]);
  const selected = navPathFor(nav, location.pathname);
  const todo = useTodoCount(!!me);
  const todoCount = todo.data ?? 0;

  const items: MenuProps['items'] = useMemo(() => {
    return NAV_GROUPS.map((g) => ({
      type: 'group' as const,
      key: g,
      label: collapsed && !isMobile ? null : t(`nav.${g}`),
      children: nav
        .filter((n) => n.group === g)
        .map((n) => ({
          key: n.path,
          icon: n.icon,
          label:
            n.key === 'cases' && todoCount > 0 ? (
              <span className="nav-with-badge">
                {t(`nav.${n.key}`)}
                <Badge count={todoCount} size="small" overflowCount={99} data-testid="todo-badge" />
              </span>
            ) : (
              t(`nav.${n.key}`)
            ),
        })),
    })).filter((g) => g.children.length > 0);
  }, [nav, t, collapsed, isMobile, todoCount]);

  const go: MenuProps['onClick'] = ({ key }) => {
    navigate(key);
    setDrawerOpen(false);
  };
  const menu = <Menu mode="inline" items={items} selectedKeys={selected ? [selected] : []} onClick={go} style={{ borderInlineEnd: 0 }} />;

  const toggleCollapsed = () => {
    setCollapsed((c) => {
      try {
        localStorage.setItem(SIDER_KEY, c ? '0' : '1');
      } catch {
        /* ignore */
      }
      return !c;
    });
  };

  const userMenu: MenuProps = {
    items: [
      { key: 'me', icon: <UserOutlined />, label: t('nav.me') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'me') navigate('/me');
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <header className="app-header">
        {isMobile ? (
          <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} data-testid="menu-button" onClick={() => setDrawerOpen(true)} />
        ) : (
          <Button type="text" icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} aria-label={t('nav.menu')} onClick={toggleCollapsed} />
        )}
        <div className="app-brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.name')}
          </Typography.Text>
          {me?.organization.name ? (
            <span className="org" data-testid="org-name">
              {isMobile ? '' : '· '}
              {isMobile ? null : me.organization.name}
            </span>
          ) : null}
        </div>
        <NotificationBell />
        <LanguageSwitch compact={isMobile} />
        <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
          <Button type="text" data-testid="user-menu" style={{ paddingInline: 6 }}>
            <Avatar size="small" style={{ background: '#1f4e8c' }}>
              {me?.name.slice(-2) ?? ''}
            </Avatar>
            {isMobile ? null : <span style={{ marginInlineStart: 6 }}>{me?.name}</span>}
          </Button>
        </Dropdown>
      </header>
      <Layout>
        {isMobile ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            title={me?.organization.name ?? t('app.name')}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider
            className="app-sider"
            width={208}
            collapsedWidth={64}
            collapsed={collapsed}
            theme="light"
            style={{ borderInlineEnd: '1px solid #e6e9ef', position: 'sticky', top: 56, height: 'calc(100vh - 56px)', overflow: 'auto' }}
          >
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content className="app-content">
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<ContentFallback />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
