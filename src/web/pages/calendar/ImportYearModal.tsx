import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { counted, TEXT_LIMITS } from '../../lib/limits.js';
import { qk } from '../../lib/queries.js';
import { required } from '../../lib/rules.js';
import { useFormErrors } from '../../lib/useFormErrors.js';
import { type ParsedYearFile, parseYearFile, type RowProblem } from './parseYearFile.js';

/** Parses a JSON/CSV arrangement in the browser, previews it and POSTs /calendar/years. */
export function ImportYearModal({ open, year, onClose, onImported }: { open: boolean; year: number; onClose: () => void; onImported: (y: number) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ year: number; source: string }>();
  const errors = useFormErrors(form);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [parsed, setParsed] = useState<ParsedYearFile | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const chosenYear = Form.useWatch('year', form) ?? year;

  useEffect(() => {
    if (open) {
      errors.clear();
      form.resetFields();
      form.setFieldsValue({ year, source: '' });
      setParsed(null);
      setParseError(null);
    }
  }, [open, year, form, errors.clear]);

  const inYear = parsed?.days.filter((d) => d.date.startsWith(`${chosenYear}-`)) ?? [];
  const outside = (parsed?.days.length ?? 0) - inYear.length;

  const save = useMutation({
    mutationFn: (v: { year: number; source: string }) => api.post('/calendar/years', { year: v.year, source: v.source.trim(), days: inYear }),
    onSuccess: async (_d, v) => {
      await qc.invalidateQueries({ queryKey: qk.calendar(v.year) });
      void message.success(t('calendar.importDone', { year: v.year }));
      onImported(v.year);
    },
    onError: errors.report,
  });

  const read = async (file: File) => {
    setParseError(null);
    setParsed(null);
    try {
      const text = await file.text();
      const p = parseYearFile(text, file.name);
      if (p.days.length === 0 && p.problems.length === 0) throw new Error(t('calendar.importEmpty'));
      setParsed(p);
      form.setFieldsValue({ year: p.year ?? form.getFieldValue('year'), source: p.source ?? file.name });
    } catch (e) {
      setParseError(t('calendar.importParseError', { reason: (e as Error).message }));
    }
  };

  const problemText = (problem: RowProblem) =>
    problem === 'date'
      ? t('calendar.importBadDate')
      : problem === 'kind'
        ? t('calendar.importBadKind')
        : problem === 'name'
          ? t('calendar.importNoName')
          : t('firstHour.tooLong', { label: t('calendar.overrideName'), max: TEXT_LIMITS.calendarDayName });

  return (
    <Modal
      open={open}
      title={t('calendar.importTitle', { year: chosenYear })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('calendar.importYear')}
      okButtonProps={{ disabled: !parsed || inYear.length === 0 || parsed.problems.length > 0 }}
      confirmLoading={save.isPending}
      width={620}
      forceRender
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('calendar.importHint')}
      </Typography.Paragraph>
      <Upload
        accept=".json,.csv,application/json,text/csv"
        showUploadList={false}
        beforeUpload={(f) => {
          void read(f);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />}>{t('calendar.chooseFile')}</Button>
      </Upload>
      {parseError ? <Alert type="error" showIcon title={parseError} style={{ marginTop: 12 }} /> : null}
      {parsed ? (
        <Alert
          style={{ marginTop: 12 }}
          type={parsed.problems.length ? 'error' : 'success'}
          showIcon
          title={t('calendar.importPreview', {
            count: inYear.length,
            holidays: inYear.filter((d) => d.kind === 'holiday').length,
            workdays: inYear.filter((d) => d.kind === 'workday').length,
          })}
          description={
            parsed.problems.length || outside ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {outside ? <li>{t('calendar.importOtherYear', { count: outside })}</li> : null}
                {parsed.problems.slice(0, 10).map((p) => (
                  <li key={p.row}>{t('calendar.importBadRow', { row: p.row, reason: problemText(p.problem) })}</li>
                ))}
                {parsed.problems.length > 10 ? <li>…</li> : null}
              </ul>
            ) : undefined
          }
        />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        name="import-year"
        requiredMark={false}
        style={{ marginTop: 16 }}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="year" label={t('calendar.importYearField')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="source" label={t('calendar.importSource')} rules={[required(t, t('calendar.importSource')), { max: 200 }]}>
          <Input {...counted(TEXT_LIMITS.calendarSource)} />
        </Form.Item>
        {errors.alert}
      </Form>
    </Modal>
  );
}
