import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { currentLang } from '../../i18n/index.js';
import { localName } from '../../lib/format.js';
import { counted, maxRule, TEXT_LIMITS } from '../../lib/limits.js';
import { qk, useUnitTypes } from '../../lib/queries.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { UnitCreateBody, UnitUpdateBody, UnitView } from '../../types.js';

interface Values {
  name: string;
  code: string;
  typeCode: string;
  sortOrder: number | null;
}

interface Props {
  open: boolean;
  /** Create under this parent… */
  parent?: UnitView;
  /** …or edit this unit. */
  unit?: UnitView;
  onClose: () => void;
  onSaved: (unit: UnitView) => void;
}

/** New sub-unit (POST /units) or edit (PATCH /units/:id) — name, code, type, sort order. */
export function UnitFormModal({ open, parent, unit, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const types = useUnitTypes(open);
  const { message } = App.useApp();
  const lang = currentLang();

  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.resetFields();
    if (unit) form.setFieldsValue({ name: unit.name, code: unit.code, typeCode: unit.typeCode, sortOrder: unit.sortOrder });
    else form.setFieldsValue({ sortOrder: 0 });
  }, [open, unit, form, errors.clear]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      if (unit) {
        const body: UnitUpdateBody = { name: v.name.trim(), code: v.code.trim(), typeCode: v.typeCode, sortOrder: v.sortOrder ?? 0 };
        return api.patch<UnitView>(`/units/${unit.id}`, body);
      }
      const body: UnitCreateBody = { parentId: parent!.id, name: v.name.trim(), code: v.code.trim(), typeCode: v.typeCode, sortOrder: v.sortOrder ?? 0 };
      return api.post<UnitView>('/units', body);
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: qk.units });
      void qc.invalidateQueries({ queryKey: qk.unitHistory(saved.id) });
      void message.success(unit ? t('common.saved') : t('common.created'));
      onSaved(saved);
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={unit ? t('org.editTitle') : t('org.addChildTitle', { parent: parent?.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="unit-form"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="name" label={t('org.name')} rules={[required(t, t('org.name')), maxRule(t, t('org.name'), TEXT_LIMITS.unitName)]}>
          <Input {...counted(TEXT_LIMITS.unitName)} autoFocus />
        </Form.Item>
        <Form.Item name="code" label={t('org.code')} rules={[required(t, t('org.code')), maxRule(t, t('org.code'), TEXT_LIMITS.unitCode)]}>
          <Input {...counted(TEXT_LIMITS.unitCode)} autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item name="typeCode" label={t('org.type')} rules={[requiredSelect(t, t('org.type'))]}>
          <Select
            loading={types.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            options={(types.data ?? []).map((ty) => ({ value: ty.code, label: localName(ty, lang) }))}
            aria-label={t('org.type')}
          />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('org.sortOrder')} extra={t('org.sortOrderHint')}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
