import { ArrowLeftOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Segmented, Select, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.js';
import { PageHeader } from '../components/PageHeader.js';
import { CASE_TYPES } from '../lib/cases.js';
import { typeLabel, typeName, useCaseTypes } from '../lib/caseTypes.js';
import { dynT } from '../lib/format.js';
import { myUnits, qk, useCan, useMe } from '../lib/queries.js';
import { requiredSelect } from '../lib/rules.js';
import { useFormErrors } from '../lib/useFormErrors.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { CaseCreateBody, CaseCreatedView } from '../types.js';
import { formFor, NEW_FORM_DEFAULTS, PERSON_FIELDS } from './cases/caseForms.js';
import { unwrapFieldPaths } from './cases/formShared.js';
import { PeopleMultiPicker } from './cases/PeoplePickers.js';

type Intent = 'draft' | 'send';
type Values = Record<string, unknown> & { initiatorUnitId?: number; watcherPersonIds?: number[] };

/** /cases/new?type=…: drafts any of the case types, then (optionally) sends it on with the type's first action. */
export default function CaseNewPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const can = useCan();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form);
  const intent = useRef<Intent>('send');
  const units = useMemo(() => myUnits(me), [me]);
  const initiatorUnitId = Form.useWatch('initiatorUnitId', form);
  const kind = Form.useWatch('kind', form) as string | undefined;

  // The types the server describes (GET /case-types); the four with a form of their own while it loads.
  const types = useCaseTypes();
  const codes = types.data?.map((v) => v.code) ?? [...CASE_TYPES];
  const typeParam = params.get('type');
  const type = typeParam && codes.includes(typeParam) ? typeParam : 'contact_form';
  const view = types.data?.find((v) => v.code === type);
  const def = useMemo(() => formFor(type, view), [type, view]);
  // What the primary button does; a breakthrough notice is only saved (a measured distance issues it).
  const sendAction = def?.sendAction({ kind }) ?? null;
  const sendLabel = dynT(t, `caseForm.sendAs.${type}`, typeLabel(view, `action.${sendAction}`, sendAction ?? ''));
  const name = typeName(view, dynT(t, `caseForm.types.${type}`, type));

  // A generated form starts with its own defaults (its first kind, one row of each list, now).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another type is chosen.
  useEffect(() => {
    for (const [k, v] of Object.entries(def?.defaults ?? {})) if (form.getFieldValue(k) === undefined) form.setFieldValue(k, v);
  }, [def]);

  const chooseType = (next: string) => {
    errors.clear();
    setParams(next === 'contact_form' ? {} : { type: next }, { replace: true });
  };

  const create = useMutation({
    mutationFn: async ({ v, type, send }: { v: Values; type: string; send: string | null }) => {
      const body: CaseCreateBody = {
        type: type as CaseCreateBody['type'],
        initiatorUnitId: v.initiatorUnitId!,
        fields: def!.toFields(v),
        ...(v.watcherPersonIds?.length ? { watcherPersonIds: v.watcherPersonIds } : {}),
      };
      const created = await api.post<CaseCreatedView>('/cases', body);
      if (!send) return { created, sent: false, sendError: null as unknown };
      // The draft exists; sending it on is a second step that may fail on its own (a late notice, say).
      try {
        await api.post(`/cases/${created.id}/actions`, { action: send });
        return { created, sent: true, sendError: null as unknown };
      } catch (e) {
        return { created, sent: false, sendError: e };
      }
    },
    onSuccess: async ({ created, sent, sendError }, { type }) => {
      await qc.invalidateQueries({ queryKey: qk.cases });
      if (sendError) void message.error(sendError instanceof Error ? sendError.message : String(sendError));
      else
        void message.success(
          sent
            ? i18n.exists(`caseForm.sentAs.${type}`)
              ? t(`caseForm.sentAs.${type}` as 'caseForm.sentAs.contact_form', { number: created.number })
              : t('caseForm.sentAsAction', { action: sendLabel, number: created.number })
            : t('caseForm.created', { number: created.number }),
        );
      navigate(`/cases/${created.id}`);
    },
    onError: (e) => errors.report(unwrapFieldPaths(e)),
  });

  /**
   * 保存草稿 saves what is written so far: a title is enough (the server checks what is filled in, and
   * everything when the draft is sent on). The primary button checks the whole form first.
   */
  const save = async (which: Intent) => {
    intent.current = which;
    if (which === 'send') {
      form.submit();
      return;
    }
    errors.clear();
    // Only the title and the unit count now: the other fields' messages from an earlier try go.
    form.setFields(
      Object.keys(form.getFieldsValue(true))
        .filter((name) => name !== 'title' && name !== 'initiatorUnitId')
        .map((name) => ({ name, errors: [] })),
    );
    try {
      await form.validateFields(['initiatorUnitId', 'title']);
    } catch {
      return;
    }
    create.mutate({ v: form.getFieldsValue(true) as Values, type, send: null });
  };
  const Items = def?.Items;

  return (
    <>
      <PageHeader
        title={dynT(t, `caseForm.titles.${type}`, t('caseForm.genericTitle', { name }))}
        subtitle={dynT(t, `caseForm.intros.${type}`, '')}
        back={
          <Link to="/cases" style={{ display: 'inline-block', marginBottom: 8 }}>
            <ArrowLeftOutlined /> {t('caseForm.back')}
          </Link>
        }
      />
      {units.length === 0 ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('caseForm.noMembership')} /> : null}
      <Card style={{ maxWidth: 860 }}>
        <Flex vertical gap={6} style={{ marginBottom: 16 }}>
          <Typography.Text id="case-type-label">{t('caseForm.type')}</Typography.Text>
          <Segmented<string>
            value={type}
            onChange={chooseType}
            options={codes.map((ty) => ({
              value: ty,
              label: dynT(
                t,
                `caseForm.types.${ty}`,
                typeName(
                  types.data?.find((v) => v.code === ty),
                  ty,
                ),
              ),
            }))}
            vertical={isMobile}
            block={isMobile}
            aria-labelledby="case-type-label"
            data-testid="case-type"
            style={{ alignSelf: isMobile ? 'stretch' : 'flex-start', maxWidth: '100%' }}
          />
        </Flex>
        <Form<Values>
          form={form}
          layout="vertical"
          name="case-form"
          requiredMark={false}
          disabled={units.length === 0}
          initialValues={{ ...NEW_FORM_DEFAULTS, initiatorUnitId: units[0]?.id }}
          onValuesChange={(changed: Values) => {
            if ('initiatorUnitId' in changed) {
              // The people offered depend on the initiating unit.
              for (const f of [...PERSON_FIELDS, ...(def?.personFields ?? [])]) form.setFieldValue(f, undefined);
              for (const list of ['receivers', 'receiverUnitIds', 'receiverUnitId'])
                if (form.getFieldError(list).length) void form.validateFields([list]).catch(() => undefined);
            }
            if ('receivers' in changed && form.getFieldError('receivers').length) void form.validateFields(['receivers']).catch(() => undefined);
            if ('receiverUnitIds' in changed && form.getFieldError('receiverUnitIds').length)
              void form.validateFields(['receiverUnitIds']).catch(() => undefined);
          }}
          onFinish={(v) => {
            errors.clear();
            create.mutate({ v, type, send: intent.current === 'send' ? sendAction : null });
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
          {Items ? <Items key={type} form={form} initiatorUnitId={initiatorUnitId} view={view} /> : null}
          {can('people.read') ? (
            <Form.Item name="watcherPersonIds" label={t('caseForm.watchers')} extra={t('caseForm.watchersHint')}>
              <PeopleMultiPicker />
            </Form.Item>
          ) : null}
          {type === 'notice' && !sendAction ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('notice.breakthroughSave')} /> : null}
          {errors.alert}
          <Flex gap={8} wrap justify="flex-end">
            <Button onClick={() => navigate('/cases')}>{t('common.cancel')}</Button>
            {sendAction ? (
              <>
                <Button loading={create.isPending && intent.current === 'draft'} onClick={() => void save('draft')} data-testid="save-draft">
                  {t('caseForm.saveDraft')}
                </Button>
                <Button
                  type="primary"
                  icon={<SendOutlined />}
                  loading={create.isPending && intent.current === 'send'}
                  onClick={() => void save('send')}
                  data-testid="submit-case"
                >
                  {sendLabel}
                </Button>
              </>
            ) : (
              <Button type="primary" icon={<SaveOutlined />} loading={create.isPending} onClick={() => void save('draft')} data-testid="save-draft">
                {t('caseForm.save')}
              </Button>
            )}
          </Flex>
        </Form>
      </Card>
    </>
  );
}
