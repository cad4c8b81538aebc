import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Flex, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { currentLang } from '../i18n/index.js';
import { localName, permLabel } from '../lib/format.js';
import { qk, useCan, useMe, useRoles } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import { PERMISSIONS, type RoleView } from '../types.js';

const sameSet = (a: readonly string[], b: ReadonlySet<string>) => a.length === b.size && a.every((x) => b.has(x));

export default function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const can = useCan();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const lang = currentLang();
  const isMobile = useIsMobile();
  const editable = can('role.manage');
  const [drafts, setDrafts] = useState<Record<string, Set<string>>>({});
  const [saving, setSaving] = useState<string | null>(null);

  // Permissions the server may know beyond ours still get a column.
  const perms = useMemo(() => {
    const extra = (roles.data ?? []).flatMap((r) => r.permissions).filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    return [...PERMISSIONS, ...new Set(extra)];
  }, [roles.data]);

  const current = (r: RoleView) => drafts[r.code] ?? new Set(r.permissions);
  const dirty = (r: RoleView) => !!drafts[r.code] && !sameSet(r.permissions, drafts[r.code]!);

  const toggle = (r: RoleView, p: string, on: boolean) => {
    const next = new Set(current(r));
    if (on) next.add(p);
    else next.delete(p);
    setDrafts((d) => ({ ...d, [r.code]: next }));
  };
  const reset = (code: string) =>
    setDrafts((d) => {
      const { [code]: _, ...rest } = d;
      return rest;
    });

  const save = useMutation({
    mutationFn: (r: RoleView) => api.put(`/roles/${encodeURIComponent(r.code)}`, { permissions: [...current(r)].sort() }),
    onMutate: (r) => setSaving(r.code),
    onSettled: () => setSaving(null),
    onSuccess: async (_d, r) => {
      await qc.invalidateQueries({ queryKey: qk.roles });
      // My own permissions may have changed with it.
      await qc.invalidateQueries({ queryKey: qk.me });
      reset(r.code);
      void message.success(t('roles.savedRole', { name: localName(r, lang) }));
    },
    onError: (e, r) => void modal.error({ title: localName(r, lang), content: e.message }),
  });

  const trySave = (r: RoleView) => {
    const losesRoleManage = r.permissions.includes('role.manage') && !current(r).has('role.manage');
    const mine = me?.grants.some((g) => g.role === r.code);
    if (losesRoleManage && mine) {
      modal.confirm({ title: localName(r, lang), content: t('roles.lockoutWarning'), okButtonProps: { danger: true }, onOk: () => save.mutateAsync(r) });
    } else save.mutate(r);
  };

  return (
    <>
      <PageHeader title={t('roles.title')} subtitle={t('roles.intro')} />
      {editable ? null : <Alert type="info" showIcon title={t('common.noPermissionToEdit')} style={{ marginBottom: 12 }} />}
      <LoadState loading={roles.isPending} error={roles.error} onRetry={() => void roles.refetch()}>
        {isMobile ? (
          <div className="card-list" data-testid="role-cards">
            {(roles.data ?? []).map((r) => (
              <Card
                key={r.code}
                size="small"
                title={
                  <span>
                    {localName(r, lang)}{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
                      {r.code}
                    </Typography.Text>
                  </span>
                }
                extra={dirty(r) ? <Tag color="orange">{t('common.unsavedChanges')}</Tag> : null}
              >
                <Checkbox.Group
                  value={[...current(r)]}
                  disabled={!editable || saving === r.code}
                  onChange={(vals) => setDrafts((d) => ({ ...d, [r.code]: new Set(vals.map(String)) }))}
                  style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '6px 8px' }}
                  options={perms.map((p) => ({ value: p, label: permLabel(t, p) }))}
                />
                {editable ? (
                  <Flex gap={8} style={{ marginTop: 10 }}>
                    <Button type="primary" size="small" icon={<SaveOutlined />} disabled={!dirty(r)} loading={saving === r.code} onClick={() => trySave(r)}>
                      {t('roles.saveRole')}
                    </Button>
                    <Button size="small" icon={<UndoOutlined />} disabled={!dirty(r)} onClick={() => reset(r.code)}>
                      {t('roles.resetRole')}
                    </Button>
                  </Flex>
                ) : null}
              </Card>
            ))}
          </div>
        ) : (
          <Table<RoleView>
            className="perm-matrix"
            data-testid="role-matrix"
            rowKey="code"
            size="middle"
            bordered
            pagination={false}
            dataSource={roles.data ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              {
                title: t('roles.role'),
                key: 'role',
                fixed: 'left',
                render: (_: unknown, r) => (
                  <div style={{ minWidth: 110 }}>
                    <Typography.Text strong>{localName(r, lang)}</Typography.Text>
                    {dirty(r) ? (
                      <Tag color="orange" style={{ marginInlineStart: 6 }}>
                        {t('common.unsavedChanges')}
                      </Tag>
                    ) : null}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.code}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              },
              {
                title: <Tooltip title={t('roles.chainRankHint')}>{t('roles.chainRank')}</Tooltip>,
                dataIndex: 'chainRank',
                align: 'center',
                render: (v: number | null) => v ?? <Typography.Text type="secondary">{t('roles.noChain')}</Typography.Text>,
              },
              ...perms.map((p) => ({
                title: (
                  <div style={{ textAlign: 'center' as const }}>
                    {permLabel(t, p)}
                    <div style={{ fontSize: 11, fontWeight: 400, color: 'rgba(0,0,0,0.45)' }}>{p}</div>
                  </div>
                ),
                key: p,
                align: 'center' as const,
                onHeaderCell: () => ({ className: 'perm-col' }),
                render: (_: unknown, r: RoleView) => (
                  <Checkbox
                    checked={current(r).has(p)}
                    disabled={!editable || saving === r.code}
                    onChange={(e) => toggle(r, p, e.target.checked)}
                    aria-label={`${localName(r, lang)} ${permLabel(t, p)}`}
                  />
                ),
              })),
              ...(editable
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      fixed: 'right' as const,
                      render: (_: unknown, r: RoleView) => (
                        <Flex gap={4}>
                          <Button
                            type="primary"
                            size="small"
                            icon={<SaveOutlined />}
                            disabled={!dirty(r)}
                            loading={saving === r.code}
                            onClick={() => trySave(r)}
                          >
                            {t('roles.saveRole')}
                          </Button>
                          <Tooltip title={t('roles.resetRole')}>
                            <Button size="small" icon={<UndoOutlined />} disabled={!dirty(r)} onClick={() => reset(r.code)} aria-label={t('roles.resetRole')} />
                          </Tooltip>
                        </Flex>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </LoadState>
    </>
  );
}
