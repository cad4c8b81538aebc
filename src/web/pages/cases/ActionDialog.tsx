import { useMutation, useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.js';
import { isoToPickerText, pickerToIso, todayInZone } from '../../lib/format.js';
import { counted, maxRule, TEXT_LIMITS } from '../../lib/limits.js';
import { qk } from '../../lib/queries.js';
import { required, requiredNumber, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { CaseActionView, CaseDetail, CasePart, PartMember } from '../../types.js';

type Kind = 'text' | 'date' | 'datetime' | 'number' | 'choice' | 'handler' | 'about';

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
  /** Date and time: the latest moment that may be chosen. */
  notAfter?: Dayjs;
  /** Number: its bounds and unit; text: its longest length (the server's). */
  max?: number;
  step?: number;
  unit?: string;
  /** Choice: the options. */
  options?: { value: string; label: string }[];
  initial?: unknown;
}

export interface ActionSpec {
  fields: FieldSpec[];
  hint?: string;
  danger?: boolean;
}

/** The case an action is about: its type decides what a shared action name (submit, issue…) means. */
type CaseOf = Pick<CaseDetail, 'type' | 'fields'>;

/**
 * What each action of the case engine asks for: the `input` schema of each transition of
 * src/server/modules/cases/types/{contact-form,commission-letter,notice,operation-ticket}.ts.
 * An action without input, or one the UI does not know, gets a plain confirmation.
 */
export function actionSpec(t: TFunction, action: string, part: CasePart | null, of: CaseOf = { type: 'contact_form', fields: {} }): ActionSpec {
  const reason = (label = t('caseAction.reason')): FieldSpec => ({
    name: 'reason',
    kind: 'text',
    label,
    required: true,
    min: 2,
    max: TEXT_LIMITS.reason,
    rows: 3,
  });
  const optionalNote: FieldSpec = { name: 'note', kind: 'text', label: t('caseAction.noteOptional'), required: false, max: TEXT_LIMITS.note, rows: 2 };
  const signNote: FieldSpec = { ...optionalNote, label: t('caseAction.signNote') };
  const today = dayjs(todayInZone()).startOf('day');
  const afterCurrent = part?.dueDate ? dayjs(part.dueDate).add(1, 'day') : today;
  const handler: FieldSpec = { name: 'handlerPersonId', kind: 'handler', label: t('caseAction.handler'), required: true };
  const heading = (side: 'A' | 'B') => {
    const name = of.fields[`heading${side}`];
    return { value: side, label: typeof name === 'string' && name ? t('caseAction.headingOption', { side, name }) : side };
  };
  switch (action) {
    case 'submit':
      if (of.type === 'commission_letter') return { fields: [], hint: t('caseAction.submitHintOf.commission_letter') };
      if (of.type === 'operation_ticket') return { fields: [], hint: t('caseAction.submitHintOf.operation_ticket') };
      return { fields: [], hint: t('caseAction.submitHint') };
    case 'issue':
      return { fields: [], hint: of.type === 'notice' ? t('caseAction.noticeIssueHint') : t('caseAction.issueHint') };
    // 委托书: the two signatures, then the commissioned unit signs for it and delivers.
    case 'head_sign':
    case 'chief_sign':
      return { fields: [signNote] };
    case 'receive':
      return { fields: [handler, optionalNote], hint: t('caseAction.receiveHint') };
    case 'deliver':
      return {
        fields: [{ name: 'result', kind: 'text', label: t('caseAction.deliverResult'), required: true, min: 2, rows: 5 }],
        hint: t('caseAction.deliverHint'),
      };
    // 通知单
    case 'measure':
      return {
        fields: [{ name: 'distanceMeters', kind: 'number', label: t('caseAction.distance'), required: true, max: 100_000, step: 0.5, unit: 'm' }, optionalNote],
        hint: t('caseAction.measureHint'),
      };
    case 'acknowledge':
      return { fields: [optionalNote] };
    case 'stop_heading':
      return {
        fields: [{ name: 'heading', kind: 'choice', label: t('caseAction.heading'), required: true, options: [heading('A'), heading('B')] }, optionalNote],
        hint: t('caseAction.stopHint'),
        danger: true,
      };
    // 操作票: signatures in turn, then the operation itself.
    case 'review':
    case 'permit':
      return { fields: [signNote] };
    case 'start':
      return { fields: [optionalNote], hint: t('caseAction.startHint') };
    case 'complete':
      return {
        fields: [
          {
            name: 'completedAt',
            kind: 'datetime',
            label: t('caseAction.completedAt'),
            required: true,
            notAfter: dayjs(todayInZone()).endOf('day'),
            initial: dayjs(isoToPickerText(new Date().toISOString())),
          },
          optionalNote,
        ],
      };
    case 'close':
      return { fields: [optionalNote], hint: t('caseAction.closeHint') };
    case 'void':
      return { fields: [reason()], hint: t('caseAction.voidHint'), danger: true };
    case 'send_back':
      return { fields: [reason()], danger: true };
    case 'withdraw':
      return { fields: [reason()], hint: t('caseAction.withdrawHint'), danger: true };
    case 'sign':
      return { fields: [handler, optionalNote] };
    case 'object':
      return { fields: [{ name: 'about', kind: 'about', label: t('caseAction.about'), required: true }, reason()] };
    case 'reject_objection':
    case 'uphold_objection':
    case 'refuse_extension':
    case 'request_supervision':
      return { fields: [reason()] };
    case 'progress':
      return { fields: [{ name: 'note', kind: 'text', label: t('caseAction.progressNote'), required: true, min: 1, max: TEXT_LIMITS.comment, rows: 4 }] };
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
          { name: 'reason', kind: 'text', label: t('caseAction.noteOptional'), required: false, max: TEXT_LIMITS.reason, rows: 2 },
        ],
        hint: part?.requestedDueDate ? t('caseAction.grantHint', { current: part.dueDate ?? t('common.none'), requested: part.requestedDueDate }) : undefined,
      };
    case 'reply':
      return {
        fields: [{ name: 'result', kind: 'text', label: t('caseAction.replyResult'), required: true, min: 2, rows: 6 }],
        hint: t('caseAction.replyHint'),
      };
    case 'accept':
      return { fields: [optionalNote], hint: of.type === 'commission_letter' ? t('caseAction.acceptHint') : undefined };
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
    // The picked wall time is the organization's (as every time on screen), sent as an ISO instant.
    else if (f.kind === 'datetime') input[f.name] = pickerToIso(v as Dayjs);
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
  /** The draft is not complete yet (DRAFT_INCOMPLETE): the page opens it for editing with the fields named. */
  onIncomplete?: (err: ApiError) => void;
}

/** The dialog of one case action: asks what the action needs, posts it with the version the user saw. */
export function ActionDialog({ detail, action, onClose, onDone, onConflict, onIncomplete }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Record<string, unknown>>();
  const errors = useFormErrors(form);
  const part = action?.partId != null ? (detail.parts.find((p) => p.id === action.partId) ?? null) : null;
  const spec = action ? actionSpec(t, action.action, part, detail) : { fields: [] };
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
      if (e instanceof ApiError && e.code === 'DRAFT_INCOMPLETE' && onIncomplete) {
        onIncomplete(e);
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
          const rules = f.required
            ? [f.kind === 'text' ? required(t, f.label) : f.kind === 'number' ? requiredNumber(t, f.label) : requiredSelect(t, f.label)]
            : [];
          if (f.kind === 'text')
            return (
              <Form.Item
                key={f.name}
                name={f.name}
                label={f.label}
                rules={[...rules, ...(f.min && f.required ? [{ min: f.min }] : []), maxRule(t, f.label, f.max ?? TEXT_LIMITS.caseBody)]}
              >
                <Input.TextArea autoSize={{ minRows: f.rows ?? 3, maxRows: 14 }} {...counted(f.max ?? TEXT_LIMITS.caseBody)} />
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
          if (f.kind === 'datetime')
            return (
              <Form.Item key={f.name} name={f.name} label={f.label} rules={rules}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  style={{ width: '100%', maxWidth: 240 }}
                  disabledDate={(d) => !!f.notAfter && d.isAfter(f.notAfter)}
                  aria-label={f.label}
                />
              </Form.Item>
            );
          if (f.kind === 'number')
            return (
              <Form.Item key={f.name} name={f.name} label={f.label} rules={rules}>
                <InputNumber min={0} max={f.max} step={f.step} suffix={f.unit} style={{ width: 180 }} aria-label={f.label} />
              </Form.Item>
            );
          if (f.kind === 'choice')
            return (
              <Form.Item key={f.name} name={f.name} label={f.label} rules={rules}>
                <Radio.Group aria-label={f.label} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} options={f.options ?? []} />
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
