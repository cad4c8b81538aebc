import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Radio, Select, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { requiredSelect } from '../../lib/rules.js';
import type { ContactFormFields } from '../../types.js';
import { beforeToday, type CaseItemsProps, compact, optionalText, TitleBodyItems } from './formShared.js';
import { useSigningLeaders } from './PeoplePickers.js';

export interface Receiver {
  unitId?: number;
  role: 'main' | 'assist';
}

export interface ContactFormValues {
  title: string;
  body: string;
  dueDate?: Dayjs;
  receivers: Receiver[];
  signingLeaderPersonId?: number;
}

/** The problem with a receiver list, if any: none, more than one 主办, a unit twice, the initiator itself. */
export function receiversProblem(t: TFunction, list: Receiver[] | undefined, initiatorUnitId?: number): string | null {
  const rows = list ?? [];
  if (rows.length === 0) return t('caseForm.atLeastOne');
  if (rows.filter((r) => r.role === 'main').length !== 1) return t('caseForm.exactlyOneMain');
  const ids = rows.map((r) => r.unitId).filter((id): id is number => id != null);
  if (new Set(ids).size !== ids.length) return t('caseForm.duplicateUnit');
  if (initiatorUnitId != null && ids.includes(initiatorUnitId)) return t('caseForm.ownUnit');
  return null;
}

/** Form values → the contract's fields (dates as YYYY-MM-DD). */
export function toFields(v: ContactFormValues): ContactFormFields {
  // A draft may be saved half-written (保存草稿): what is not filled in is left out, rows without a unit too.
  const receivers = (v.receivers ?? []).filter((r) => r?.unitId != null).map((r) => ({ unitId: r.unitId!, role: r.role }));
  return compact({
    title: (v.title ?? '').trim(),
    body: optionalText(v.body),
    dueDate: v.dueDate ? v.dueDate.format('YYYY-MM-DD') : undefined,
    receivers: receivers.length ? receivers : undefined,
    signingLeaderPersonId: v.signingLeaderPersonId ?? undefined,
  }) as ContactFormFields;
}

/** A case's stored fields → form values (for editing a draft). */
export function fromFields(fields: Record<string, unknown>): Partial<ContactFormValues> {
  const f = fields as Partial<ContactFormFields>;
  return {
    title: f.title ?? '',
    body: f.body ?? '',
    dueDate: f.dueDate ? dayjs(f.dueDate) : undefined,
    // A draft saved before any receiver was chosen opens with one empty row, as a new form does.
    receivers: f.receivers?.length ? f.receivers.map((r) => ({ unitId: r.unitId, role: r.role })) : [{ role: 'main' }],
    signingLeaderPersonId: f.signingLeaderPersonId,
  };
}

/** The fields of a 工作联系单: title, requirements, due date, receiving units (one 主办), signing leader. */
export function ContactFormItems({ form, initiatorUnitId, active = true }: CaseItemsProps) {
  const { t } = useTranslation();
  const leaders = useSigningLeaders(initiatorUnitId, active);

  // Only one leader can sign: choose them.
  useEffect(() => {
    const list = leaders.data;
    if (list?.length === 1 && !form.getFieldValue('signingLeaderPersonId')) form.setFieldValue('signingLeaderPersonId', list[0]!.id);
  }, [leaders.data, form]);

  /** Making one receiver 主办 makes the others 协办. */
  const onRole = (index: number, role: 'main' | 'assist') => {
    if (role !== 'main') return;
    const list = (form.getFieldValue('receivers') as Receiver[] | undefined) ?? [];
    form.setFieldValue(
      'receivers',
      list.map((r, i) => ({ ...r, role: i === index ? 'main' : 'assist' })),
    );
  };

  return (
    <>
      <TitleBodyItems
        titleLabel={t('caseForm.subject')}
        titlePlaceholder={t('caseForm.subjectPlaceholder')}
        bodyLabel={t('caseForm.body')}
        bodyPlaceholder={t('caseForm.bodyPlaceholder')}
      />
      <Form.Item name="dueDate" label={t('caseForm.dueDate')} extra={t('caseForm.dueDateHint')} rules={[requiredSelect(t, t('caseForm.dueDate'))]}>
        <DatePicker style={{ width: '100%', maxWidth: 240 }} disabledDate={beforeToday} aria-label={t('caseForm.dueDate')} />
      </Form.Item>
      <Form.Item label={t('caseForm.receivers')} required>
        <Form.List
          name="receivers"
          rules={[
            {
              validator: async (_, list: Receiver[] | undefined) => {
                const problem = receiversProblem(t, list, initiatorUnitId);
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div data-testid="receivers">
              {fields.map(({ key, name }) => (
                <Flex key={key} gap={8} align="start" data-testid="receiver-row">
                  <Form.Item name={[name, 'unitId']} rules={[requiredSelect(t, t('caseForm.receiverUnit'))]} style={{ flex: 1, minWidth: 0, marginBottom: 8 }}>
                    <UnitTreeSelect source="directory" placeholder={t('caseForm.receiverUnit')} aria-label={t('caseForm.receiverUnit')} />
                  </Form.Item>
                  <Form.Item name={[name, 'role']} style={{ marginBottom: 8 }}>
                    <Radio.Group
                      optionType="button"
                      onChange={(e) => onRole(name, e.target.value as 'main' | 'assist')}
                      options={[
                        { value: 'main', label: t('cases.main') },
                        { value: 'assist', label: t('cases.assist') },
                      ]}
                      aria-label={t('caseForm.role')}
                    />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('caseForm.removeReceiver')} disabled={fields.length <= 1} onClick={() => remove(name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: fields.length === 0 ? 'main' : 'assist' })}>
                {t('caseForm.addReceiver')}
              </Button>
              <div data-testid="receivers-error">
                <Form.ErrorList errors={errors} />
              </div>
            </div>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item
        name="signingLeaderPersonId"
        label={t('caseForm.signingLeader')}
        extra={t('caseForm.signingLeaderHint')}
        rules={[requiredSelect(t, t('caseForm.signingLeader'))]}
      >
        <Select<number>
          disabled={!initiatorUnitId}
          loading={leaders.isFetching}
          placeholder={initiatorUnitId ? t('caseForm.signingLeader') : t('caseForm.chooseInitiatorFirst')}
          notFoundContent={leaders.isFetching ? <Spin size="small" /> : leaders.error ? leaders.error.message : t('caseForm.noLeaders')}
          options={(leaders.data ?? []).map((l) => ({ value: l.id, label: [l.name, l.post, l.unitName].filter(Boolean).join(' · ') }))}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ maxWidth: 420 }}
          aria-label={t('caseForm.signingLeader')}
        />
      </Form.Item>
    </>
  );
}
