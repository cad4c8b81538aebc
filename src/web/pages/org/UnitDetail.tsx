import { CheckCircleOutlined, DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Flex, Popconfirm, Skeleton, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { HistoryTimeline } from '../../components/HistoryTimeline.js';
import { LoadState } from '../../components/LoadState.js';
import { currentLang } from '../../i18n/index.js';
import { localName } from '../../lib/format.js';
import { qk, useCan, useUnitTypes } from '../../lib/queries.js';
import { unitTrail } from '../../lib/tree.js';
import { useIsMobile } from '../../lib/useIsMobile.js';
import type { AuditEvent, Page, PersonView, UnitView } from '../../types.js';
import { MoveUnitModal } from './MoveUnitModal.js';
import { UnitFormModal } from './UnitFormModal.js';

interface Props {
  unit: UnitView;
  units: UnitView[];
  onSelect: (id: number | null) => void;
}

export function UnitDetail({ unit, units, onSelect }: Props) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const isMobile = useIsMobile();
  const { message, modal } = App.useApp();
  const types = useUnitTypes();
  const lang = currentLang();
  const [dialog, setDialog] = useState<'add' | 'edit' | 'move' | null>(null);
  const manage = can('org.manage');
  const isRoot = unit.parentId === null;
  const type = types.data?.find((ty) => ty.code === unit.typeCode);
  const trail = unitTrail(units, unit.id);
  const parent = units.find((u) => u.id === unit.parentId);

  const members = useQuery({
    queryKey: qk.unitMembers(unit.id),
    queryFn: () => api.get<Page<PersonView>>('/people', { unitId: unit.id, subtree: 0, pageSize: 200, sort: 'name' }),
    enabled: can('people.read'),
  });
  const history = useQuery({ queryKey: qk.unitHistory(unit.id), queryFn: () => api.get<AuditEvent[]>(`/units/${unit.id}/history`) });

  const afterChange = async () => {
    await qc.invalidateQueries({ queryKey: qk.units });
    void qc.invalidateQueries({ queryKey: qk.unitHistory(unit.id) });
  };
  const toggleActive = useMutation({
    mutationFn: () => api.patch<UnitView>(`/units/${unit.id}`, { active: !unit.active }),
    onSuccess: async () => {
      await afterChange();
      void message.success(t('common.saved'));
    },
    onError: (e) => void modal.error({ title: t('common.loadFailed'), content: e.message }),
  });
  const remove = useMutation({
    mutationFn: () => api.del(`/units/${unit.id}`),
    onSuccess: async () => {
      onSelect(unit.parentId);
      await afterChange();
      void message.success(t('common.deleted'));
    },
    // 409 UNIT_NOT_EMPTY / ROOT_UNIT: the server's message says why.
    onError: (e) => void modal.error({ title: t('org.deleteConfirm', { name: unit.name }), content: e.message }),
  });

  const actions = manage ? (
    <Flex gap={8} wrap>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('add')} data-testid="add-child-unit">
        {t('org.addChild')}
      </Button>
      <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
        {t('common.edit')}
      </Button>
      {isRoot ? null : (
        <>
          <Button icon={<DragOutlined />} onClick={() => setDialog('move')}>
            {t('org.move')}
          </Button>
          {unit.active ? (
            <Popconfirm title={t('org.deactivateConfirm', { name: unit.name })} onConfirm={() => toggleActive.mutate()} okButtonProps={{ danger: true }}>
              <Button icon={<StopOutlined />} loading={toggleActive.isPending}>
                {t('org.deactivate')}
              </Button>
            </Popconfirm>
          ) : (
            <Button icon={<CheckCircleOutlined />} loading={toggleActive.isPending} onClick={() => toggleActive.mutate()}>
              {t('org.activate')}
            </Button>
          )}
          <Popconfirm
            title={t('org.deleteConfirm', { name: unit.name })}
            description={
              <>
                {t('org.deleteHint')}
                <br />
                {t('common.irreversible')}
              </>
            }
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            onConfirm={() => remove.mutate()}
          >
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </>
      )}
    </Flex>
  ) : null;

  const memberList = members.data?.items ?? [];

  return (
    <Card
      data-testid="unit-detail"
      title={
        <Flex align="center" gap={8} wrap>
          <span>{unit.name}</span>
          {type ? <Tag color="blue">{localName(type, lang)}</Tag> : null}
          {unit.active ? null : <Tag>{t('org.inactiveTag')}</Tag>}
        </Flex>
      }
    >
      {actions ? <div style={{ marginBottom: 16 }}>{actions}</div> : null}
      <Descriptions
        size="small"
        column={isMobile ? 1 : 2}
        bordered
        items={[
          { key: 'name', label: t('org.name'), children: unit.name },
          { key: 'code', label: t('org.code'), children: <Typography.Text copyable>{unit.code}</Typography.Text> },
          { key: 'type', label: t('org.type'), children: type ? localName(type, lang) : unit.typeCode },
          {
            key: 'parent',
            label: t('org.parent'),
            children: parent ? <Typography.Link onClick={() => onSelect(parent.id)}>{parent.name}</Typography.Link> : <Tag>{t('org.root')}</Tag>,
          },
          { key: 'sort', label: t('org.sortOrder'), children: unit.sortOrder },
          { key: 'state', label: t('org.state'), children: unit.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag> },
          {
            key: 'path',
            label: t('org.path'),
            span: isMobile ? 1 : 2,
            children: (
              <Breadcrumb
                items={trail.map((u) => ({
                  key: u.id,
                  title: u.id === unit.id ? u.name : <Typography.Link onClick={() => onSelect(u.id)}>{u.name}</Typography.Link>,
                }))}
              />
            ),
          },
        ]}
      />
      <Tabs
        style={{ marginTop: 8 }}
        items={[
          ...(can('people.read')
            ? [
                {
                  key: 'members',
                  label: `${t('org.members')}${members.data ? ` (${members.data.total})` : ''}`,
                  children: (
                    <LoadState loading={members.isPending} error={members.error} onRetry={() => void members.refetch()} rows={3}>
                      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                        {t('org.membersHint')}
                      </Typography.Paragraph>
                      {memberList.length === 0 ? (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.noMembers')} />
                      ) : (
                        <Table<PersonView>
                          size="small"
                          rowKey="id"
                          dataSource={memberList}
                          pagination={memberList.length > 20 ? { pageSize: 20, size: 'small' } : false}
                          scroll={{ x: 'max-content' }}
                          columns={[
                            { title: t('people.name'), dataIndex: 'name', render: (n: string, p) => <Link to={`/people/${p.id}`}>{n}</Link> },
                            { title: t('people.post'), dataIndex: 'post', render: (v: string | null) => v ?? t('common.none') },
                            { title: t('people.employeeNo'), dataIndex: 'employeeNo', render: (v: string | null) => v ?? t('common.none') },
                            {
                              title: t('people.phone'),
                              dataIndex: 'phone',
                              render: (v: string | null) => (v ? <a href={`tel:${v}`}>{v}</a> : t('common.none')),
                            },
                          ]}
                        />
                      )}
                    </LoadState>
                  ),
                },
              ]
            : []),
          {
            key: 'history',
            label: t('org.history'),
            children: history.isPending ? (
              <Skeleton active />
            ) : (
              <LoadState loading={false} error={history.error} onRetry={() => void history.refetch()}>
                <HistoryTimeline events={history.data ?? []} emptyText={t('org.noHistory')} />
              </LoadState>
            ),
          },
        ]}
      />
      <UnitFormModal
        open={dialog === 'add'}
        parent={unit}
        onClose={() => setDialog(null)}
        onSaved={(u) => {
          setDialog(null);
          onSelect(u.id);
        }}
      />
      <UnitFormModal open={dialog === 'edit'} unit={unit} onClose={() => setDialog(null)} onSaved={() => setDialog(null)} />
      <MoveUnitModal open={dialog === 'move'} unit={unit} onClose={() => setDialog(null)} onMoved={() => setDialog(null)} />
    </Card>
  );
}
