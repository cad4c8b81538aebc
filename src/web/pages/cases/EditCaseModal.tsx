import { useMutation } from '@tanstack/react-query';
import { Form, Modal } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.js';
import { isCaseType } from '../../lib/cases.js';
import { typeName, useCaseType } from '../../lib/caseTypes.js';
import { dynT } from '../../lib/format.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { CaseDetail } from '../../types.js';
import { formFor } from './caseForms.js';
import { unwrapFieldPaths } from './formShared.js';

type Values = Record<string, unknown>;

/** Whether the UI has an edit form for this case's type: its own, or one generated from the type's description. */
export const hasEditForm = (type: string, described: boolean) => isCaseType(type) || described;

interface Props {
  open: boolean;
  detail: CaseDetail;
  onClose: () => void;
  onSaved: (d: CaseDetail) => void;
  onConflict: (err: ApiError) => void;
  /** What the server found missing when the draft was sent on (DRAFT_INCOMPLETE): shown on the fields. */
  problems?: unknown;
}

/** Edits a draft (or a form being revised after an upheld objection) of any type: PUT /cases/:id {version, fields}. */
export function EditCaseModal({ open, detail, onClose, onSaved, onConflict, problems }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const type = detail.type;
  const { view } = useCaseType(type);
  const def = useMemo(() => formFor(type, view), [type, view]);
  const errors = useFormErrors(form);

  // biome-ignore lint/correctness/useExhaustiveDependencies: fill the form when the dialog opens, not on every refetch.
  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.resetFields();
    if (def) form.setFieldsValue(def.fromFields(detail.fields));
    if (problems) errors.report(unwrapFieldPaths(problems));
  }, [open, def]);

  /** A draft is saved as it stands (a title is enough); what is filled in is checked by the server. */
  const submit = async () => {
    errors.clear();
    try {
      await form.validateFields(['title']);
    } catch {
      return;
    }
    save.mutate(form.getFieldsValue(true) as Values);
  };

  const save = useMutation({
    mutationFn: (v: Values) => api.put<CaseDetail>(`/cases/${detail.id}`, { version: detail.version, fields: def!.toFields(v) }),
    onSuccess: onSaved,
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) onConflict(e);
      else errors.report(unwrapFieldPaths(e));
    },
  });

  return (
    <Modal
      open={open}
      title={dynT(t, `caseForm.editTitles.${type}`, t('caseForm.genericEditTitle', { name: typeName(view, type) }))}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={720}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" name="case-edit" requiredMark={false} onFinish={() => void submit()}>
        {def ? <def.Items form={form} initiatorUnitId={detail.initiatorUnit.id} active={open} view={view} /> : null}
        {errors.alert}
      </Form>
    </Modal>
  );
}
