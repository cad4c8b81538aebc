import { Alert, App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { AuthShell } from '../components/AuthShell.js';
import { ChangePasswordForm } from '../components/ChangePasswordForm.js';
import { FullPageSpin } from '../components/FullPageSpin.js';
import { useLogout } from '../layout/AppLayout.js';
import { useMe } from '../lib/queries.js';

/** First login or after an administrator's reset: nothing else works until the password is changed. */
export default function ForcedPasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();
  if (me.isPending) return <FullPageSpin />;
  if (!me.data) return <Navigate to="/login" replace />;
  if (!me.data.mustChangePassword) return <Navigate to="/" replace />;
  return (
    <AuthShell title={t('password.forcedTitle')}>
      <Alert type="warning" showIcon title={t('password.forcedHint')} style={{ marginBottom: 16 }} />
      <ChangePasswordForm
        block
        onDone={async () => {
          await me.refetch();
          void message.success(t('password.changed'));
          navigate('/', { replace: true });
        }}
      />
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()}>
        {t('nav.logout')}
      </Button>
    </AuthShell>
  );
}
