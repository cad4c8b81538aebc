import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { setupI18n } from './i18n/index.js';
import './styles.css';

setupI18n();
// See ErrorBoundary: a chunk missing after a release reloads the page once per incident.
setTimeout(() => {
  try {
    sessionStorage.removeItem('liaison.chunk-reload');
  } catch {
    /* ignore */
  }
}, 30_000);

const el = document.getElementById('root');
if (!el) throw new Error('#root is missing from index.html');
createRoot(el).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
