import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, DatePicker, Flex, Form, Input, InputNumber, Modal, Radio, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { PersonPicker } from '../../components/PersonPicker.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { counted, LEDGER_LIMITS, TEXT_LIMITS } from '../../lib/limits.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { LedgerEventBody, LedgerEventCreatedView } from '../../types.js';

interface EntryValues {
  kind: 'unit' | 'person';
  unitId?: number;
  personId?: number;
  direction: 'debit' | 'credit';
  points?: number | null;
  money?: number | null;
}
interface Values {
  period?: Dayjs | null;
  reason: string;
  evidence?: string;
  judgePersonId?: number;
  entries: EntryValues[];
}

const blankEntry: EntryValues = { kind: 'unit', direction: 'debit' };

/**
 * 手工录入: the office enters one event by hand — one entry, or several that belong together (a
 * dismissal: the allowance, the unit's point, the unit head's fine). Each names its subject (a unit
 * or a person), credit or debit, points and/or yuan; the reason is required and the judge rules on
 * an appeal. The server checks the scope, the period and the amounts again.
 */
export function ManualEntryModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (r: LedgerEventCreatedView) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh form each time it opens.
  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.resetFields();
  }, [open]);

  const run = useMutation({
    mutationFn: (v: Values) => {
      const body: LedgerEventBody = {
        reason: v.reason.trim(),
        judgePersonId: v.judgePersonId as number,
        ...(v.period ? { period: v.period.format('YYYY-MM') } : {}),
        ...(v.evidence?.trim() ? { evidence: v.evidence.trim() } : {}),
        entries: v.entries.map((e) => ({
          subject: e.kind === 'unit' ? { kind: 'unit', id: e.unitId as number } : { kind: 'person', id: e.personId as number },
          direction: e.direction,
          ...(e.points ? { points: e.points } : {}),
          ...(e.money ? { money: e.money } : {}),
        })),
      };
      return api.post<LedgerEventCreatedView>('/assessments', body);
    },
    onSuccess: onDone,
    onError: errors.report,
  });

  const title = t('ledger.manual.title');
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('ledger.manual.submit')}
      confirmLoading={run.isPending}
      width={640}
      style={{ maxWidth: 'calc(100vw - 16px)' }}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('ledger.manual.intro')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        name="ledger-manual"
        requiredMark={false}
        initialValues={{ entries: [blankEntry] }}
        onFinish={(v) => {
          errors.clear();
          run.mutate(v);
        }}
      >
        <Form.List name="entries">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginBottom: 12 }}>
              {fields.map((field, i) => (
                <Card
                  key={field.key}
                  size="small"
                  data-testid={`ledger-entry-${i}`}
                  title={t('ledger.manual.entry', { n: i + 1 })}
                  extra={
                    fields.length > 1 ? (
                      <Button
                        type="text"
                        size="small"
                        icon={<MinusCircleOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('ledger.manual.removeEntry', { n: i + 1 })}
                      />
                    ) : null
                  }
                >
                  <Flex gap={12} wrap>
                    <Form.Item name={[field.name, 'kind']} label={t('ledger.subjectKind')} style={{ marginBottom: 8 }}>
                      <Radio.Group
                        optionType="button"
                        options={[
                          { value: 'unit', label: t('ledger.kinds.unit') },
                          { value: 'person', label: t('ledger.kinds.person') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'direction']} label={t('ledger.direction')} style={{ marginBottom: 8 }}>
                      <Radio.Group
                        optionType="button"
                        options={[
                          { value: 'debit', label: t('ledger.directions.debit') },
                          { value: 'credit', label: t('ledger.directions.credit') },
                        ]}
                      />
                    </Form.Item>
                  </Flex>
                  <Form.Item noStyle shouldUpdate={(a, b) => a.entries?.[i]?.kind !== b.entries?.[i]?.kind}>
                    {({ getFieldValue }) =>
                      getFieldValue(['entries', field.name, 'kind']) === 'person' ? (
                        <Form.Item
                          name={[field.name, 'personId']}
                          label={t('ledger.subjectPerson')}
                          rules={[requiredSelect(t, t('ledger.subjectPerson'))]}
                          style={{ marginBottom: 8 }}
                        >
                          <PersonPicker aria-label={t('ledger.subjectPerson')} />
                        </Form.Item>
                      ) : (
                        <Form.Item
                          name={[field.name, 'unitId']}
                          label={t('ledger.subjectUnit')}
                          rules={[requiredSelect(t, t('ledger.subjectUnit'))]}
                          style={{ marginBottom: 8 }}
                        >
                          <UnitTreeSelect placeholder={t('ledger.subjectUnit')} aria-label={t('ledger.subjectUnit')} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <Flex gap={12} wrap>
                    <Form.Item
                      name={[field.name, 'points']}
                      label={t('ledger.points')}
                      style={{ marginBottom: 0 }}
                      dependencies={[['entries', field.name, 'money']]}
                      rules={[
                        ({ getFieldValue }) => ({
                          validator: (_, v?: number | null) =>
                            v || getFieldValue(['entries', field.name, 'money'])
                              ? Promise.resolve()
                              : Promise.reject(new Error(t('ledger.manual.amountRequired'))),
                        }),
                      ]}
                    >
                      <InputNumber min={0} max={LEDGER_LIMITS.points} step={0.5} precision={2} aria-label={t('ledger.points')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'money']} label={t('ledger.money')} style={{ marginBottom: 0 }}>
                      <InputNumber min={0} max={LEDGER_LIMITS.money} step={10} precision={2} prefix="¥" aria-label={t('ledger.money')} style={{ width: 160 }} />
                    </Form.Item>
                  </Flex>
                </Card>
              ))}
              {fields.length < LEDGER_LIMITS.entries ? (
                <Button icon={<PlusOutlined />} onClick={() => add(blankEntry)} block type="dashed">
                  {t('ledger.manual.addEntry')}
                </Button>
              ) : null}
            </Flex>
          )}
        </Form.List>
        <Form.Item name="reason" label={t('ledger.reason')} rules={[required(t, t('ledger.reason')), { min: 2, max: TEXT_LIMITS.reason }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} {...counted(TEXT_LIMITS.reason)} />
        </Form.Item>
        <Form.Item name="judgePersonId" label={t('ledger.judge')} extra={t('ledger.manual.judgeHint')} rules={[requiredSelect(t, t('ledger.judge'))]}>
          <PersonPicker aria-label={t('ledger.judge')} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="period" label={t('ledger.period')} extra={t('ledger.manual.periodHint')} style={{ minWidth: 160 }}>
            <DatePicker picker="month" aria-label={t('ledger.period')} />
          </Form.Item>
          <Form.Item name="evidence" label={t('ledger.evidence')} style={{ flex: 1, minWidth: 180 }}>
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        {errors.alert}
      </Form>
    </Modal>
  );
}
