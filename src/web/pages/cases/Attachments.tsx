import { DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Progress, Select, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, upload } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { dynT, fileSize, formatTime } from '../../lib/format.js';
import type { CaseAttachment, CasePart } from '../../types.js';
import { partName, partNameOf } from './CaseBits.js';

interface Props {
  /** The case's type, to name the whole form (联系单, 委托书…) in the attachment's owner list. */
  caseType?: string;
  caseId: number;
  attachments: CaseAttachment[];
  parts: CasePart[];
  onChanged: () => void;
}

/** The case's files: download each, upload one more (for the whole form or one receiving unit). */
export function Attachments({ caseId, caseType = 'contact_form', attachments, parts, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [partId, setPartId] = useState<number | undefined>(undefined);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const unitOf = (id: number | null) => partNameOf(parts, id);

  const start = (file: File) => {
    setError(null);
    setProgress(0);
    const handle = upload<CaseAttachment>(`/cases/${caseId}/attachments`, file, {
      fields: partId ? { partId: String(partId) } : undefined,
      onProgress: setProgress,
    });
    handle.promise
      .then((a) => {
        void message.success(t('caseDetail.uploaded', { name: a?.name ?? file.name }));
        onChanged();
      })
      .catch(setError)
      .finally(() => setProgress(null));
  };

  const get = (a: CaseAttachment) => {
    setError(null);
    download(`/cases/${caseId}/attachments/${a.id}`, a.name).catch(setError);
  };

  return (
    <div data-testid="attachments">
      {error ? <ErrorAlert error={error} onClose={() => setError(null)} style={{ marginBottom: 8 }} /> : null}
      {attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseDetail.noAttachments')} style={{ margin: '8px 0' }} />
      ) : (
        <ul className="plain-list">
          {attachments.map((a) => (
            <li key={a.id} className="attachment-row">
              <div style={{ minWidth: 0, flex: 1 }}>
                <Typography.Link onClick={() => get(a)} style={{ wordBreak: 'break-all' }}>
                  <PaperClipOutlined /> {a.name}
                </Typography.Link>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[fileSize(a.size), unitOf(a.partId), formatTime(a.createdAt)].filter(Boolean).join(' · ')}
                  </Typography.Text>
                </div>
              </div>
              <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => get(a)} aria-label={t('caseDetail.download')} />
            </li>
          ))}
        </ul>
      )}
      <Flex gap={8} wrap align="center" style={{ marginTop: 8 }}>
        {parts.length > 0 ? (
          <Select<number | 0>
            size="small"
            value={partId ?? 0}
            onChange={(v) => setPartId(v || undefined)}
            options={[
              { value: 0, label: dynT(t, `caseDetail.attachWholeOf.${caseType}`, t('caseDetail.attachWhole')) },
              ...parts.map((p) => ({ value: p.id, label: partName(p) })),
            ]}
            style={{ minWidth: 140 }}
            aria-label={t('caseDetail.attachTo')}
          />
        ) : null}
        <Upload
          showUploadList={false}
          beforeUpload={(file) => {
            start(file);
            return false;
          }}
          disabled={progress !== null}
        >
          <Button size="small" icon={<UploadOutlined />} loading={progress !== null}>
            {t('caseDetail.upload')}
          </Button>
        </Upload>
      </Flex>
      {progress !== null ? <Progress percent={progress} size="small" style={{ marginTop: 4 }} /> : null}
    </div>
  );
}
