import { ArrowLeftOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, FilePdfOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Flex, Input, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { API_BASE, type ApiError, api, download } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { caseStateLabel } from '../lib/cases.js';
import { typeLabel, typeName, useCaseType, useCaseTypes } from '../lib/caseTypes.js';
import { counted, TEXT_LIMITS } from '../lib/limits.js';
import { qk } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { CaseActionView, CaseDetail } from '../types.js';
import { ActionDialog } from './cases/ActionDialog.js';
import { Attachments } from './cases/Attachments.js';
import { partNameOf, StateTag } from './cases/CaseBits.js';
import { CaseFields } from './cases/CaseFields.js';
import { CaseTimeline } from './cases/CaseTimeline.js';
import { DeadlineLine } from './cases/DeadlineLine.js';
import { EditCaseModal, hasEditForm } from './cases/EditCaseModal.js';
import { PartCard } from './cases/PartCard.js';
import { RelatedCases } from './cases/RelatedCases.js';
import { NotFound } from './Status.js';

export default function CaseDetailPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  if (!Number.isInteger(id) || id <= 0) return <NotFound />;
  return <CaseDetailView id={id} />;
}

const KNOWN_FORMS = ['contact_form', 'commission_letter', 'notice', 'operation_ticket'] as const;

function CaseDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [action, setAction] = useState<CaseActionView | null>(null);
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  /** 提交签发 found the draft incomplete: the edit dialog opens with the missing fields named. */
  const [incomplete, setIncomplete] = useState<ApiError | null>(null);
  const [comment, setComment] = useState('');
  const [fileError, setFileError] = useState<unknown>(null);

  const detail = useQuery({
    queryKey: qk.caseDetail(id),
    queryFn: async () => {
      const answer = await api.get<CaseDetail>(`/cases/${id}`);
      // Opening the case read my notifications about it: the bell shows what still needs me.
      void qc.invalidateQueries({ queryKey: qk.notifications });
      return answer;
    },
  });
  const d = detail.data;

  /** Lists, the todo badge and the bell may all have changed. */
  const refreshOthers = () => {
    void qc.invalidateQueries({ queryKey: qk.cases, predicate: (q) => q.queryKey[1] !== 'detail' });
    void qc.invalidateQueries({ queryKey: qk.notifications });
  };
  const accept = (next: CaseDetail | null | undefined) => {
    // The server answers with the new state; anything else (an older server) means asking again.
    if (next && typeof next === 'object' && 'actions' in next && next.id === id) qc.setQueryData(qk.caseDetail(id), next);
    else void detail.refetch();
    refreshOthers();
  };
  const onConflict = (err: ApiError) => {
    setAction(null);
    setEditing(false);
    setConflict(err);
    void message.error(err.message);
    void detail.refetch();
    refreshOthers();
  };

  const watch = useMutation({
    mutationFn: (watching: boolean) => api.put<unknown>(`/cases/${id}/watch`, { watching }),
    onSuccess: (_r, watching) => {
      qc.setQueryData<CaseDetail>(qk.caseDetail(id), (old) => (old ? { ...old, watching } : old));
      void message.success(watching ? t('caseDetail.watched') : t('caseDetail.unwatched'));
      refreshOthers();
    },
    onError: (e) => void message.error(e.message),
  });

  const postComment = useMutation({
    mutationFn: (text: string) => api.post<CaseDetail>(`/cases/${id}/comments`, { text }),
    onSuccess: (next) => {
      setComment('');
      void message.success(t('caseDetail.commented'));
      accept(next);
    },
  });

  // What the case's type is (GET /case-types): its edit form, state names.
  const caseType = useCaseType(d?.type);
  const caseTypes = useCaseTypes();

  const pdf = useMutation({
    mutationFn: () => download(`/cases/${id}/print.pdf`, `${d?.number ?? id}.pdf`),
    onError: setFileError,
  });

  if (detail.isPending || detail.error || !d)
    return (
      <>
        <BackLink />
        <LoadState loading={detail.isPending} error={detail.error} onRetry={() => void detail.refetch()} rows={8} />
      </>
    );

  const caseActions = d.actions.filter((a) => a.partId == null);
  const partActions = (partId: number) => d.actions.filter((a) => a.partId === partId);
  const caseDeadlines = d.deadlines.filter((x) => x.partId == null);
  const anyOverdue = d.parts.some((p) => p.overdue);
  const anySupervised = d.parts.some((p) => p.supervised);
  const canEdit = d.editable && hasEditForm(d.type, !!caseType.view);
  // The four forms the web knows keep their paper words; any other type names its sections itself.
  const known = (KNOWN_FORMS as readonly string[]).includes(d.type) ? (d.type as (typeof KNOWN_FORMS)[number]) : null;
  const partsTitle =
    d.type === 'commission_letter'
      ? t('commission.receiverUnit')
      : d.type === 'notice'
        ? t('notice.receivers')
        : known
          ? t('caseDetail.parts')
          : typeLabel(caseType.view, 'section.parts', t('caseDetail.parts'));
  const contentTitle = known
    ? t(`caseDetail.contentOf.${known}`)
    : typeLabel(caseType.view, 'section.content') || t('caseDetail.contentOfType', { name: typeName(caseType.view, d.type) });

  return (
    <>
      <PageHeader
        back={<BackLink />}
        title={<span style={{ wordBreak: 'break-word' }}>{d.title}</span>}
        subtitle={
          <Flex gap={6} wrap align="center" component="span">
            <Typography.Text copyable={{ text: d.number }} data-testid="case-number">
              {d.number}
            </Typography.Text>
            <Tag style={{ marginInlineEnd: 0 }}>{d.typeName}</Tag>
            <StateTag state={d.state} label={d.stateLabel} />
            {anyOverdue ? (
              <Tag color="red" style={{ marginInlineEnd: 0 }}>
                {t('cases.overdue')}
              </Tag>
            ) : null}
            {anySupervised ? (
              <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                {t('cases.supervised')}
              </Tag>
            ) : null}
          </Flex>
        }
        extra={
          <>
            <Button
              icon={d.watching ? <EyeInvisibleOutlined /> : <EyeOutlined />}
              loading={watch.isPending}
              onClick={() => watch.mutate(!d.watching)}
              data-testid="watch-toggle"
              aria-pressed={d.watching}
            >
              {d.watching ? t('caseDetail.unwatch') : t('caseDetail.watch')}
            </Button>
            <Button icon={<PrinterOutlined />} href={`${API_BASE}/cases/${id}/print`} target="_blank" rel="noopener">
              {isMobile ? null : t('caseDetail.print')}
            </Button>
            <Button icon={<FilePdfOutlined />} loading={pdf.isPending} onClick={() => pdf.mutate()} aria-label={t('caseDetail.pdf')}>
              {isMobile ? null : t('caseDetail.pdf')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void detail.refetch()} loading={detail.isFetching} aria-label={t('common.refresh')} />
          </>
        }
      />
      {conflict ? <ErrorAlert error={conflict} onClose={() => setConflict(null)} /> : null}
      {fileError ? <ErrorAlert error={fileError} onClose={() => setFileError(null)} /> : null}

      {isMobile && (d.actions.length > 0 || canEdit) ? (
        // On a phone what I may do comes first and stays in reach while I read (issue 8, first use 4).
        <div className="case-action-bar" data-testid="case-action-bar" role="toolbar" aria-label={t('casesPhone.actionBar')}>
          {d.actions.map((a, i) => {
            const unit = a.partId != null && d.parts.length > 1 ? (partNameOf(d.parts, a.partId) ?? undefined) : undefined;
            return (
              <Button
                key={`${a.action}-${a.partId ?? 0}`}
                type={i === 0 ? 'primary' : 'default'}
                danger={a.action === 'withdraw' || a.action === 'void'}
                onClick={() => setAction(a)}
                data-action={a.action}
              >
                {unit ? t('casesPhone.partAction', { label: a.label, unit }) : a.label}
              </Button>
            );
          })}
          {canEdit ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('caseDetail.edit')}
            </Button>
          ) : null}
        </div>
      ) : null}

      <Card
        size="small"
        title={t('caseDetail.actions')}
        style={{ marginBottom: 12, display: isMobile && (d.actions.length > 0 || canEdit) ? 'none' : undefined }}
        data-testid="case-actions"
      >
        {caseActions.length > 0 || canEdit ? (
          <Flex gap={8} wrap>
            {caseActions.map((a, i) => (
              <Button
                key={a.action}
                type={i === 0 ? 'primary' : 'default'}
                danger={a.action === 'withdraw'}
                onClick={() => setAction(a)}
                data-action={a.action}
              >
                {a.label}
              </Button>
            ))}
            {canEdit ? (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-case">
                {t('caseDetail.edit')}
              </Button>
            ) : null}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{d.actions.length > 0 ? t('caseDetail.seeParts') : t('caseDetail.noActions')}</Typography.Text>
        )}
      </Card>

      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={12}>
            <Card size="small" title={contentTitle}>
              <CaseFields detail={d} />
              {caseDeadlines.length > 0 ? (
                <Flex vertical gap={4} style={{ marginTop: 12 }}>
                  {caseDeadlines.map((x) => (
                    <DeadlineLine key={`${x.clock}-${x.startedAt}`} deadline={x} />
                  ))}
                </Flex>
              ) : null}
            </Card>

            {/* An operation ticket has no receiving units: every step is the case's. */}
            {d.parts.length === 0 && d.type === 'operation_ticket' ? null : (
              <Typography.Title level={5} style={{ margin: '4px 0 0' }}>
                {partsTitle}
              </Typography.Title>
            )}
            {d.parts.length === 0 ? (
              d.type === 'operation_ticket' ? null : (
                <Card size="small">
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                </Card>
              )
            ) : (
              <Row gutter={[12, 12]}>
                {d.parts.map((p) => (
                  <Col key={p.id} xs={24} md={d.parts.length > 1 ? 12 : 24}>
                    <PartCard
                      part={p}
                      caseType={d.type}
                      deadlines={d.deadlines.filter((x) => x.partId === p.id)}
                      actions={partActions(p.id)}
                      onAction={setAction}
                    />
                  </Col>
                ))}
              </Row>
            )}

            <Card size="small" title={t('caseDetail.timeline')} data-testid="case-timeline">
              <CaseTimeline events={d.timeline} deadlines={[...d.deadlines, ...(d.replacedDeadlines ?? [])]} parts={d.parts} fields={d.fields} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={12}>
            <Card size="small" title={t('caseDetail.attachments')}>
              <Attachments caseId={id} caseType={d.type} attachments={d.attachments} parts={d.parts} onChanged={() => void detail.refetch()} />
            </Card>
            <Card size="small" title={t('caseDetail.comments')}>
              {postComment.error ? <ErrorAlert error={postComment.error} onClose={() => postComment.reset()} style={{ marginBottom: 8 }} /> : null}
              <Input.TextArea
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                autoSize={{ minRows: 3, maxRows: 10 }}
                {...counted(TEXT_LIMITS.comment)}
                placeholder={t('caseDetail.commentPlaceholder')}
                aria-label={t('caseDetail.comments')}
              />
              <Flex justify="flex-end" style={{ marginTop: 28 }}>
                <Button
                  type="primary"
                  disabled={!comment.trim() || comment.trim().length > TEXT_LIMITS.comment}
                  loading={postComment.isPending}
                  onClick={() => postComment.mutate(comment.trim())}
                >
                  {t('caseDetail.postComment')}
                </Button>
              </Flex>
            </Card>
            <RelatedCases detail={d} />
            {d.links.length > 0 ? (
              <Card size="small" title={t('caseDetail.links')}>
                <ul className="plain-list">
                  {d.links.map((l) => (
                    <li key={l.id} style={{ padding: '4px 0' }}>
                      <Link to={`/cases/${l.id}`}>
                        {l.number} {l.title}
                      </Link>
                      <Tag style={{ marginInlineStart: 6 }}>{caseStateLabel(caseTypes.data, l.state)}</Tag>
                    </li>
                  ))}
                </ul>
              </Card>
            ) : null}
          </Flex>
        </Col>
      </Row>

      <ActionDialog
        detail={d}
        action={action}
        onClose={() => setAction(null)}
        onConflict={onConflict}
        onIncomplete={(err) => {
          setAction(null);
          void message.warning(err.message);
          if (canEdit) {
            setIncomplete(err);
            setEditing(true);
          } else setConflict(err);
        }}
        onDone={(next, a) => {
          setAction(null);
          setConflict(null);
          void message.success(t('caseDetail.actionDone', { label: a.label }));
          accept(next);
        }}
      />
      {canEdit ? (
        <EditCaseModal
          open={editing}
          detail={d}
          problems={incomplete}
          onClose={() => {
            setEditing(false);
            setIncomplete(null);
          }}
          onConflict={onConflict}
          onSaved={(next) => {
            setEditing(false);
            setIncomplete(null);
            void message.success(t('common.saved'));
            accept(next);
          }}
        />
      ) : null}
    </>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/cases" style={{ display: 'inline-block', marginBottom: 8 }}>
      <ArrowLeftOutlined /> {t('caseDetail.back')}
    </Link>
  );
}
