import { DatePicker, Form, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { requiredSelect } from '../../lib/rules.js';
import type { CommissionLetterFields } from '../../types.js';
import { beforeToday, type CaseItemsProps, compact, optionalText, TitleBodyItems } from './formShared.js';
import { PersonSelect, useSigningLeaders } from './PeoplePickers.js';

export const REPORT_KINDS = ['heading', 'coal_face', 'agreed'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface CommissionLetterValues {
  title: string;
  body: string;
  reportKind: ReportKind;
  dueDate?: Dayjs;
  receiverUnitId?: number;
  departmentHeadPersonId?: number;
  chiefEngineerPersonId?: number;
}

/** Form values → the letter's fields: the agreed date only for an agreed term (the server refuses it otherwise). */
export function toCommissionFields(v: CommissionLetterValues): CommissionLetterFields {
  return compact({
    title: (v.title ?? '').trim(),
    body: optionalText(v.body),
    reportKind: v.reportKind,
    dueDate: v.reportKind === 'agreed' && v.dueDate ? v.dueDate.format('YYYY-MM-DD') : undefined,
    receiverUnitId: v.receiverUnitId ?? undefined,
    departmentHeadPersonId: v.departmentHeadPersonId ?? undefined,
    chiefEngineerPersonId: v.chiefEngineerPersonId ?? undefined,
  }) as CommissionLetterFields;
}

export function fromCommissionFields(fields: Record<string, unknown>): Partial<CommissionLetterValues> {
  const f = fields as Partial<CommissionLetterFields>;
  return {
    title: f.title ?? '',
    body: f.body ?? '',
    reportKind: f.reportKind ?? 'heading',
    dueDate: f.dueDate ? dayjs(f.dueDate) : undefined,
    receiverUnitId: f.receiverUnitId,
    departmentHeadPersonId: f.departmentHeadPersonId,
    chiefEngineerPersonId: f.chiefEngineerPersonId,
  };
}

/**
 * The fields of a 委托书: what is commissioned, the commissioned unit, the deliverable (and its date
 * when agreed), and its two signers in turn: the department head (部长), then the chief engineer
 * (总工程师), both leaders over the initiating unit (GET /cases/signing-leaders).
 */
export function CommissionLetterItems({ form, initiatorUnitId, active = true }: CaseItemsProps) {
  const { t } = useTranslation();
  const leaders = useSigningLeaders(initiatorUnitId, active);
  const reportKind = Form.useWatch('reportKind', form) as ReportKind | undefined;
  const head = Form.useWatch('departmentHeadPersonId', form) as number | undefined;
  const chief = Form.useWatch('chiefEngineerPersonId', form) as number | undefined;
  // The chief engineer is usually a company leader: the farthest up first.
  const chiefCandidates = useMemo(() => [...(leaders.data ?? [])].reverse(), [leaders.data]);
  const taken = (id: number | undefined) => new Map(id ? [[id, t('commission.sameSigner')]] : []);
  const placeholder = initiatorUnitId ? undefined : t('caseForm.chooseInitiatorFirst');

  return (
    <>
      <TitleBodyItems
        titleLabel={t('caseForm.subject')}
        titlePlaceholder={t('commission.subjectPlaceholder')}
        bodyLabel={t('commission.body')}
        bodyPlaceholder={t('commission.bodyPlaceholder')}
      />
      <Form.Item
        name="receiverUnitId"
        label={t('commission.receiverUnit')}
        extra={t('commission.receiverHint')}
        rules={[
          requiredSelect(t, t('commission.receiverUnit')),
          {
            validator: async (_, v: number | undefined) => {
              if (v != null && v === initiatorUnitId) throw new Error(t('caseForm.ownUnit'));
            },
          },
        ]}
      >
        <UnitTreeSelect source="directory" placeholder={t('commission.receiverUnit')} aria-label={t('commission.receiverUnit')} style={{ maxWidth: 420 }} />
      </Form.Item>
      <Form.Item
        name="reportKind"
        label={t('commission.reportKind')}
        extra={t('commission.reportKindHint')}
        rules={[requiredSelect(t, t('commission.reportKind'))]}
      >
        <Radio.Group
          aria-label={t('commission.reportKind')}
          style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
          options={REPORT_KINDS.map((k) => ({ value: k, label: t(`commission.reportKinds.${k}`) }))}
        />
      </Form.Item>
      {reportKind === 'agreed' ? (
        <Form.Item name="dueDate" label={t('commission.dueDate')} rules={[requiredSelect(t, t('commission.dueDate'))]}>
          <DatePicker style={{ width: '100%', maxWidth: 240 }} disabledDate={beforeToday} aria-label={t('commission.dueDate')} />
        </Form.Item>
      ) : null}
      <Form.Item
        name="departmentHeadPersonId"
        label={t('commission.departmentHead')}
        extra={t('commission.departmentHeadHint')}
        rules={[requiredSelect(t, t('commission.departmentHead'))]}
      >
        <PersonSelect
          candidates={leaders.data ?? []}
          loading={leaders.isFetching}
          error={leaders.error}
          disabled={taken(chief)}
          placeholder={placeholder}
          emptyText={t('caseForm.noLeaders')}
          aria-label={t('commission.departmentHead')}
        />
      </Form.Item>
      <Form.Item
        name="chiefEngineerPersonId"
        label={t('commission.chiefEngineer')}
        extra={t('commission.chiefEngineerHint')}
        dependencies={['departmentHeadPersonId']}
        rules={[
          requiredSelect(t, t('commission.chiefEngineer')),
          ({ getFieldValue }) => ({
            validator: async (_, v: number | undefined) => {
              if (v != null && v === getFieldValue('departmentHeadPersonId')) throw new Error(t('commission.sameSigner'));
            },
          }),
        ]}
      >
        <PersonSelect
          candidates={chiefCandidates}
          loading={leaders.isFetching}
          error={leaders.error}
          disabled={taken(head)}
          placeholder={placeholder}
          emptyText={t('caseForm.noLeaders')}
          aria-label={t('commission.chiefEngineer')}
        />
      </Form.Item>
    </>
  );
}
