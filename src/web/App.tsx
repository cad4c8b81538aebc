import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { onAuthProblem, setCsrfToken } from './api.js';
import { createQueryClient, qk } from './lib/queries.js';
import { AppRoutes } from './routes.js';

/** Reacts to "session gone" / "password change required" answers from any request. */
function AuthWatcher() {
  const qc = useQueryClient();
  useEffect(() => {
    onAuthProblem((code) => {
      if (code === 'PASSWORD_CHANGE_REQUIRED') {
        void qc.invalidateQueries({ queryKey: qk.me });
        return;
      }
      setCsrfToken(null);
      // Forget everything the previous session saw; the gate then shows the login page.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'setup' && q.queryKey[0] !== 'me' });
      qc.setQueryData(qk.me, null);
    });
    return () => onAuthProblem(null);
  }, [qc]);
  return null;
}

export const THEME = {
  token: {
    colorPrimary: '#1f4e8c',
    colorInfo: '#1f6fd1',
    borderRadius: 6,
    fontSize: 14,
    controlItemBgActive: '#dbe7f6',
    controlItemBgActiveHover: '#cfdff3',
    colorPrimaryBg: '#e6eef8',
    colorPrimaryBgHover: '#d5e3f5',
  },
  components: {
    Layout: { headerBg: '#fff', siderBg: '#fff', bodyBg: '#f3f5f8' },
    Menu: { itemSelectedBg: '#e6eef8', itemSelectedColor: '#1f4e8c', itemActiveBg: '#eef3fa' },
    Tree: { nodeSelectedBg: '#dbe7f6', nodeHoverBg: '#eef3fa' },
  },
};

export function Providers({ children, client }: { children: React.ReactNode; client?: ReturnType<typeof createQueryClient> }) {
  const { i18n } = useTranslation();
  const [qc] = useState(() => client ?? createQueryClient());
  return (
    <QueryClientProvider client={qc}>
      <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ ...THEME, algorithm: theme.defaultAlgorithm }}>
        <AntApp>
          <AuthWatcher />
          {children}
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}

export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  );
}
