import { useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { FullPageSpin } from './components/FullPageSpin.js';
import { LoadState } from './components/LoadState.js';
import { AppLayout } from './layout/AppLayout.js';
import { qk, useMe, useSetupStatus } from './lib/queries.js';
import { allowedNav } from './nav.js';
import { Forbidden, NotFound } from './pages/Status.js';
import type { MeView } from './types.js';

const SetupPage = lazy(() => import('./pages/SetupPage.js'));
const LoginPage = lazy(() => import('./pages/LoginPage.js'));
const ForcedPasswordPage = lazy(() => import('./pages/ForcedPasswordPage.js'));
const OrgPage = lazy(() => import('./pages/OrgPage.js'));
const PeoplePage = lazy(() => import('./pages/PeoplePage.js'));
const PersonPage = lazy(() => import('./pages/PersonPage.js'));
const ImportPage = lazy(() => import('./pages/ImportPage.js'));
const RolesPage = lazy(() => import('./pages/RolesPage.js'));
const AccountsPage = lazy(() => import('./pages/AccountsPage.js'));
const CalendarPage = lazy(() => import('./pages/CalendarPage.js'));
const DeadlinePage = lazy(() => import('./pages/DeadlinePage.js'));
const AuditPage = lazy(() => import('./pages/AuditPage.js'));
const PoliciesPage = lazy(() => import('./pages/PoliciesPage.js'));
const MePage = lazy(() => import('./pages/MePage.js'));
const CasesPage = lazy(() => import('./pages/CasesPage.js'));
const CaseNewPage = lazy(() => import('./pages/CaseNewPage.js'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage.js'));
const NotificationsPage = lazy(() => import('./pages/NotificationsPage.js'));
const AssessmentsPage = lazy(() => import('./pages/AssessmentsPage.js'));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

/** The page needs one of these permissions (the server checks again; this only avoids a dead end). */
function Guard({ anyOf, children }: { anyOf: string[]; children: ReactNode }) {
  const { data: me } = useMe();
  const perms = new Set(me?.permissions ?? []);
  if (anyOf.length && !anyOf.some((p) => perms.has(p))) return <Forbidden />;
  return <>{children}</>;
}

function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (me.error) return <LoadState loading={false} error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.data.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

/** Everyone starts at their to-do list (工作联系 → 待办事项). */
function HomeRedirect() {
  const { data: me } = useMe();
  const first = allowedNav(me?.permissions ?? [])[0];
  return <Navigate to={first?.path ?? '/cases'} replace />;
}

export function AppRoutes() {
  const setup = useSetupStatus();
  const location = useLocation();
  const qc = useQueryClient();
  if (setup.isPending) return <FullPageSpin />;
  if (setup.error)
    return (
      <div className="full-center">
        <LoadState loading={false} error={setup.error} onRetry={() => void setup.refetch()} />
      </div>
    );
  const needed = setup.data.needed;
  if (needed && location.pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (!needed && location.pathname === '/setup') {
    // Just set up: the administrator's first job is the organization tree. The setup page navigates
    // there too, but the setup status may re-render this first.
    const me = qc.getQueryData<MeView>(qk.me);
    return <Navigate to={me?.permissions.includes('org.manage') ? '/org' : '/'} replace />;
  }
  return (
    <ErrorBoundary resetKey={location.pathname}>
      <Routes>
        <Route
          path="/setup"
          element={
            <Lazy>
              <SetupPage />
            </Lazy>
          }
        />
        <Route
          path="/login"
          element={
            <Lazy>
              <LoginPage />
            </Lazy>
          }
        />
        <Route
          path="/change-password"
          element={
            <Lazy>
              <ForcedPasswordPage />
            </Lazy>
          }
        />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomeRedirect />} />
          <Route path="cases" element={<CasesPage />} />
          <Route path="cases/new" element={<CaseNewPage />} />
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="assessments" element={<AssessmentsPage />} />
          <Route
            path="org"
            element={
              <Guard anyOf={['org.read']}>
                <OrgPage />
              </Guard>
            }
          />
          <Route
            path="people"
            element={
              <Guard anyOf={['people.read']}>
                <PeoplePage />
              </Guard>
            }
          />
          <Route
            path="people/:id"
            element={
              <Guard anyOf={['people.read']}>
                <PersonPage />
              </Guard>
            }
          />
          <Route
            path="import"
            element={
              <Guard anyOf={['org.manage', 'people.manage']}>
                <ImportPage />
              </Guard>
            }
          />
          <Route
            path="roles"
            element={
              <Guard anyOf={['org.read', 'role.manage']}>
                <RolesPage />
              </Guard>
            }
          />
          <Route
            path="accounts"
            element={
              <Guard anyOf={['account.manage']}>
                <AccountsPage />
              </Guard>
            }
          />
          <Route path="calendar" element={<CalendarPage />} />
          <Route path="deadline" element={<DeadlinePage />} />
          <Route path="policies" element={<PoliciesPage />} />
          <Route
            path="audit"
            element={
              <Guard anyOf={['audit.read']}>
                <AuditPage />
              </Guard>
            }
          />
          <Route path="me" element={<MePage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </ErrorBoundary>
  );
}
