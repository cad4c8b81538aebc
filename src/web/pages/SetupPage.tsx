import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Divider, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api.js';
import { AuthShell } from '../components/AuthShell.js';
import { counted, maxRule, TEXT_LIMITS } from '../lib/limits.js';
import { qk } from '../lib/queries.js';
import { passwordRules, required, sameAs, USERNAME_RE } from '../lib/rules.js';
import { useFormErrors } from '../lib/useFormErrors.js';
import type { MeView, SetupBody, SetupStatusView } from '../types.js';

export const TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Urumqi',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
] as const;

interface Values {
  organizationName: string;
  timeZone: string;
  admin: { name: string; username: string; password: string; passwordConfirm: string };
}

export default function SetupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();

  const setup = useMutation({
    mutationFn: (body: SetupBody) => api.post<MeView>('/setup', body),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.setQueryData(qk.me, me);
      qc.setQueryData<SetupStatusView>(qk.setup, { needed: false, organizationName: me.organization.name });
      void message.success(t('setup.done'));
      // A new installation has no units yet: the administrator's first job is the organization tree.
      navigate('/org', { replace: true });
    },
    onError: errors.report,
  });

  const onFinish = (v: Values) => {
    errors.clear();
    setup.mutate({
      organizationName: v.organizationName.trim(),
      timeZone: v.timeZone,
      admin: { name: v.admin.name.trim(), username: v.admin.username.trim(), password: v.admin.password },
    });
  };

  return (
    <AuthShell title={t('setup.title')} subtitle={t('setup.subtitle')} width={520}>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ timeZone: 'Asia/Shanghai' }}
        onFinish={onFinish}
        onValuesChange={() => errors.error && errors.clear()}
        disabled={setup.isPending}
        name="setup"
      >
        <Divider titlePlacement="start" style={{ marginTop: 0 }}>
          {t('setup.orgSection')}
        </Divider>
        <Form.Item
          name="organizationName"
          label={t('setup.orgName')}
          extra={t('setup.orgNameHint')}
          rules={[required(t, t('setup.orgName')), { min: 2, message: t('setup.orgNameHint') }, maxRule(t, t('setup.orgName'), TEXT_LIMITS.organizationName)]}
        >
          <Input placeholder={t('setup.orgNamePlaceholder')} {...counted(TEXT_LIMITS.organizationName)} autoFocus />
        </Form.Item>
        <Form.Item name="timeZone" label={t('setup.timeZone')} extra={t('setup.timeZoneHint')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={TIME_ZONES.map((z) => ({ value: z, label: t(`setup.tz.${z}`) }))}
            aria-label={t('setup.timeZone')}
          />
        </Form.Item>
        <Divider titlePlacement="start">{t('setup.adminSection')}</Divider>
        <Form.Item
          name={['admin', 'name']}
          label={t('setup.adminName')}
          rules={[required(t, t('setup.adminName')), maxRule(t, t('setup.adminName'), TEXT_LIMITS.personName)]}
        >
          <Input {...counted(TEXT_LIMITS.personName)} autoComplete="name" />
        </Form.Item>
        <Form.Item
          name={['admin', 'username']}
          label={t('setup.username')}
          extra={t('setup.usernameHint')}
          rules={[required(t, t('setup.username')), { pattern: USERNAME_RE, message: t('setup.usernameRule') }]}
        >
          <Input {...counted(TEXT_LIMITS.username)} autoComplete="username" autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item name={['admin', 'password']} label={t('setup.password')} extra={t('common.passwordRule')} rules={passwordRules(t, t('setup.password'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name={['admin', 'passwordConfirm']}
          label={t('common.passwordConfirm')}
          dependencies={[['admin', 'password']]}
          rules={sameAs(t, ['admin', 'password'], t('common.passwordConfirm'))}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {errors.alert}
        <Button type="primary" htmlType="submit" block size="large" loading={setup.isPending}>
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthShell>
  );
}
