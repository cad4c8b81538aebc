import { useMutation } from '@tanstack/react-query';
import { Flex, Form, Input, InputNumber, Modal, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { dynT } from '../../lib/format.js';
import { counted, TEXT_LIMITS } from '../../lib/limits.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { AssessmentActionBody, AssessmentRow } from '../../types.js';

interface Values {
  reason: string;
  ruling?: 'upheld' | 'reduced' | 'withdrawn';
  points?: number;
  money?: number;
}

interface Props {
  row: AssessmentRow | null;
  /** drop, appeal or rule: the actions that ask for a reason. */
  action: 'drop' | 'appeal' | 'rule' | null;
  onClose: () => void;
  onDone: (label: string) => void;
}

/** 放弃 / 申诉 / 裁定 of one assessment; 裁定 “减轻” asks for the reduced points and amount. */
export function AssessmentActionModal({ row, action, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const ruling = Form.useWatch('ruling', form);
  const open = !!row && !!action;
  const label = action ? dynT(t, `assessments.actions.${action}`, action) : '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another row or action opens.
  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.resetFields();
    if (action === 'rule' && row) form.setFieldsValue({ ruling: 'upheld', points: row.points, money: row.money });
  }, [open, row, action]);

  const run = useMutation({
    mutationFn: (v: Values) => {
      const reason = v.reason.trim();
      let body: AssessmentActionBody;
      if (action === 'rule')
        body = {
          action: 'rule',
          ruling: v.ruling ?? 'upheld',
          reason,
          ...(v.ruling === 'reduced' ? { points: v.points ?? 0, money: v.money ?? 0 } : {}),
          version: row!.version,
        };
      else body = { action: action === 'drop' ? 'drop' : 'appeal', reason, version: row!.version };
      return api.post<unknown>(`/assessments/${row!.id}/actions`, body);
    },
    onSuccess: () => onDone(label),
    onError: errors.report,
  });

  const reasonLabel = action === 'appeal' ? t('assessments.appealReason') : action === 'drop' ? t('assessments.dropReason') : t('assessments.rulingReason');

  return (
    <Modal
      open={open}
      title={row ? `${label}${t('common.colon')}${row.ruleName}` : label}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={label}
      okButtonProps={{ danger: action === 'drop' }}
      confirmLoading={run.isPending}
      forceRender
    >
      {row ? (
        <Typography.Paragraph type="secondary">
          {[
            row.subjectUnit?.name ?? row.subjectPerson?.name,
            row.evidence,
            `${t('assessments.points')} ${row.points}`,
            `${t('assessments.money')} ${row.money}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Paragraph>
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        name="assessment-action"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          run.mutate(v);
        }}
      >
        {action === 'rule' ? (
          <Form.Item name="ruling" label={t('assessments.ruling')} rules={[requiredSelect(t, t('assessments.ruling'))]}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'upheld', label: t('assessments.rulings.upheld') },
                { value: 'reduced', label: t('assessments.rulings.reduced') },
                { value: 'withdrawn', label: t('assessments.rulings.withdrawn') },
              ]}
            />
          </Form.Item>
        ) : null}
        {action === 'rule' && ruling === 'reduced' ? (
          <Flex gap={12} wrap>
            <Form.Item name="points" label={t('assessments.newPoints')} rules={[{ required: true, type: 'number', min: 0, max: 100 }]}>
              <InputNumber min={0} max={100} step={0.5} />
            </Form.Item>
            <Form.Item name="money" label={t('assessments.newMoney')} rules={[{ required: true, type: 'number', min: 0, max: 100000 }]}>
              <InputNumber min={0} max={100000} step={10} prefix="¥" />
            </Form.Item>
          </Flex>
        ) : null}
        <Form.Item name="reason" label={reasonLabel} rules={[required(t, reasonLabel), { min: 2, max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} {...counted(TEXT_LIMITS.reason)} />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
