import { CopyOutlined, LogoutOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import { ChangePasswordForm } from '../components/ChangePasswordForm.js';
import { PageHeader } from '../components/PageHeader.js';
import { TokenList } from '../components/TokenList.js';
import { useLogout } from '../layout/AppLayout.js';
import { copyText, permLabel } from '../lib/format.js';
import { counted, TEXT_LIMITS } from '../lib/limits.js';
import { qk, useCan, useMe, useRoleName } from '../lib/queries.js';
import { required } from '../lib/rules.js';
import { useFormErrors } from '../lib/useFormErrors.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { ApiTokenCreatedView } from '../types.js';
import { Delegations } from './me/Delegations.js';

/** Shows a new token once, with a copy button; it cannot be seen again after closing. */
export function TokenOnceModal({ token, onClose }: { token: ApiTokenCreatedView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!token) return;
    const ok = await copyText(token.token);
    setCopied(ok);
    if (ok) void message.success(t('common.copied'));
    else void message.error(t('common.copyFailed'));
  };
  return (
    <Modal
      open={!!token}
      title={t('me.tokenCreatedTitle')}
      onCancel={onClose}
      closable
      mask={{ closable: false }}
      footer={[
        <Button key="copy" icon={<CopyOutlined />} onClick={() => void copy()} type={copied ? 'default' : 'primary'} data-testid="copy-token">
          {copied ? t('common.copied') : t('me.copyToken')}
        </Button>,
        <Button key="close" onClick={onClose} type={copied ? 'primary' : 'default'}>
          {t('common.close')}
        </Button>,
      ]}
    >
      <Alert type="warning" showIcon title={t('me.tokenOnce')} style={{ marginBottom: 12 }} />
      <Typography.Text type="secondary">{token?.name}</Typography.Text>
      <div className="token-box" data-testid="new-token">
        {token?.token}
      </div>
    </Modal>
  );
}

function Tokens() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const errors = useFormErrors(form);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreatedView | null>(null);

  const create = useMutation({
    mutationFn: (name: string) => api.post<ApiTokenCreatedView>('/me/tokens', { name }),
    onSuccess: async (tok) => {
      setCreating(false);
      form.resetFields();
      setCreated(tok);
      await qc.invalidateQueries({ queryKey: qk.tokens });
    },
    onError: errors.report,
  });
  return (
    <Card
      title={t('me.tokens')}
      size="small"
      extra={
        <Button
          type="primary"
          size="small"
          icon={<PlusOutlined />}
          onClick={() => {
            errors.clear();
            setCreating(true);
          }}
        >
          {t('me.createToken')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('me.tokensIntro')}
      </Typography.Paragraph>
      <TokenList path="/me/tokens" queryKey={qk.tokens} emptyText={t('me.noTokens')} />
      <Modal
        open={creating}
        title={t('me.createTokenTitle')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={create.isPending}
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          name="token"
          requiredMark={false}
          onFinish={(v) => {
            errors.clear();
            create.mutate(v.name.trim());
          }}
        >
          <Form.Item name="name" label={t('me.tokenName')} rules={[required(t, t('me.tokenName')), { max: 100 }]}>
            <Input {...counted(TEXT_LIMITS.tokenName)} placeholder={t('me.tokenNamePlaceholder')} />
          </Form.Item>
          {errors.alert}
        </Form>
      </Modal>
      <TokenOnceModal token={created} onClose={() => setCreated(null)} />
    </Card>
  );
}

export default function MePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const can = useCan();
  const isMobile = useIsMobile();
  const logout = useLogout();
  const roleName = useRoleName();
  const { message } = App.useApp();
  if (!me) return null;
  return (
    <>
      <PageHeader
        title={t('me.title')}
        extra={
          <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
            {t('me.logout')}
          </Button>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('me.profile')} size="small" style={{ height: '100%' }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'name', label: t('me.name'), children: me.name },
                { key: 'username', label: t('me.username'), children: me.username },
                { key: 'org', label: t('me.organization'), children: me.organization.name },
                { key: 'tz', label: t('me.timeZone'), children: me.organization.timeZone },
                {
                  key: 'grants',
                  label: t('me.grants'),
                  children: (
                    <Space orientation="vertical" size={2}>
                      {me.grants.map((g) => (
                        <span key={`${g.role}@${g.unitId}`}>{t('me.grantText', { role: roleName(g.role, g.roleName), unit: g.unitName })}</span>
                      ))}
                    </Space>
                  ),
                },
                {
                  key: 'perms',
                  label: t('me.permissions'),
                  children: (
                    <Flex wrap gap={4}>
                      {me.permissions.map((p) => (
                        <Tag key={p}>{permLabel(t, p)}</Tag>
                      ))}
                    </Flex>
                  ),
                },
              ]}
            />
            {can('people.read') ? <Link to={`/people/${me.personId}`}>{t('me.viewPerson')}</Link> : null}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('password.title')} size="small" style={{ height: '100%' }}>
            <ChangePasswordForm block={isMobile} onDone={() => void message.success(t('password.changed'))} />
          </Card>
        </Col>
        <Col span={24}>
          <Delegations />
        </Col>
        <Col span={24}>
          <Tokens />
        </Col>
      </Row>
    </>
  );
}
