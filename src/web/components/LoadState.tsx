import { Button, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';

interface Props {
  loading: boolean;
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
  rows?: number;
}

/** Skeleton while loading, a Result with the server's message (and a retry) on error. */
export function LoadState({ loading, error, onRetry, children, rows = 4 }: Props) {
  const { t } = useTranslation();
  if (loading) return <Skeleton active paragraph={{ rows }} />;
  if (error) {
    const status = error instanceof ApiError && error.status === 403 ? '403' : error instanceof ApiError && error.status === 404 ? '404' : 'warning';
    return (
      <Result
        status={status}
        title={t('common.loadFailed')}
        subTitle={error instanceof Error ? error.message : String(error)}
        extra={
          onRetry ? (
            <Button type="primary" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          ) : null
        }
      />
    );
  }
  return <>{children}</>;
}
