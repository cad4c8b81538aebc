import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { PolicyView } from '../../types.js';

interface Props {
  /** The policy being edited; null: closed. */
  policy: PolicyView | null;
  /** Null: the organization's value (PUT /policies/:key); a unit: its override (PUT /policies/units/:unitId). */
  unit: { id: number; name: string } | null;
  onClose: () => void;
}

/** Changes one policy for the organization, or overrides it for a unit and everything below it. */
export function PolicyEditModal({ policy, unit, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ value: number | string }>();
  const map = useMemo(() => (policy ? { [`values.${policy.key}`]: 'value' } : undefined), [policy]);
  const errors = useFormErrors(form, map);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const numeric = typeof policy?.default === 'number';

  useEffect(() => {
    if (policy) {
      errors.clear();
      form.setFieldsValue({ value: policy.value as number | string });
    }
  }, [policy, form, errors.clear]);

  const save = useMutation({
    mutationFn: ({ value }: { value: number | string }) =>
      unit ? api.put(`/policies/units/${unit.id}`, { values: { [policy!.key]: value } }) : api.put(`/policies/${encodeURIComponent(policy!.key)}`, { value }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['policies'] });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={!!policy}
      title={unit ? t('policies.editAtUnit', { unit: unit.name }) : t('policies.editOrg')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      forceRender
    >
      <Typography.Paragraph>
        <Typography.Text code>{policy?.key}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{policy?.source}</Typography.Paragraph>
      {unit ? <Typography.Paragraph type="secondary">{t('policies.unitHint', { unit: unit.name })}</Typography.Paragraph> : null}
      <Form
        form={form}
        layout="vertical"
        name="policy-edit"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="value" label={t('policies.value')} rules={[{ required: true, message: t('policies.valueRequired') }]}>
          {numeric ? <InputNumber style={{ width: '100%' }} aria-label={t('policies.value')} /> : <Input aria-label={t('policies.value')} />}
        </Form.Item>
      </Form>
      {errors.alert}
    </Modal>
  );
}
