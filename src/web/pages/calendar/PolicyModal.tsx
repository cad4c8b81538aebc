import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Modal, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';

dayjs.extend(customParseFormat);

interface Values {
  workdayStart: Dayjs;
  workdayEnd: Dayjs;
}

/** PUT /calendar/policy {workdayStart, workdayEnd} ("HH:mm"). */
export function PolicyModal({ open, policy, onClose }: { open: boolean; policy: { workdayStart: string; workdayEnd: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();

  useEffect(() => {
    if (open) {
      errors.clear();
      form.setFieldsValue({ workdayStart: dayjs(policy.workdayStart, 'HH:mm'), workdayEnd: dayjs(policy.workdayEnd, 'HH:mm') });
    }
  }, [open, policy, form, errors.clear]);

  const save = useMutation({
    mutationFn: (v: Values) => api.put('/calendar/policy', { workdayStart: v.workdayStart.format('HH:mm'), workdayEnd: v.workdayEnd.format('HH:mm') }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['calendar'] });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={t('calendar.policyTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('calendar.policyHint')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="inline"
        name="policy"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="workdayStart" label={t('calendar.workdayStart')} rules={[requiredSelect(t, t('calendar.workdayStart'))]}>
          <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} />
        </Form.Item>
        <Form.Item
          name="workdayEnd"
          label={t('calendar.workdayEnd')}
          dependencies={['workdayStart']}
          rules={[
            requiredSelect(t, t('calendar.workdayEnd')),
            ({ getFieldValue }) => ({
              validator: (_, v: Dayjs | undefined) => {
                const start = getFieldValue('workdayStart') as Dayjs | undefined;
                return !v || !start || v.format('HH:mm') > start.format('HH:mm') ? Promise.resolve() : Promise.reject(new Error(t('calendar.policyOrder')));
              },
            }),
          ]}
        >
          <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} />
        </Form.Item>
      </Form>
      <div style={{ marginTop: 12 }}>{errors.alert}</div>
    </Modal>
  );
}
