import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Form, Input, InputNumber, Modal, Row, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { counted, TEXT_LIMITS } from '../../lib/limits.js';
import { qk, useUnitTypes } from '../../lib/queries.js';
import { required } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { UnitTypeView } from '../../types.js';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number | null;
}

/** The list of unit types and a small form to add one (POST /unit-types). */
export function UnitTypesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const types = useUnitTypes(open);
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();

  const add = useMutation({
    mutationFn: (v: Values) =>
      api.post('/unit-types', { code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), sortOrder: v.sortOrder ?? 100 }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: qk.unitTypes });
      form.resetFields();
      void message.success(t('common.created'));
    },
    onError: errors.report,
  });

  return (
    <Modal open={open} title={t('org.unitTypesTitle')} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      <Table<UnitTypeView>
        size="small"
        rowKey="code"
        loading={types.isLoading}
        dataSource={types.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content', y: 280 }}
        columns={[
          { title: t('org.unitTypeCode'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          { title: t('org.unitTypeZh'), dataIndex: 'nameZh' },
          { title: t('org.unitTypeEn'), dataIndex: 'nameEn' },
          { title: t('common.sortOrder'), dataIndex: 'sortOrder', width: 70 },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('org.addUnitType')}
      </Typography.Title>
      <Form<Values>
        form={form}
        layout="vertical"
        name="unit-type"
        requiredMark={false}
        initialValues={{ sortOrder: 100 }}
        onFinish={(v) => {
          errors.clear();
          add.mutate(v);
        }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="code"
              label={t('org.unitTypeCode')}
              extra={t('org.unitTypeCodeHint')}
              rules={[required(t, t('org.unitTypeCode')), { pattern: /^[a-z][a-z0-9_]*$/, message: t('org.unitTypeCodeRule') }, { max: 32 }]}
            >
              <Input {...counted(TEXT_LIMITS.unitTypeCode)} autoCapitalize="none" spellCheck={false} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="sortOrder" label={t('common.sortOrder')}>
              <InputNumber precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="nameZh" label={t('org.unitTypeZh')} rules={[required(t, t('org.unitTypeZh')), { max: 50 }]}>
              <Input {...counted(TEXT_LIMITS.unitTypeName)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="nameEn" label={t('org.unitTypeEn')} rules={[required(t, t('org.unitTypeEn')), { max: 50 }]}>
              <Input {...counted(TEXT_LIMITS.unitTypeName)} />
            </Form.Item>
          </Col>
        </Row>
        {errors.alert}
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t('org.addUnitType')}
        </Button>
      </Form>
    </Modal>
  );
}
