import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { passwordRules, sameAs } from '../lib/rules.js';
import { useFormErrors } from '../lib/useFormErrors.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** POST /auth/password; the server puts WRONG_PASSWORD on currentPassword and WEAK_PASSWORD on newPassword. */
export function ChangePasswordForm({ onDone, block }: { onDone: () => void | Promise<void>; block?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const change = useMutation({
    mutationFn: (v: Values) => api.post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      form.resetFields();
      await onDone();
    },
    onError: errors.report,
  });
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      name="change-password"
      onFinish={(v) => {
        errors.clear();
        change.mutate(v);
      }}
      style={{ maxWidth: block ? undefined : 420 }}
    >
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('common.required', { field: t('password.current') }) }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} extra={t('common.passwordRule')} rules={passwordRules(t, t('password.new'))}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="confirm" label={t('password.confirm')} dependencies={['newPassword']} rules={sameAs(t, 'newPassword', t('password.confirm'))}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      {errors.alert}
      <Button type="primary" htmlType="submit" loading={change.isPending} block={block}>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
