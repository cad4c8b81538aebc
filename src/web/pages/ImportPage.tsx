import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, ExportOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Progress, Result, Row, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CSV_ENCODINGS } from '../../contracts/limits.js';
import { ApiError, download, type UploadHandle, upload } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/PageHeader.js';
import { fileSize } from '../lib/format.js';
import { qk, useCan } from '../lib/queries.js';
import type { ImportResultView } from '../types.js';

export interface ImportErrorRow {
  key: string;
  sheet: string;
  row: number | null;
  column: string;
  message: string;
}

/** 422 IMPORT_INVALID details `{path:"人员:5:工号", message}` → table rows (sheet, row, column, reason). */
export function importErrorRows(err: unknown): ImportErrorRow[] {
  if (!(err instanceof ApiError)) return [];
  return err.details.map((d, i) => {
    const m = /^(.*?):(\d+):(.*)$/.exec(d.path);
    return m
      ? { key: String(i), sheet: m[1] ?? '', row: Number(m[2]), column: m[3] ?? '', message: d.message }
      : { key: String(i), sheet: d.path, row: null, column: '', message: d.message };
  });
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number; dryRun: boolean }
  | { kind: 'processing'; dryRun: boolean }
  | { kind: 'checked'; result: ImportResultView }
  | { kind: 'failed'; error: unknown; rows: ImportErrorRow[] }
  | { kind: 'done'; result: ImportResultView };

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [downloading, setDownloading] = useState<'template' | 'export' | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const handle = useRef<UploadHandle<ImportResultView> | null>(null);
  useEffect(() => () => handle.current?.abort(), []);

  const get = async (what: 'template' | 'export') => {
    setDownloading(what);
    setDownloadError(null);
    try {
      const name = await download(what === 'template' ? '/org/import-template' : '/org/export', what === 'template' ? 'import-template.xlsx' : 'export.xlsx');
      void message.success(t('import.exported', { name }));
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(null);
    }
  };

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setStep(2);
    setPhase({ kind: 'uploading', percent: 0, dryRun });
    const h = upload<ImportResultView>('/org/import', file, {
      query: dryRun ? { dryRun: 1 } : undefined,
      onProgress: (percent) => setPhase((p) => (p.kind === 'uploading' ? { ...p, percent } : p)),
      onUploaded: () => setPhase({ kind: 'processing', dryRun }),
    });
    handle.current = h;
    try {
      const result = await h.promise;
      if (dryRun) {
        setPhase({ kind: 'checked', result });
      } else {
        setPhase({ kind: 'done', result });
        setStep(3);
        void qc.invalidateQueries({ queryKey: qk.units });
        void qc.invalidateQueries({ queryKey: ['people'] });
        void qc.invalidateQueries({ queryKey: ['person'] });
        void qc.invalidateQueries({ queryKey: ['audit'] });
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ABORTED') {
        setPhase({ kind: 'idle' });
        setStep(1);
        return;
      }
      setPhase({ kind: 'failed', error: e, rows: importErrorRows(e) });
    } finally {
      handle.current = null;
    }
  };

  const restart = () => {
    setFile(null);
    setPhase({ kind: 'idle' });
    setStep(1);
  };

  const counts = (r: ImportResultView) => ({
    uc: r.units.created,
    uu: r.units.updated,
    un: r.units.unchanged,
    pc: r.people.created,
    pu: r.people.updated,
    pn: r.people.unchanged,
  });

  const stepTemplate = (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12}>
        <Card title={t('import.templateTitle')} size="small" style={{ height: '100%' }}>
          <Typography.Paragraph>{t('import.templateText')}</Typography.Paragraph>
          <Flex gap={8} wrap>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={downloading === 'template'}
              onClick={() => void get('template')}
              data-testid="download-template"
            >
              {t('import.downloadTemplate')}
            </Button>
            <Button onClick={() => setStep(1)}>{t('import.next')}</Button>
          </Flex>
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card title={t('import.exportTitle')} size="small" style={{ height: '100%' }}>
          <Typography.Paragraph>{t('import.exportText')}</Typography.Paragraph>
          <Button icon={<ExportOutlined />} loading={downloading === 'export'} onClick={() => void get('export')} data-testid="export">
            {t('import.export')}
          </Button>
        </Card>
      </Col>
    </Row>
  );

  const stepUpload = (
    <Card title={t('import.uploadTitle')} size="small">
      <Upload.Dragger
        accept={ACCEPT}
        multiple={false}
        showUploadList={false}
        beforeUpload={(f) => {
          const name = f.name.toLowerCase();
          if (name.endsWith('.xls')) {
            void message.error(t('import.xlsNotSupported'));
            return Upload.LIST_IGNORE;
          }
          if (!name.endsWith('.xlsx') && !name.endsWith('.csv')) {
            void message.error(t('import.wrongType'));
            return Upload.LIST_IGNORE;
          }
          setFile(f);
          setPhase({ kind: 'idle' });
          return false;
        }}
        data-testid="import-dragger"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('import.dragText')}</p>
        <p className="ant-upload-hint">{t('import.dragHint', { encodings: CSV_ENCODINGS[i18n.language === 'en' ? 'en' : 'zh-CN'] })}</p>
      </Upload.Dragger>
      {file ? (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          icon={<FileExcelOutlined />}
          showIcon
          title={t('import.chosen', { name: file.name, size: fileSize(file.size) })}
          data-testid="chosen-file"
        />
      ) : null}
      <Flex gap={8} style={{ marginTop: 16 }} wrap>
        <Button onClick={() => setStep(0)}>{t('import.prev')}</Button>
        <Button type="primary" icon={<CloudUploadOutlined />} disabled={!file} onClick={() => void send(true)} data-testid="validate">
          {t('import.validate')}
        </Button>
      </Flex>
    </Card>
  );

  const progress =
    phase.kind === 'uploading' || phase.kind === 'processing' ? (
      <Card size="small" data-testid="import-progress">
        <Typography.Text>{phase.kind === 'uploading' ? t('import.uploading') : phase.dryRun ? t('import.validating') : t('import.importing')}</Typography.Text>
        <Progress
          percent={phase.kind === 'uploading' ? phase.percent : 100}
          status="active"
          showInfo={phase.kind === 'uploading'}
          strokeColor={phase.kind === 'processing' ? '#faad14' : undefined}
          aria-label={t('import.uploadProgress')}
        />
        {phase.kind === 'uploading' ? (
          <Button size="small" onClick={() => handle.current?.abort()}>
            {t('import.cancelUpload')}
          </Button>
        ) : null}
      </Card>
    ) : null;

  const checked =
    phase.kind === 'checked' ? (
      <Result
        status="success"
        title={t('import.validOk')}
        subTitle={t('import.validSummary', counts(phase.result))}
        extra={[
          <Button key="import" type="primary" onClick={() => void send(false)} data-testid="confirm-import">
            {t('import.confirmImport')}
          </Button>,
          <Button key="again" onClick={restart}>
            {t('import.reupload')}
          </Button>,
        ]}
      />
    ) : null;

  const failed =
    phase.kind === 'failed' ? (
      <div data-testid="import-errors">
        {phase.rows.length ? (
          <>
            <Alert type="error" showIcon title={t('import.failedTitle')} description={t('import.failedHint')} style={{ marginBottom: 12 }} />
            <Table<ImportErrorRow>
              size="small"
              rowKey="key"
              dataSource={phase.rows}
              scroll={{ x: 'max-content' }}
              pagination={phase.rows.length > 50 ? { pageSize: 50 } : false}
              columns={[
                { title: t('import.errSheet'), dataIndex: 'sheet', width: 100 },
                { title: t('import.errRow'), dataIndex: 'row', width: 70, render: (r: number | null) => r ?? t('common.none') },
                { title: t('import.errColumn'), dataIndex: 'column', width: 140 },
                { title: t('import.errReason'), dataIndex: 'message' },
              ]}
            />
          </>
        ) : (
          <ErrorAlert error={phase.error} />
        )}
        <Button type="primary" style={{ marginTop: 12 }} onClick={restart}>
          {t('import.reupload')}
        </Button>
      </div>
    ) : null;

  const done =
    phase.kind === 'done' ? (
      <Result
        status="success"
        icon={<CheckCircleOutlined />}
        title={t('import.doneTitle')}
        subTitle={<span data-testid="import-done">{t('import.doneSummary', counts(phase.result))}</span>}
        extra={[
          <Button key="org" type="primary" onClick={() => navigate('/org')}>
            {t('import.toOrg')}
          </Button>,
          <Button key="people" onClick={() => navigate('/people')}>
            {t('import.toPeople')}
          </Button>,
          <Button key="again" onClick={restart}>
            {t('import.again')}
          </Button>,
        ]}
      >
        <Row gutter={16} justify="center">
          {(
            [
              ['unitsCreated', phase.result.units.created],
              ['unitsUpdated', phase.result.units.updated],
              ['peopleCreated', phase.result.people.created],
              ['peopleUpdated', phase.result.people.updated],
            ] as const
          ).map(([k, v]) => (
            <Col key={k} xs={12} sm={6}>
              <Statistic title={t(`import.${k}`)} value={v} />
            </Col>
          ))}
        </Row>
      </Result>
    ) : null;

  const busy = phase.kind === 'uploading' || phase.kind === 'processing';

  return (
    <>
      <PageHeader title={t('import.title')} subtitle={t('import.intro')} />
      {can('org.manage') ? null : <Alert type="warning" showIcon title={t('import.noPermission')} style={{ marginBottom: 12 }} />}
      <Card style={{ marginBottom: 16 }} size="small">
        <Steps
          current={step}
          size="small"
          responsive
          onChange={
            busy
              ? undefined
              : (s) => {
                  // Only back: to the template, or to choose another file.
                  if (s >= step) return;
                  if (s === 1) restart();
                  else setStep(s);
                }
          }
          items={[t('import.stepTemplate'), t('import.stepUpload'), t('import.stepCheck'), t('import.stepResult')].map((title, i) => ({
            title,
            status:
              i === 2 && step === 2 && phase.kind === 'failed'
                ? ('error' as const)
                : i < step || (i === 3 && phase.kind === 'done')
                  ? ('finish' as const)
                  : i === step
                    ? ('process' as const)
                    : ('wait' as const),
          }))}
        />
      </Card>
      <ErrorAlert error={downloadError} onClose={() => setDownloadError(null)} />
      {step === 0 ? stepTemplate : null}
      {step === 1 ? stepUpload : null}
      {step === 2 ? (
        <Card size="small">
          {progress}
          {checked}
          {failed}
        </Card>
      ) : null}
      {step === 3 ? <Card size="small">{done}</Card> : null}
    </>
  );
}
