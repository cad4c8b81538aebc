import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Input, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isoToPickerText, pickerToIso } from '../../lib/format.js';
import { counted } from '../../lib/limits.js';
import { useMe } from '../../lib/queries.js';
import { required, requiredSelect } from '../../lib/rules.js';
import type { OperationTicketFields } from '../../types.js';
import { type CaseItemsProps, compact, optionalText } from './formShared.js';
import { type Candidate, mergeCandidates, PersonSelect, useSigningLeaders, useUnitMembers } from './PeoplePickers.js';

export interface OperationTicketValues {
  title: string;
  operation: 'power_off' | 'power_on';
  equipment: string;
  steps: string[];
  plannedAt?: Dayjs;
  usersContacted?: string;
  reviewerPersonId?: number;
  permitterPersonId?: number;
}

/** Form values → the ticket's fields: steps trimmed, in order; the planned time with its offset. */
export function toTicketFields(v: OperationTicketValues): OperationTicketFields {
  // A draft may be saved half-written (保存草稿): empty steps and people not yet named are left out.
  const steps = (v.steps ?? []).map((s) => (s ?? '').trim()).filter(Boolean);
  return compact({
    title: (v.title ?? '').trim(),
    operation: v.operation,
    equipment: optionalText(v.equipment),
    steps: steps.length ? steps : undefined,
    plannedAt: v.plannedAt ? pickerToIso(v.plannedAt) : undefined,
    usersContacted: optionalText(v.usersContacted),
    reviewerPersonId: v.reviewerPersonId ?? undefined,
    permitterPersonId: v.permitterPersonId ?? undefined,
  }) as OperationTicketFields;
}

export function fromTicketFields(fields: Record<string, unknown>): Partial<OperationTicketValues> {
  const f = fields as Partial<OperationTicketFields>;
  return {
    title: f.title ?? '',
    operation: f.operation ?? 'power_off',
    equipment: f.equipment ?? '',
    steps: f.steps?.length ? [...f.steps] : [''],
    plannedAt: f.plannedAt ? dayjs(isoToPickerText(f.plannedAt)) : undefined,
    usersContacted: f.usersContacted,
    reviewerPersonId: f.reviewerPersonId,
    permitterPersonId: f.permitterPersonId,
  };
}

/**
 * The fields of a 停送电操作票: the task, power off or on, the equipment, the steps in order, and the two
 * people who sign after the operator: the reviewer (a member of the unit) and the permitting shift
 * supervisor (a shift leader, head or leader over the unit). Members are listed only for those who may
 * read people; the leaders over the unit come from GET /cases/signing-leaders.
 */
export function OperationTicketItems({ form, initiatorUnitId, active = true }: CaseItemsProps) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const leaders = useSigningLeaders(initiatorUnitId, active);
  const members = useUnitMembers(initiatorUnitId, active);
  const reviewer = Form.useWatch('reviewerPersonId', form) as number | undefined;
  const permitter = Form.useWatch('permitterPersonId', form) as number | undefined;

  const memberList: Candidate[] = useMemo(() => (members.data?.items ?? []).map((p) => ({ id: p.id, name: p.name, post: p.post })), [members.data]);
  const permitters = useMemo(() => mergeCandidates(leaders.data, memberList), [leaders.data, memberList]);
  const blocked = (other: number | undefined) => {
    const m = new Map<number, string>();
    if (me?.personId) m.set(me.personId, t('ticket.notYourself'));
    if (other) m.set(other, t('ticket.samePerson'));
    return m;
  };
  const placeholder = initiatorUnitId ? undefined : t('caseForm.chooseInitiatorFirst');

  return (
    <>
      <Form.Item name="title" label={t('ticket.subject')} rules={[required(t, t('ticket.subject')), { min: 2, max: 200 }]}>
        <Input {...counted(200)} placeholder={t('ticket.subjectPlaceholder')} />
      </Form.Item>
      <Form.Item name="operation" label={t('ticket.operation')} rules={[requiredSelect(t, t('ticket.operation'))]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          aria-label={t('ticket.operation')}
          options={[
            { value: 'power_off', label: t('ticket.operations.power_off') },
            { value: 'power_on', label: t('ticket.operations.power_on') },
          ]}
        />
      </Form.Item>
      <Form.Item name="equipment" label={t('ticket.equipment')} rules={[required(t, t('ticket.equipment')), { max: 200 }]}>
        <Input {...counted(200)} placeholder={t('ticket.equipmentPlaceholder')} />
      </Form.Item>
      <Form.Item label={t('ticket.steps')} extra={t('ticket.stepsHint')} required>
        <Form.List
          name="steps"
          rules={[
            {
              validator: async (_, list: string[] | undefined) => {
                if (!list?.length) throw new Error(t('ticket.atLeastOneStep'));
              },
            },
          ]}
        >
          {(fields, { add, remove, move }, { errors }) => (
            <div data-testid="ticket-steps">
              {fields.map(({ key, name }, index) => (
                <Flex key={key} gap={6} align="start" data-testid="ticket-step">
                  <Typography.Text type="secondary" style={{ lineHeight: '32px', minWidth: 22, textAlign: 'end' }}>
                    {index + 1}.
                  </Typography.Text>
                  <Form.Item
                    name={name}
                    rules={[required(t, t('ticket.step', { n: index + 1 })), { max: 500 }]}
                    style={{ flex: 1, minWidth: 0, marginBottom: 8 }}
                  >
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} {...counted(500)} aria-label={t('ticket.step', { n: index + 1 })} />
                  </Form.Item>
                  <Flex gap={2}>
                    <Button
                      type="text"
                      size="small"
                      icon={<ArrowUpOutlined />}
                      aria-label={t('ticket.moveUp')}
                      disabled={index === 0}
                      onClick={() => move(index, index - 1)}
                      style={{ marginTop: 4 }}
                    />
                    <Button
                      type="text"
                      size="small"
                      icon={<ArrowDownOutlined />}
                      aria-label={t('ticket.moveDown')}
                      disabled={index === fields.length - 1}
                      onClick={() => move(index, index + 1)}
                      style={{ marginTop: 4 }}
                    />
                    <Button
                      type="text"
                      size="small"
                      icon={<DeleteOutlined />}
                      aria-label={t('ticket.removeStep')}
                      disabled={fields.length <= 1}
                      onClick={() => remove(name)}
                      style={{ marginTop: 4 }}
                    />
                  </Flex>
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} disabled={fields.length >= 100}>
                {t('ticket.addStep')}
              </Button>
              <div data-testid="ticket-steps-error">
                <Form.ErrorList errors={errors} />
              </div>
            </div>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="plannedAt" label={t('ticket.plannedAt')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%', maxWidth: 240 }} aria-label={t('ticket.plannedAt')} />
      </Form.Item>
      <Form.Item name="usersContacted" label={t('ticket.usersContacted')} rules={[{ max: 500 }]}>
        <Input {...counted(500)} placeholder={t('ticket.usersContactedPlaceholder')} />
      </Form.Item>
      <Form.Item name="reviewerPersonId" label={t('ticket.reviewer')} extra={t('ticket.reviewerHint')} rules={[requiredSelect(t, t('ticket.reviewer'))]}>
        <PersonSelect
          candidates={memberList}
          loading={members.isFetching}
          error={members.error}
          disabled={blocked(permitter)}
          placeholder={placeholder}
          aria-label={t('ticket.reviewer')}
        />
      </Form.Item>
      <Form.Item
        name="permitterPersonId"
        label={t('ticket.permitter')}
        extra={t('ticket.permitterHint')}
        dependencies={['reviewerPersonId']}
        rules={[
          requiredSelect(t, t('ticket.permitter')),
          ({ getFieldValue }) => ({
            validator: async (_, v: number | undefined) => {
              if (v != null && v === getFieldValue('reviewerPersonId')) throw new Error(t('ticket.samePerson'));
            },
          }),
        ]}
      >
        <PersonSelect
          candidates={permitters}
          loading={leaders.isFetching || members.isFetching}
          error={leaders.error}
          disabled={blocked(reviewer)}
          placeholder={placeholder}
          aria-label={t('ticket.permitter')}
        />
      </Form.Item>
    </>
  );
}
