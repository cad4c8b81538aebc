import { DownloadOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Empty, Flex, Input, Modal, Space, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BULK_ACCOUNTS_MAX as BULK_MAX } from '../../../contracts/limits.js';
import { api, blobFromBase64, saveFile } from '../../api.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { PhonePager } from '../../components/PhonePager.js';
import { todayInZone } from '../../lib/format.js';
import { qk } from '../../lib/queries.js';
import { useIsMobile } from '../../lib/useIsMobile.js';
import type { AccountCandidateView, BulkAccountsCreatedView, OneTimeLoginView } from '../../types.js';

const PHONE_PAGE = 30;

const FILE_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
} as const;
type FileKind = keyof typeof FILE_TYPES;

const matches = (c: AccountCandidateView, needle: string) => [c.name, c.employeeNo ?? '', c.unitName ?? ''].some((v) => v.toLowerCase().includes(needle));

/** Step 1: who gets an account. */
function ChooseCandidates({ selected, onSelected }: { selected: number[]; onSelected: (ids: number[]) => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const candidates = useQuery({ queryKey: qk.accountCandidates, queryFn: () => api.get<AccountCandidateView[]>('/accounts/candidates') });
  const all = candidates.data ?? [];
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? all.filter((c) => matches(c, needle)) : all;
  }, [all, q]);
  const chosen = new Set(selected);
  const allShownChosen = rows.length > 0 && rows.every((c) => chosen.has(c.personId));
  const toggle = (id: number, on: boolean) => onSelected(on ? [...selected, id] : selected.filter((x) => x !== id));
  const selectShown = (on: boolean) => {
    const shown = new Set(rows.map((c) => c.personId));
    onSelected(on ? [...new Set([...selected, ...shown])] : selected.filter((id) => !shown.has(id)));
  };
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={all.length === 0 ? t('accounts.bulk.noCandidates') : t('accounts.bulk.noMatch')} />;
  const unitOf = (c: AccountCandidateView) => c.unitName ?? t('common.none');
  /** Everything the search shows, on every page; with `text` as its visible label, else as its aria-label. */
  const selectAllBox = (text?: string) => (
    <Checkbox
      checked={allShownChosen}
      indeterminate={!allShownChosen && rows.some((c) => chosen.has(c.personId))}
      disabled={rows.length === 0}
      onChange={(e) => selectShown(e.target.checked)}
      aria-label={text ? undefined : t('accounts.bulk.selectAll', { count: rows.length })}
    >
      {text}
    </Checkbox>
  );

  return (
    <LoadState loading={candidates.isPending} error={candidates.error} onRetry={() => void candidates.refetch()}>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('accounts.bulk.search')}
          aria-label={t('accounts.bulk.search')}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
          style={{ maxWidth: isMobile ? undefined : 320, flex: isMobile ? '1 1 100%' : undefined }}
        />
        {/* On a desktop the table's header box does the same. */}
        {isMobile ? selectAllBox(t('accounts.bulk.selectAll', { count: rows.length })) : null}
        {selected.length > 0 ? (
          <Button size="small" type="link" onClick={() => onSelected([])}>
            {t('accounts.bulk.clear')}
          </Button>
        ) : null}
        <Typography.Text type={selected.length > BULK_MAX ? 'danger' : 'secondary'} data-testid="bulk-selected">
          {t('accounts.bulk.selected', { count: selected.length })}
        </Typography.Text>
      </Flex>
      {selected.length > BULK_MAX ? <Alert type="error" showIcon title={t('accounts.bulk.tooMany', { max: BULK_MAX })} style={{ marginBottom: 12 }} /> : null}
      {isMobile ? (
        rows.length === 0 ? (
          empty
        ) : (
          <>
            <div className="card-list" data-testid="bulk-candidates">
              {rows.slice((page - 1) * PHONE_PAGE, page * PHONE_PAGE).map((c) => (
                <Card key={c.personId} size="small">
                  <Checkbox checked={chosen.has(c.personId)} onChange={(e) => toggle(c.personId, e.target.checked)} style={{ width: '100%' }}>
                    <Typography.Text strong>{c.name}</Typography.Text>
                    {c.employeeNo ? <Typography.Text type="secondary"> {c.employeeNo}</Typography.Text> : null}
                    <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>{unitOf(c)}</div>
                  </Checkbox>
                </Card>
              ))}
            </div>
            {rows.length > PHONE_PAGE ? <PhonePager page={page} pageSize={PHONE_PAGE} total={rows.length} onPage={(p) => setPage(p ?? 1)} /> : null}
          </>
        )
      ) : (
        <Table<AccountCandidateView>
          size="small"
          rowKey="personId"
          data-testid="bulk-candidates"
          dataSource={rows}
          scroll={{ x: 'max-content', y: 420 }}
          pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }) } : false}
          locale={{ emptyText: empty }}
          rowSelection={{
            selectedRowKeys: selected,
            // The header box picks everything the search shows, on every page, not only the page in view.
            columnTitle: selectAllBox(),
            onSelect: (c, on) => toggle(c.personId, on),
            // antd labels each box "Select row N" in English whatever the locale.
            getCheckboxProps: (c) => ({ 'aria-label': t('accounts.bulk.choose', { name: c.name }) }),
          }}
          columns={[
            { title: t('accounts.bulk.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
            {
              title: t('accounts.bulk.employeeNo'),
              dataIndex: 'employeeNo',
              sorter: (a, b) => (a.employeeNo ?? '').localeCompare(b.employeeNo ?? ''),
              render: (v: string | null) => v ?? t('common.none'),
            },
            {
              title: t('accounts.bulk.unit'),
              dataIndex: 'unitName',
              sorter: (a, b) => (a.unitName ?? '').localeCompare(b.unitName ?? '', 'zh-CN'),
              render: (_: unknown, c) => unitOf(c),
            },
          ]}
        />
      )}
    </LoadState>
  );
}

/** Step 2: the one-time passwords, shown this once, with the files to hand over. */
function OneTimePasswords({
  result,
  downloaded,
  onDownload,
}: {
  result: BulkAccountsCreatedView;
  downloaded: Set<FileKind>;
  onDownload: (kind: FileKind) => void;
}) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const pw = (v: string) => (
    <Typography.Text code copyable={{ text: v }} data-testid="one-time-password">
      {v}
    </Typography.Text>
  );
  return (
    <>
      <Alert
        type="warning"
        showIcon
        title={t('accounts.bulk.doneTitle', { count: result.accounts.length })}
        description={t('accounts.bulk.once')}
        style={{ marginBottom: 12 }}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        {(['xlsx', 'csv'] as const).map((kind) => (
          <Button
            key={kind}
            type={downloaded.has(kind) ? 'default' : 'primary'}
            icon={<DownloadOutlined />}
            onClick={() => onDownload(kind)}
            data-testid={`download-${kind}`}
          >
            {kind === 'xlsx' ? t('accounts.bulk.downloadXlsx') : t('accounts.bulk.downloadCsv')}
            {downloaded.has(kind) ? ` · ${t('accounts.bulk.downloaded')}` : ''}
          </Button>
        ))}
      </Space>
      {isMobile ? (
        <div className="card-list" data-testid="one-time-logins">
          {result.accounts.map((a) => (
            <Card key={a.accountId} size="small">
              <Typography.Text strong>{a.name}</Typography.Text>
              {a.employeeNo ? <Typography.Text type="secondary"> {a.employeeNo}</Typography.Text> : null}
              <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>{a.unitName ?? t('common.none')}</div>
              <div>
                {t('accounts.bulk.username')}
                {t('common.colon')}
                <Typography.Text code>{a.username}</Typography.Text>
              </div>
              <div>
                {t('accounts.bulk.password')}
                {t('common.colon')}
                {pw(a.password)}
              </div>
            </Card>
          ))}
        </div>
      ) : (
        <Table<OneTimeLoginView>
          size="small"
          rowKey="accountId"
          data-testid="one-time-logins"
          dataSource={result.accounts}
          scroll={{ x: 'max-content', y: 420 }}
          pagination={false}
          columns={[
            { title: t('accounts.bulk.name'), dataIndex: 'name' },
            { title: t('accounts.bulk.employeeNo'), dataIndex: 'employeeNo', render: (v: string | null) => v ?? t('common.none') },
            { title: t('accounts.bulk.unit'), dataIndex: 'unitName', render: (v: string | null) => v ?? t('common.none') },
            { title: t('accounts.bulk.username'), dataIndex: 'username', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('accounts.bulk.password'), dataIndex: 'password', render: (v: string) => pw(v) },
          ]}
        />
      )}
    </>
  );
}

/**
 * 批量开户: POST /accounts/bulk with the chosen people, then their usernames and one-time passwords,
 * shown this once (the server keeps none), as a list and as .xlsx / .csv files. Closing before
 * anything was downloaded asks first.
 */
export function BulkAccountsModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [selected, setSelected] = useState<number[]>([]);
  const [result, setResult] = useState<BulkAccountsCreatedView | null>(null);
  const [downloaded, setDownloaded] = useState<Set<FileKind>>(new Set());

  const create = useMutation({
    mutationFn: (personIds: number[]) => api.post<BulkAccountsCreatedView>('/accounts/bulk', { personIds }),
    onSuccess: (r) => {
      setResult(r);
      setSelected([]);
      // The accounts list and the candidates (under the same key) both changed.
      void qc.invalidateQueries({ queryKey: qk.accounts });
    },
  });
  const { reset } = create;

  useEffect(() => {
    if (open) {
      reset();
      setSelected([]);
      setResult(null);
      setDownloaded(new Set());
    }
  }, [open, reset]);

  const download = (kind: FileKind) => {
    if (!result) return;
    const date = todayInZone().replace(/-/g, '');
    saveFile(blobFromBase64(result.files[kind], FILE_TYPES[kind]), `${t('accounts.bulk.file', { date })}.${kind}`);
    setDownloaded((d) => new Set([...d, kind]));
  };

  const close = () => {
    if (result && downloaded.size === 0) {
      modal.confirm({
        title: t('accounts.bulk.closeTitle'),
        content: t('accounts.bulk.closeContent'),
        okText: t('accounts.bulk.closeOk'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: onClose,
      });
      return;
    }
    onClose();
  };

  const footer = result ? (
    <Button type="primary" onClick={close}>
      {t('accounts.bulk.done')}
    </Button>
  ) : (
    <Space wrap>
      <Button onClick={close}>{t('common.cancel')}</Button>
      <Button
        type="primary"
        icon={<UsergroupAddOutlined />}
        disabled={selected.length === 0 || selected.length > BULK_MAX}
        loading={create.isPending}
        onClick={() => create.mutate(selected)}
        data-testid="bulk-submit"
      >
        {selected.length > 0 ? t('accounts.bulk.submitCount', { count: selected.length }) : t('accounts.bulk.submit')}
      </Button>
    </Space>
  );

  return (
    <Modal
      open={open}
      title={t('accounts.bulk.title')}
      onCancel={close}
      footer={footer}
      width={isMobile ? '100%' : 820}
      style={isMobile ? { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 } : undefined}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {result ? (
        <OneTimePasswords result={result} downloaded={downloaded} onDownload={download} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t('accounts.bulk.intro')}
          </Typography.Paragraph>
          {create.error ? <ErrorAlert error={create.error} onClose={reset} /> : null}
          <ChooseCandidates selected={selected} onSelected={setSelected} />
        </>
      )}
    </Modal>
  );
}
