import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Col, Form, Input, Modal, Radio, Row, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { currentLang } from '../../i18n/index.js';
import { localName } from '../../lib/format.js';
import { counted, maxRule, TEXT_LIMITS } from '../../lib/limits.js';
import { useRoles } from '../../lib/queries.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import type { PersonCreateBody, PersonUpdateBody, PersonView } from '../../types.js';

interface Values {
  name: string;
  gender: 'male' | 'female' | 'none';
  post?: string;
  employeeNo?: string;
  phone?: string;
  status: 'active' | 'left';
  unitId?: number;
  roleCode?: string;
}

interface Props {
  open: boolean;
  /** Edit this person; without it, create one (optionally in `defaultUnitId`). */
  person?: PersonView;
  defaultUnitId?: number;
  onClose: () => void;
  onSaved: (p: PersonView) => void;
}

const orNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

export function PersonFormModal({ open, person, defaultUnitId, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const roles = useRoles(open && !person);
  const { message } = App.useApp();
  const lang = currentLang();

  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.resetFields();
    if (person)
      form.setFieldsValue({
        name: person.name,
        gender: person.gender ?? 'none',
        post: person.post ?? '',
        employeeNo: person.employeeNo ?? '',
        phone: person.phone ?? '',
        status: person.status,
      });
    else form.setFieldsValue({ gender: 'none', status: 'active', roleCode: 'staff', unitId: defaultUnitId });
  }, [open, person, defaultUnitId, form, errors.clear]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const fields = {
        name: v.name.trim(),
        gender: v.gender === 'none' ? null : v.gender,
        post: orNull(v.post),
        employeeNo: orNull(v.employeeNo),
        phone: orNull(v.phone),
        status: v.status,
      };
      if (person) return api.patch<PersonView>(`/people/${person.id}`, fields satisfies PersonUpdateBody);
      const body: PersonCreateBody = { ...fields, unitId: v.unitId!, roleCode: v.roleCode ?? 'staff' };
      return api.post<PersonView>('/people', body);
    },
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: ['people'] });
      await qc.invalidateQueries({ queryKey: ['person', p.id] });
      void message.success(person ? t('common.saved') : t('people.created', { name: p.name }));
      onSaved(p);
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={person ? t('people.editTitle') : t('people.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={640}
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="person-form"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('people.name')} rules={[required(t, t('people.name')), maxRule(t, t('people.name'), TEXT_LIMITS.personName)]}>
              <Input {...counted(TEXT_LIMITS.personName)} autoFocus />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="gender" label={t('people.gender')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'male', label: t('gender.male') },
                  { value: 'female', label: t('gender.female') },
                  { value: 'none', label: t('gender.unknown') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="employeeNo" label={t('people.employeeNo')} rules={[maxRule(t, t('people.employeeNo'), TEXT_LIMITS.employeeNo)]}>
              <Input {...counted(TEXT_LIMITS.employeeNo)} autoCapitalize="none" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('people.phone')} rules={[{ pattern: /^[0-9+\-() ]{3,20}$/, message: t('people.phoneRule') }]}>
              <Input {...counted(TEXT_LIMITS.phone)} inputMode="tel" autoComplete="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="post" label={t('people.post')} rules={[maxRule(t, t('people.post'), TEXT_LIMITS.post)]}>
              <Input {...counted(TEXT_LIMITS.post)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="status" label={t('people.status')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'active', label: t('personStatus.active') },
                  { value: 'left', label: t('personStatus.left') },
                ]}
              />
            </Form.Item>
          </Col>
          {person ? null : (
            <>
              <Col span={24}>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                  {t('people.primaryUnitHint')}
                </Typography.Paragraph>
              </Col>
              <Col xs={24} sm={14}>
                <Form.Item name="unitId" label={t('people.unit')} rules={[requiredSelect(t, t('people.unit'))]}>
                  <UnitTreeSelect aria-label={t('people.unit')} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={10}>
                <Form.Item name="roleCode" label={t('people.role')} rules={[requiredSelect(t, t('people.role'))]}>
                  <Select
                    loading={roles.isLoading}
                    options={(roles.data ?? []).map((r) => ({ value: r.code, label: localName(r, lang) }))}
                    aria-label={t('people.role')}
                  />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
        {errors.alert}
      </Form>
    </Modal>
  );
}
