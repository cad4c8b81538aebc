import { GlobalOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UiLang } from '../api.js';
import { currentLang, LANGUAGES, switchLanguage } from '../i18n/index.js';

/** 中文 / English. The server's answers (messages, role names, explanations) are fetched again in the new language. */
export function LanguageSwitch({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const lang = currentLang();
  const choose = async (l: UiLang) => {
    if (l === lang) return;
    await switchLanguage(l);
    await qc.invalidateQueries();
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: LANGUAGES.map((l) => ({ key: l, label: <span data-testid={`lang-${l}`}>{t(`lang.${l}`)}</span> })),
        onClick: ({ key }) => void choose(key as UiLang),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={t('lang.label')} data-testid="lang-switch">
        {compact ? (lang === 'en' ? 'EN' : '中') : t(`lang.${lang}`)}
      </Button>
    </Dropdown>
  );
}
