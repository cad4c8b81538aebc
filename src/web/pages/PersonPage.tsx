import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, KeyOutlined, PlusOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Popconfirm, Row, Steps, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.js';
import { HistoryTimeline } from '../components/HistoryTimeline.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { qk, useCan, useRoleName } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { AuditEvent, MembershipView, PersonDetailView } from '../types.js';
import { StatusTag } from './PeoplePage.js';
import { CreateAccountModal } from './people/CreateAccountModal.js';
import { MembershipModal } from './people/MembershipModal.js';
import { PersonFormModal } from './people/PersonFormModal.js';
import { NotFound } from './Status.js';

export default function PersonPage() {
  const { t } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const can = useCan();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [dialog, setDialog] = useState<'edit' | 'membership' | 'account' | null>(null);
  const manage = can('people.manage');
  const roleName = useRoleName();

  const person = useQuery({ queryKey: qk.person(id), queryFn: () => api.get<PersonDetailView>(`/people/${id}`), enabled: id > 0 });
  const events = useQuery({ queryKey: qk.personHistory(id), queryFn: () => api.get<AuditEvent[]>(`/people/${id}/history`), enabled: id > 0 });

  const removeMembership = useMutation({
    mutationFn: (m: MembershipView) => api.del(`/memberships/${m.id}`),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['person', id] });
      void qc.invalidateQueries({ queryKey: ['people'] });
      void message.success(t('common.deleted'));
    },
    onError: (e) => void modal.error({ title: t('common.delete'), content: e.message }),
  });

  if (!(id > 0)) return <NotFound />;
  const p = person.data;
  const dash = (v: string | null | undefined) => v || t('common.none');

  return (
    <>
      <PageHeader
        back={
          <Button
            type="link"
            icon={<ArrowLeftOutlined />}
            style={{ paddingInline: 0 }}
            onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/people'))}
          >
            {t('person.back')}
          </Button>
        }
        title={
          p ? (
            <Flex align="center" gap={8} wrap>
              <UserOutlined />
              {p.name}
              <StatusTag status={p.status} />
            </Flex>
          ) : (
            t('people.title')
          )
        }
        extra={
          p && manage ? (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
              {t('common.edit')}
            </Button>
          ) : null
        }
      />
      <LoadState loading={person.isPending} error={person.error} onRetry={() => void person.refetch()} rows={8}>
        {p ? (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Flex vertical gap={16}>
                <Card title={t('person.basic')} size="small">
                  <Descriptions
                    size="small"
                    column={isMobile ? 1 : 2}
                    items={[
                      { key: 'name', label: t('people.name'), children: p.name },
                      { key: 'gender', label: t('people.gender'), children: p.gender ? t(`gender.${p.gender}`) : t('gender.unknown') },
                      { key: 'no', label: t('people.employeeNo'), children: dash(p.employeeNo) },
                      { key: 'post', label: t('people.post'), children: dash(p.post) },
                      { key: 'phone', label: t('people.phone'), children: p.phone ? <a href={`tel:${p.phone}`}>{p.phone}</a> : t('common.none') },
                      { key: 'status', label: t('people.status'), children: <StatusTag status={p.status} /> },
                    ]}
                  />
                </Card>
                <Card
                  title={t('person.memberships')}
                  size="small"
                  extra={
                    manage ? (
                      <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('membership')}>
                        {t('person.addMembership')}
                      </Button>
                    ) : null
                  }
                >
                  <Table<MembershipView>
                    size="small"
                    rowKey="id"
                    dataSource={p.memberships}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('person.noMemberships')} /> }}
                    columns={[
                      {
                        title: t('person.unit'),
                        dataIndex: 'unitName',
                        render: (n: string, m) => (
                          <>
                            <Link to={`/org?unit=${m.unitId}`}>{n}</Link>
                            {m.isPrimary ? (
                              <Tag color="blue" style={{ marginInlineStart: 6 }}>
                                {t('person.primaryTag')}
                              </Tag>
                            ) : null}
                          </>
                        ),
                      },
                      { title: t('person.role'), dataIndex: 'roleName', render: (n: string, m) => roleName(m.roleCode, n) },
                      ...(manage
                        ? [
                            {
                              title: t('common.actions'),
                              key: 'actions',
                              width: 80,
                              render: (_: unknown, m: MembershipView) => (
                                <Popconfirm
                                  title={t('person.removeMembershipConfirm', { unit: m.unitName, role: roleName(m.roleCode, m.roleName) })}
                                  okButtonProps={{ danger: true }}
                                  okText={t('common.delete')}
                                  onConfirm={() => removeMembership.mutate(m)}
                                >
                                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                                </Popconfirm>
                              ),
                            },
                          ]
                        : []),
                    ]}
                  />
                </Card>
                {isMobile ? null : (
                  <Card title={t('person.history')} size="small">
                    <LoadState loading={events.isPending} error={events.error} onRetry={() => void events.refetch()}>
                      <HistoryTimeline events={events.data ?? []} emptyText={t('person.noHistory')} />
                    </LoadState>
                  </Card>
                )}
              </Flex>
            </Col>
            <Col xs={24} lg={10}>
              <Flex vertical gap={16}>
                <Card title={t('person.reportingChain')} size="small" data-testid="reporting-chain">
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                    {t('person.reportingChainHint')}
                  </Typography.Paragraph>
                  {p.reportingChain.length === 0 ? (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('person.noReportingChain')} />
                  ) : (
                    <Steps
                      orientation="vertical"
                      size="small"
                      current={0}
                      items={[
                        {
                          title: p.name,
                          content: [t('person.self'), p.memberships.find((m) => m.isPrimary)?.unitName].filter(Boolean).join(' · '),
                          status: 'process' as const,
                          icon: <UserOutlined />,
                        },
                        ...p.reportingChain.map((c) => ({
                          key: `${c.personId}-${c.unitId}`,
                          title: <Link to={`/people/${c.personId}`}>{c.name}</Link>,
                          content: `${roleName(c.roleCode, c.roleName)} · ${c.unitName}`,
                          status: 'wait' as const,
                        })),
                      ]}
                    />
                  )}
                </Card>
                <Card title={t('person.account')} size="small">
                  {p.account ? (
                    <Flex justify="space-between" align="center" wrap gap={8}>
                      <span>
                        <KeyOutlined /> <Typography.Text strong>{p.account.username}</Typography.Text>{' '}
                        {p.account.active ? <Tag color="green">{t('person.accountActive')}</Tag> : <Tag color="red">{t('person.accountInactive')}</Tag>}
                      </span>
                      {can('account.manage') ? <Link to="/accounts">{t('person.manageAccounts')}</Link> : null}
                    </Flex>
                  ) : (
                    <Flex justify="space-between" align="center" wrap gap={8}>
                      <Typography.Text type="secondary">{t('person.noAccount')}</Typography.Text>
                      {can('account.manage') ? (
                        <Button icon={<KeyOutlined />} onClick={() => setDialog('account')}>
                          {t('person.createAccount')}
                        </Button>
                      ) : null}
                    </Flex>
                  )}
                </Card>
                {isMobile ? (
                  <Card title={t('person.history')} size="small">
                    <LoadState loading={events.isPending} error={events.error} onRetry={() => void events.refetch()}>
                      <HistoryTimeline events={events.data ?? []} emptyText={t('person.noHistory')} />
                    </LoadState>
                  </Card>
                ) : null}
              </Flex>
            </Col>
          </Row>
        ) : null}
      </LoadState>
      {p ? (
        <>
          <PersonFormModal
            open={dialog === 'edit'}
            person={p}
            onClose={() => setDialog(null)}
            onSaved={() => {
              setDialog(null);
              void qc.invalidateQueries({ queryKey: qk.personHistory(id) });
            }}
          />
          <MembershipModal open={dialog === 'membership'} personId={p.id} personName={p.name} onClose={() => setDialog(null)} />
          <CreateAccountModal open={dialog === 'account'} person={{ id: p.id, name: p.name }} onClose={() => setDialog(null)} />
        </>
      ) : null}
    </>
  );
}
