import { useMutation, useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Input, Modal, Radio, Select, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.js';
import { qk } from '../../lib/queries.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { CaseActionView, CaseDetail, CasePart, PartMember } from '../../types.js';

type Kind = 'text' | 'date' | 'handler' | 'about';

interface FieldSpec {
  name: string;
  kind: Kind;
  label: string;
  required: boolean;
  /** Text: minimum length (the server's), rows of the text area. */
  min?: number;
  rows?: number;
  /** Date: the earliest day that may be chosen (exclusive of days before it). */
  notBefore?: Dayjs;
  initial?: unknown;
}

export interface ActionSpec {
  fields: FieldSpec[];
  hint?: string;
  danger?: boolean;
}

/**
 * What each action of the case engine asks for (src/server/modules/cases/types/contact-form.ts).
 * An action the UI does not know gets a plain confirmation.
 */
export function actionSpec(t: TFunction, action: string, part: CasePart | null): ActionSpec {
  const reason = (label = t('caseAction.reason')): FieldSpec => ({ name: 'reason', kind: 'text', label, required: true, min: 2, rows: 3 });
  const optionalNote: FieldSpec = { name: 'note', kind: 'text', label: t('caseAction.noteOptional'), required: false, rows: 2 };
  const today = dayjs().startOf('day');
  const afterCurrent = part?.dueDate ? dayjs(part.dueDate).add(1, 'day') : today;
  switch (action) {
    case 'submit':
      return { fields: [], hint: t('caseAction.submitHint') };
    case 'issue':
      return { fields: [], hint: t('caseAction.issueHint') };
    case 'send_back':
      return { fields: [reason()], danger: true };
    case 'withdraw':
      return { fields: [reason()], hint: t('caseAction.withdrawHint'), danger: true };
    case 'sign':
      return { fields: [{ name: 'handlerPersonId', kind: 'handler', label: t('caseAction.handler'), required: true }, optionalNote] };
    case 'object':
      return { fields: [{ name: 'about', kind: 'about', label: t('caseAction.about'), required: true }, reason()] };
    case 'reject_objection':
    case 'uphold_objection':
    case 'refuse_extension':
    case 'request_supervision':
      return { fields: [reason()] };
    case 'progress':
      return { fields: [{ name: 'note', kind: 'text', label: t('caseAction.progressNote'), required: true, min: 1, rows: 4 }] };
    case 'request_extension':
      return {
        fields: [
          { name: 'dueDate', kind: 'date', label: t('caseAction.extensionDue'), required: true, notBefore: afterCurrent.isAfter(today) ? afterCurrent : today },
          reason(),
        ],
      };
    case 'grant_extension':
      return {
        fields: [
          {
            name: 'dueDate',
            kind: 'date',
            label: t('caseAction.extensionDue'),
            required: true,
            notBefore: afterCurrent,
            initial: part?.requestedDueDate ? dayjs(part.requestedDueDate) : undefined,
          },
          { name: 'reason', kind: 'text', label: t('caseAction.noteOptional'), required: false, rows: 2 },
        ],
        hint: part?.requestedDueDate ? t('caseAction.grantHint', { current: part.dueDate ?? t('common.none'), requested: part.requestedDueDate }) : undefined,
      };
    case 'reply':
      return {
        fields: [{ name: 'result', kind: 'text', label: t('caseAction.replyResult'), required: true, min: 2, rows: 6 }],
        hint: t('caseAction.replyHint'),
      };
    case 'accept':
      return { fields: [optionalNote] };
    case 'return':
      return { fields: [reason(), { name: 'dueDate', kind: 'date', label: t('caseAction.returnDue'), required: true, notBefore: today }], danger: true };
    case 'escalate':
      return { fields: [{ name: 'note', kind: 'text', label: t('caseAction.note'), required: true, min: 2, rows: 3 }] };
    case 'supervision_note':
      return { fields: [{ name: 'note', kind: 'text', label: t('caseAction.supervisionNote'), required: true, min: 1, rows: 3 }] };
    case 'supervision_result':
      return { fields: [{ name: 'result', kind: 'text', label: t('caseAction.supervisionResult'), required: true, min: 2, rows: 4 }] };
    default:
      return { fields: [] };
  }
}

/** Form values → the action's `input`: trimmed text, YYYY-MM-DD dates, empty optional fields left out. */
export function toInput(spec: ActionSpec, values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const v = values[f.name];
    if (v === undefined || v === null) continue;
    if (f.kind === 'date') input[f.name] = (v as Dayjs).format('YYYY-MM-DD');
    else if (typeof v === 'string') {
      if (v.trim()) input[f.name] = v.trim();
    } else input[f.name] = v;
  }
  return input;
}

/** `input.reason` (the server's path) → `reason` (the dialog's field). */
function unwrapInputPaths(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  return new ApiError(
    err.status,
    err.code,
    err.message,
    err.details.map((d) => ({ ...d, path: d.path.replace(/^(?:body\.)?input\./, '') })),
  );
}

interface Props {
  detail: CaseDetail;
  /** The action to carry out; null when the dialog is closed. */
  action: CaseActionView | null;
  onClose: () => void;
  onDone: (detail: CaseDetail, action: CaseActionView) => void;
  /** 409: the case moved on (another user, a clock) or the action is no longer allowed. */
  onConflict: (err: ApiError) => void;
}

/** The dialog of one case action: asks what the action needs, posts it with the version the user saw. */
export function ActionDialog({ detail, action, onClose, onDone, onConflict }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Record<string, unknown>>();
  const errors = useFormErrors(form);
  const part = action?.partId != null ? (detail.parts.find((p) => p.id === action.partId) ?? null) : null;
  const spec = action ? actionSpec(t, action.action, part) : { fields: [] };
  const needsMembers = !!action && spec.fields.some((f) => f.kind === 'handler');

  const members = useQuery({
    queryKey: qk.partMembers(detail.id, action?.partId ?? 0),
    queryFn: () => api.get<PartMember[]>(`/cases/${detail.id}/parts/${action?.partId}/members`),
    enabled: needsMembers && action?.partId != null,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when another action opens.
  useEffect(() => {
    if (!action) return;
    errors.clear();
    form.resetFields();
    const initial: Record<string, unknown> = {};
    for (const f of spec.fields) if (f.initial !== undefined) initial[f.name] = f.initial;
    form.setFieldsValue(initial);
  }, [action]);

  const run = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const a = action!;
      const body: Record<string, unknown> = { action: a.action };
      if (a.partId != null) body.partId = a.partId;
      body.version = detail.version;
      if (spec.fields.length > 0) body.input = toInput(spec, values);
      return api.post<CaseDetail>(`/cases/${detail.id}/actions`, body);
    },
    onSuccess: (d) => onDone(d, action!),
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) {
        onConflict(e);
        return;
      }
      errors.report(unwrapInputPaths(e));
    },
  });

  const title = action
    ? part
      ? t('caseAction.partTitle', { label: action.label, unit: part.unit.name })
      : t('caseAction.confirmTitle', { label: action.label })
    : '';

  return (
    <Modal
      open={!!action}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action?.label}
      okButtonProps={{ danger: spec.danger }}
      confirmLoading={run.isPending}
      forceRender
      data-testid="action-dialog"
    >
      {spec.hint ? <Typography.Paragraph type="secondary">{spec.hint}</Typography.Paragraph> : null}
      {spec.fields.length === 0 && action ? <Typography.Paragraph>{t('caseAction.confirm', { label: action.label })}</Typography.Paragraph> : null}
      <Form
        form={form}
        layout="vertical"
        name="case-action"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          run.mutate(v);
        }}
      >
        {spec.fields.map((f) => {
          const rules = f.required ? [f.kind === 'text' ? required(t, f.label) : requiredSelect(t, f.label)] : [];
          if (f.kind === 'text')
            return (
              <Form.Item key={f.name} name={f.name} label={f.label} rules={[...rules, ...(f.min && f.required ? [{ min: f.min }] : []), { max: 10_000 }]}>
                <Input.TextArea autoSize={{ minRows: f.rows ?? 3, maxRows: 14 }} maxLength={10_000} />
              </Form.Item>
            );
          if (f.kind === 'date')
            return (
              <Form.Item key={f.name} name={f.name} label={f.label} rules={rules}>
                <DatePicker
                  style={{ width: '100%', maxWidth: 240 }}
                  disabledDate={(d) => !!f.notBefore && d.isBefore(f.notBefore, 'day')}
                  aria-label={f.label}
                />
              </Form.Item>
            );
          if (f.kind === 'about')
            return (
              <Form.Item key={f.name} name={f.name} label={f.label} rules={rules}>
                <Radio.Group
                  options={[
                    { value: 'requirement', label: t('caseAction.aboutRequirement') },
                    { value: 'deadline', label: t('caseAction.aboutDeadline') },
                  ]}
                />
              </Form.Item>
            );
          return (
            <Form.Item key={f.name} name={f.name} label={f.label} rules={rules}>
              <Select<number>
                showSearch={{ optionFilterProp: 'label' }}
                loading={members.isFetching}
                placeholder={t('caseAction.handlerPlaceholder')}
                notFoundContent={members.isFetching ? <Spin size="small" /> : members.error ? members.error.message : undefined}
                options={(members.data ?? []).map((m) => ({ value: m.id, label: [m.name, m.post].filter(Boolean).join(' · ') }))}
                aria-label={f.label}
                data-testid="handler-select"
              />
            </Form.Item>
          );
        })}
        {errors.alert}
      </Form>
    </Modal>
  );
}
