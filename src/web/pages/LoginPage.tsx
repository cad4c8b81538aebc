import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api.js';
import { AuthShell } from '../components/AuthShell.js';
import { FullPageSpin } from '../components/FullPageSpin.js';
import { qk, useMe } from '../lib/queries.js';
import { required } from '../lib/rules.js';
import type { MeView } from '../types.js';

interface Values {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  const from = (location.state as { from?: string } | null)?.from;

  const login = useMutation({
    mutationFn: (v: Values) => api.post<MeView>('/auth/login', v),
    onSuccess: (data) => {
      setCsrfToken(data.csrfToken);
      qc.setQueryData(qk.me, data);
      navigate(data.mustChangePassword ? '/change-password' : from && from !== '/login' ? from : '/', { replace: true });
    },
    onError: () => form.setFieldValue('password', ''),
  });

  if (me.isPending) return <FullPageSpin />;
  if (me.data && !login.isPending) return <Navigate to={me.data.mustChangePassword ? '/change-password' : '/'} replace />;

  return (
    <AuthShell title={t('login.title')} subtitle={t('login.subtitle')}>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => login.mutate({ username: v.username.trim(), password: v.password })}
        name="login"
      >
        <Form.Item name="username" label={t('login.username')} rules={[required(t, t('login.username'))]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus size="large" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('common.required', { field: t('login.password') }) }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
        </Form.Item>
        {login.error ? <Alert type="error" showIcon role="alert" title={login.error.message} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          {t('login.submit')}
        </Button>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 13 }}>
          {t('login.forgot')}
        </Typography.Paragraph>
      </Form>
    </AuthShell>
  );
}
