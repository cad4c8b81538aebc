import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Modal, Spin, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.js';
import { type CaseTypeView, inputWords, typeLabel, useCaseType } from '../../lib/caseTypes.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { CaseActionView, CaseDetail, CasePart } from '../../types.js';
import { partName } from './CaseBits.js';
import { initialValues, type SchemaContext, SchemaFormItems } from './schemaForm/SchemaFormItems.js';
import { type FieldSpec, type FormSpec, formSpec, toInput } from './schemaForm/schema.js';

/** The case an action is about: its type decides what a shared action name (submit, issue…) means. */
type CaseOf = Pick<CaseDetail, 'type' | 'state' | 'fields'>;

export interface ActionForm {
  spec: FormSpec;
  /** The fields the dialog asks for, in the input schema's order. */
  fields: FieldSpec[];
  hint?: string;
  danger: boolean;
}

/**
 * What an action asks for, from its type's description (GET /case-types): the `input` schema of its
 * transition row, the type's `hint.<action>` and the input's `danger`. An action the type does not
 * describe, or one without input, gets a plain confirmation.
 */
export function actionForm(t: TFunction, view: CaseTypeView | undefined, action: string, part: CasePart | null, of: CaseOf): ActionForm {
  const rows = view?.transitions.filter((x) => x.action === action) ?? [];
  const state = part?.state ?? of.state;
  const row = rows.find((x) => x.from.includes(state)) ?? rows[0];
  const spec = formSpec(row?.input ?? null);
  const fields = spec.fields;
  const grant = fields.some((f) => f.meta.initial === 'requestedDueDate') && part?.requestedDueDate;
  const hint = grant
    ? t('caseAction.grantHint', { current: part.dueDate ?? t('common.none'), requested: part.requestedDueDate })
    : typeLabel(view, `hint.${action}`) || undefined;
  return { spec, fields, hint, danger: spec.meta.danger === true };
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
  const { view, isLoading, error } = useCaseType(detail.type);
  const part = action?.partId != null ? (detail.parts.find((p) => p.id === action.partId) ?? null) : null;
  const form_ = action ? actionForm(t, view, action.action, part, detail) : null;
  const spec = form_ ?? { spec: formSpec(null), fields: [], hint: undefined, danger: false };
  const ctx: SchemaContext = {
    caseId: detail.id,
    partId: action?.partId ?? null,
    part,
    initiatorUnitId: detail.initiatorUnit.id,
    fields: detail.fields,
    active: !!action,
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when another action opens.
  useEffect(() => {
    if (!action) return;
    errors.clear();
    form.resetFields();
    form.setFieldsValue(initialValues(spec.fields, ctx));
  }, [action, view]);

  const run = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const a = action!;
      const body: Record<string, unknown> = { action: a.action };
      if (a.partId != null) body.partId = a.partId;
      body.version = detail.version;
      if (spec.fields.length > 0) body.input = toInput(spec.spec, values);
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
      ? t('caseAction.partTitle', { label: action.label, unit: partName(part) })
      : t('caseAction.confirmTitle', { label: action.label })
    : '';

  return (
    <Modal
      open={!!action}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action?.label}
      okButtonProps={{ danger: spec.danger, disabled: isLoading }}
      confirmLoading={run.isPending}
      forceRender
      data-testid="action-dialog"
    >
      {spec.hint ? <Typography.Paragraph type="secondary">{spec.hint}</Typography.Paragraph> : null}
      {isLoading ? <Spin /> : null}
      {error ? <Alert type="error" showIcon title={t('schemaForm.loadFailed')} /> : null}
      {spec.fields.length === 0 && action && !isLoading ? (
        <Typography.Paragraph>{t('caseAction.confirm', { label: action.label })}</Typography.Paragraph>
      ) : null}
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
        <SchemaFormItems spec={spec.spec} words={inputWords(view, action?.action ?? '')} ctx={ctx} />
        {errors.alert}
      </Form>
    </Modal>
  );
}
