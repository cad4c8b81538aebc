import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.js';

/** The centred card of the setup, login and forced password pages. */
export function AuthShell({ title, subtitle, children, width = 440 }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <div className="auth-shell">
      <Flex justify="space-between" align="center" style={{ width: '100%', maxWidth: width, margin: '0 auto 12px' }}>
        <Flex align="center" gap={8}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Text strong style={{ fontSize: 18 }}>
            {t('app.name')}
          </Typography.Text>
        </Flex>
        <LanguageSwitch />
      </Flex>
      <Card style={{ width: '100%', maxWidth: width, margin: '0 auto' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {subtitle ? <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph> : null}
        {children}
      </Card>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16, fontSize: 12 }}>
        {t('app.tagline')}
      </Typography.Paragraph>
    </div>
  );
}
