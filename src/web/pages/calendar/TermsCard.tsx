import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, List, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { qk } from '../../lib/queries.js';
import { required, requiredSelect } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';

export interface SchoolTerm {
  name: string;
  startsOn: string;
  endsOn: string;
}

interface Row {
  name?: string;
  startsOn?: Dayjs;
  endsOn?: Dayjs;
}

const days = (t: SchoolTerm) => dayjs(t.endsOn).diff(dayjs(t.startsOn), 'day') + 1;

/**
 * 学期 (issue 9 §6): the terms a school's rules count in (每学期初家长会, 每学期检查一次). Shown to
 * everyone; whoever manages the calendar sets them as a whole (PUT /calendar/terms).
 */
export function TermsCard({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const terms = useQuery({ queryKey: qk.calendarTerms, queryFn: () => api.get<{ terms: SchoolTerm[] }>('/calendar/terms') });
  const list = terms.data?.terms ?? [];
  return (
    <Card
      size="small"
      title={t('calendar.terms')}
      style={{ marginTop: 12 }}
      data-testid="school-terms"
      extra={
        manage ? (
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('calendar.editTerms')}
          </Button>
        ) : null
      }
    >
      {list.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar.noTerms')} />
      ) : (
        <List
          size="small"
          dataSource={list}
          renderItem={(term) => (
            <List.Item>
              <Flex wrap gap={8} justify="space-between" style={{ width: '100%' }}>
                <Typography.Text strong>{term.name}</Typography.Text>
                <Typography.Text type="secondary">{t('calendar.termSpan', { from: term.startsOn, to: term.endsOn, days: days(term) })}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
      {manage ? <TermsModal open={editing} terms={list} onClose={() => setEditing(false)} /> : null}
    </Card>
  );
}

function TermsModal({ open, terms, onClose }: { open: boolean; terms: SchoolTerm[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ terms: Row[] }>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();

  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.setFieldsValue({ terms: terms.map((x) => ({ name: x.name, startsOn: dayjs(x.startsOn), endsOn: dayjs(x.endsOn) })) });
  }, [open, terms, form, errors.clear]);

  const save = useMutation({
    mutationFn: (rows: Row[]) =>
      api.put('/calendar/terms', {
        terms: rows.map((r) => ({
          name: r.name?.trim() ?? '',
          startsOn: r.startsOn?.format('YYYY-MM-DD') ?? '',
          endsOn: r.endsOn?.format('YYYY-MM-DD') ?? '',
        })),
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: qk.calendarTerms });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: errors.report,
  });

  return (
    <Modal
      open={open}
      title={t('calendar.editTerms')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      forceRender
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('calendar.termsHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        name="terms"
        requiredMark={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v.terms ?? []);
        }}
      >
        <Form.List name="terms">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4}>
              {fields.map((f, i) => (
                <Flex key={f.key} wrap gap={8} align="flex-start" data-testid="term-row">
                  <Form.Item
                    name={[f.name, 'name']}
                    label={t('calendar.termName')}
                    rules={[required(t, t('calendar.termName'))]}
                    style={{ flex: '1 1 180px', marginBottom: 8 }}
                  >
                    <Input maxLength={50} placeholder={t('calendar.termNamePlaceholder')} aria-label={`${t('calendar.termName')} ${i + 1}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'startsOn']}
                    label={t('calendar.termStart')}
                    rules={[requiredSelect(t, t('calendar.termStart'))]}
                    style={{ flex: '1 1 130px', marginBottom: 8 }}
                  >
                    <DatePicker style={{ width: '100%' }} aria-label={`${t('calendar.termStart')} ${i + 1}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'endsOn']}
                    label={t('calendar.termEnd')}
                    rules={[requiredSelect(t, t('calendar.termEnd'))]}
                    style={{ flex: '1 1 130px', marginBottom: 8 }}
                  >
                    <DatePicker style={{ width: '100%' }} aria-label={`${t('calendar.termEnd')} ${i + 1}`} />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={t('calendar.removeTerm', { n: i + 1 })}
                    style={{ marginTop: 30 }}
                  />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                {t('calendar.addTerm')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
      <div style={{ marginTop: 12 }}>{errors.alert}</div>
    </Modal>
  );
}
