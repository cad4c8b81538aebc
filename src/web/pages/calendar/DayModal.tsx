import { DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Form, Input, Modal, Popconfirm, Radio, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { counted, TEXT_LIMITS } from '../../lib/limits.js';
import { qk } from '../../lib/queries.js';
import { required } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { CalendarYear } from '../../types.js';
import { dayKind } from './YearGrid.js';

interface Values {
  kind: 'holiday' | 'workday';
  name: string;
}

/** One day: what it is now, and the organization's override (PUT / DELETE /calendar/overrides). */
export function DayModal({ date, data, onClose }: { date: string | null; data: CalendarYear; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const info = date ? data.specialDays.find((d) => d.date === date) : undefined;
  const override = date ? data.overrides.find((o) => o.date === date) : undefined;
  const d = date ? dayjs(date) : null;
  const weekend = d ? d.day() === 0 || d.day() === 6 : false;
  const kind = d ? dayKind(d.day(), info) : 'workday';
  const working = info ? info.working : !weekend;
  const reason = info?.reason ?? (weekend ? 'weekend' : 'weekday');

  useEffect(() => {
    if (!date) return;
    errors.clear();
    form.resetFields();
    form.setFieldsValue(override ? { kind: override.kind, name: override.name } : { kind: working ? 'holiday' : 'workday', name: '' });
  }, [date, override, working, form, errors.clear]);

  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: qk.calendar(data.year) });
    void message.success(text);
    onClose();
  };
  const save = useMutation({
    mutationFn: (v: Values) => api.put('/calendar/overrides', { date, kind: v.kind, name: v.name.trim() }),
    onSuccess: () => done(t('calendar.overrideSaved', { date })),
    onError: errors.report,
  });
  const remove = useMutation({
    mutationFn: () => api.del(`/calendar/overrides/${date}`),
    onSuccess: () => done(t('calendar.overrideRemoved')),
    onError: errors.report,
  });

  return (
    <Modal
      open={!!date}
      title={d ? t('calendar.dayTitle', { date, weekday: d.format('dddd') }) : ''}
      onCancel={onClose}
      forceRender
      footer={[
        override ? (
          <Popconfirm key="remove" title={t('calendar.removeOverrideConfirm', { date })} okButtonProps={{ danger: true }} onConfirm={() => remove.mutate()}>
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
              {t('calendar.removeOverride')}
            </Button>
          </Popconfirm>
        ) : null,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={save.isPending} onClick={() => form.submit()}>
          {t('common.save')}
        </Button>,
      ]}
    >
      <Descriptions
        size="small"
        column={1}
        bordered
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'now',
            label: t('calendar.dayStatus'),
            children: (
              <>
                <Tag color={kind === 'holiday' ? 'red' : kind === 'makeup' ? 'blue' : working ? 'green' : 'default'}>
                  {working ? t('calendar.working') : t('calendar.off')}
                </Tag>
                {t(`calendar.reason.${reason as 'weekday'}`, { defaultValue: reason })}
                {info?.name ? `${t('common.colon')}${info.name}` : ''}
              </>
            ),
          },
        ]}
      />
      <Form<Values>
        form={form}
        layout="vertical"
        name="override"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="kind" label={t('calendar.overrideKind')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'holiday', label: t('calendar.overrideHoliday') },
              { value: 'workday', label: t('calendar.overrideWorkday') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.overrideName')} rules={[required(t, t('calendar.overrideName')), { max: 50 }]}>
          <Input {...counted(TEXT_LIMITS.calendarDayName)} placeholder={t('calendar.overrideNamePlaceholder')} />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
