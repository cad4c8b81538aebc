import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Select } from 'antd';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.js';
import { PageHeader } from '../components/PageHeader.js';
import { myUnits, qk, useMe } from '../lib/queries.js';
import { requiredSelect } from '../lib/rules.js';
import { useFormErrors } from '../lib/useFormErrors.js';
import type { CaseCreateBody, CaseCreatedView } from '../types.js';
import { ContactFormItems, type ContactFormValues, toFields, unwrapFieldPaths } from './cases/ContactFormItems.js';

type Intent = 'draft' | 'submit';

export default function CaseNewPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContactFormValues>();
  const errors = useFormErrors(form);
  const intent = useRef<Intent>('submit');
  const units = useMemo(() => myUnits(me), [me]);
  const initiatorUnitId = Form.useWatch('initiatorUnitId', form);

  const create = useMutation({
    mutationFn: async (v: ContactFormValues) => {
      const body: CaseCreateBody = {
        type: 'contact_form',
        initiatorUnitId: v.initiatorUnitId!,
        fields: toFields(v),
        ...(v.watcherPersonIds?.length ? { watcherPersonIds: v.watcherPersonIds } : {}),
      };
      const created = await api.post<CaseCreatedView>('/cases', body);
      if (intent.current !== 'submit') return { created, submitError: null as unknown };
      // The draft exists; sending it for signature is a second step that may fail on its own.
      try {
        await api.post(`/cases/${created.id}/actions`, { action: 'submit' });
        return { created, submitError: null as unknown };
      } catch (e) {
        return { created, submitError: e };
      }
    },
    onSuccess: async ({ created, submitError }) => {
      await qc.invalidateQueries({ queryKey: qk.cases });
      if (submitError) void message.error(submitError instanceof Error ? submitError.message : String(submitError));
      else
        void message.success(
          intent.current === 'submit' ? t('caseForm.submitted', { number: created.number }) : t('caseForm.created', { number: created.number }),
        );
      navigate(`/cases/${created.id}`);
    },
    onError: (e) => errors.report(unwrapFieldPaths(e)),
  });

  const send = (which: Intent) => {
    intent.current = which;
    form.submit();
  };

  return (
    <>
      <PageHeader
        title={t('caseForm.title')}
        subtitle={t('caseForm.intro')}
        back={
          <Link to="/cases" style={{ display: 'inline-block', marginBottom: 8 }}>
            <ArrowLeftOutlined /> {t('caseForm.back')}
          </Link>
        }
      />
      {units.length === 0 ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('caseForm.noMembership')} /> : null}
      <Card style={{ maxWidth: 860 }}>
        <Form<ContactFormValues>
          form={form}
          layout="vertical"
          name="case-form"
          requiredMark={false}
          disabled={units.length === 0}
          initialValues={{ initiatorUnitId: units[0]?.id, receivers: [{ role: 'main' }], title: '', body: '' }}
          onValuesChange={(changed: Partial<ContactFormValues>) => {
            if ('initiatorUnitId' in changed) {
              form.setFieldValue('signingLeaderPersonId', undefined);
              if (form.getFieldError('receivers').length) void form.validateFields(['receivers']).catch(() => undefined);
            }
            if ('receivers' in changed && form.getFieldError('receivers').length) void form.validateFields(['receivers']).catch(() => undefined);
          }}
          onFinish={(v) => {
            errors.clear();
            create.mutate(v);
          }}
        >
          <Form.Item
            name="initiatorUnitId"
            label={t('caseForm.initiatorUnit')}
            extra={t('caseForm.initiatorHint')}
            rules={[requiredSelect(t, t('caseForm.initiatorUnit'))]}
          >
            <Select<number> options={units.map((u) => ({ value: u.id, label: u.name }))} style={{ maxWidth: 420 }} aria-label={t('caseForm.initiatorUnit')} />
          </Form.Item>
          <ContactFormItems form={form} initiatorUnitId={initiatorUnitId} withWatchers />
          {errors.alert}
          <Flex gap={8} wrap justify="flex-end">
            <Button onClick={() => navigate('/cases')}>{t('common.cancel')}</Button>
            <Button loading={create.isPending && intent.current === 'draft'} onClick={() => send('draft')} data-testid="save-draft">
              {t('caseForm.saveDraft')}
            </Button>
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={create.isPending && intent.current === 'submit'}
              onClick={() => send('submit')}
              data-testid="submit-case"
            >
              {t('caseForm.submit')}
            </Button>
          </Flex>
        </Form>
      </Card>
    </>
  );
}
