import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Modal, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { currentLang } from '../../i18n/index.js';
import { localName } from '../../lib/format.js';
import { useRoles } from '../../lib/queries.js';
import { requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';

interface Values {
  unitId: number;
  roleCode: string;
  isPrimary: boolean;
}

/** POST /memberships — one more post (unit + role) for a person. */
export function MembershipModal({ open, personId, personName, onClose }: { open: boolean; personId: number; personName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const roles = useRoles(open);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const lang = currentLang();

  useEffect(() => {
    if (open) {
      errors.clear();
      form.resetFields();
      form.setFieldsValue({ roleCode: 'staff', isPrimary: false });
    }
  }, [open, form, errors.clear]);

  const add = useMutation({
    mutationFn: (v: Values) => api.post<{ id: number }>('/memberships', { personId, unitId: v.unitId, roleCode: v.roleCode, isPrimary: v.isPrimary }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['person', personId] });
      void qc.invalidateQueries({ queryKey: ['people'] });
      void message.success(t('common.created'));
      onClose();
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={t('person.addMembershipTitle', { name: personName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.add')}
      confirmLoading={add.isPending}
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="membership"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          add.mutate(v);
        }}
      >
        <Form.Item name="unitId" label={t('person.unit')} rules={[requiredSelect(t, t('person.unit'))]}>
          <UnitTreeSelect aria-label={t('person.unit')} />
        </Form.Item>
        <Form.Item name="roleCode" label={t('person.role')} rules={[requiredSelect(t, t('person.role'))]}>
          <Select
            loading={roles.isLoading}
            options={(roles.data ?? []).map((r) => ({ value: r.code, label: localName(r, lang) }))}
            aria-label={t('person.role')}
          />
        </Form.Item>
        <Form.Item name="isPrimary" label={t('person.primary')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
