import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import { counted, TEXT_LIMITS } from '../../lib/limits.js';
import { qk } from '../../lib/queries.js';
import { passwordRules, required, requiredSelect, sameAs, USERNAME_RE } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';

interface Values {
  personId: number;
  username: string;
  password: string;
  confirm: string;
}

/**
 * POST /accounts {personId, username, password}. With `person` the person is fixed (person page);
 * without, a person is picked (accounts page). The user must change the password at first login.
 */
export function CreateAccountModal({ open, person, onClose }: { open: boolean; person?: { id: number; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();

  useEffect(() => {
    if (open) {
      errors.clear();
      form.resetFields();
      if (person) form.setFieldsValue({ personId: person.id });
    }
  }, [open, person, form, errors.clear]);

  const create = useMutation({
    mutationFn: (v: Values) => api.post<{ id: number }>('/accounts', { personId: v.personId, username: v.username.trim(), password: v.password }),
    onSuccess: async (_r, v) => {
      await qc.invalidateQueries({ queryKey: ['person', v.personId] });
      void qc.invalidateQueries({ queryKey: qk.accounts });
      void message.success(t('person.accountCreated'));
      onClose();
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={person ? t('person.createAccountTitle', { name: person.name }) : t('accounts.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('person.createAccount')}
      confirmLoading={create.isPending}
      forceRender
    >
      <Alert type="info" showIcon title={t('person.createAccountHint')} style={{ marginBottom: 16 }} />
      <Form<Values>
        form={form}
        layout="vertical"
        name="create-account"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          create.mutate(v);
        }}
      >
        <Form.Item name="personId" label={t('accounts.choosePerson')} rules={[requiredSelect(t, t('accounts.choosePerson'))]} hidden={!!person}>
          <PersonPicker />
        </Form.Item>
        <Form.Item
          name="username"
          label={t('setup.username')}
          extra={t('setup.usernameHint')}
          rules={[required(t, t('setup.username')), { pattern: USERNAME_RE, message: t('setup.usernameRule') }]}
        >
          <Input {...counted(TEXT_LIMITS.username)} autoComplete="off" autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item name="password" label={t('person.initialPassword')} extra={t('common.passwordRule')} rules={passwordRules(t, t('person.initialPassword'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('common.passwordConfirm')} dependencies={['password']} rules={sameAs(t, 'password', t('common.passwordConfirm'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
