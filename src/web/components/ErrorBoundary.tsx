import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import i18n from '../i18n/index.js';

const RELOAD_KEY = 'liaison.chunk-reload';

interface Props {
  children: ReactNode;
  /** Changing it clears the error (e.g. the route path). */
  resetKey?: string;
}

/** A crash in one page shows a message instead of a blank screen; navigating away clears it. */
export class ErrorBoundary extends Component<Props, { error: Error | null; key?: string }> {
  override state: { error: Error | null; key?: string } = { error: null, key: this.props.resetKey };

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key?: string }) {
    if (props.resetKey !== state.key) return { error: null, key: props.resetKey };
    return null;
  }

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
    // A page chunk that no longer exists after a new release: reload once to get the new index.html.
    if (/dynamically imported module|Importing a module script failed|module script/i.test(error.message)) {
      try {
        if (!sessionStorage.getItem(RELOAD_KEY)) {
          sessionStorage.setItem(RELOAD_KEY, '1');
          window.location.reload();
        }
      } catch {
        /* storage disabled: the reload button below still works */
      }
    }
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title={i18n.t('errors.crashTitle')}
        subTitle={i18n.t('errors.crash')}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {i18n.t('errors.reload')}
          </Button>
        }
      />
    );
  }
}
