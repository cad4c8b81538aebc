import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { qk } from '../../lib/queries.js';
import { requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { UnitView } from '../../types.js';

/** PATCH /units/:id {parentId}; the server refuses a move under the unit's own subtree (409 UNIT_CYCLE). */
export function MoveUnitModal({ open, unit, onClose, onMoved }: { open: boolean; unit: UnitView; onClose: () => void; onMoved: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ parentId: number }>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();

  useEffect(() => {
    if (open) {
      errors.clear();
      form.setFieldsValue({ parentId: unit.parentId ?? undefined });
    }
  }, [open, unit, form, errors.clear]);

  const move = useMutation({
    mutationFn: (parentId: number) => api.patch<UnitView>(`/units/${unit.id}`, { parentId }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: qk.units });
      void qc.invalidateQueries({ queryKey: qk.unitHistory(unit.id) });
      void message.success(t('org.moved'));
      onMoved();
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={t('org.moveTitle', { name: unit.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('org.move')}
      confirmLoading={move.isPending}
      forceRender
    >
      <Alert type="info" showIcon title={t('org.moveHint')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        name="move-unit"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          move.mutate(v.parentId);
        }}
      >
        <Form.Item name="parentId" label={t('org.moveTo')} rules={[requiredSelect(t, t('org.moveTo'))]}>
          <UnitTreeSelect excludeSubtreeOf={unit.id} aria-label={t('org.moveTo')} />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
