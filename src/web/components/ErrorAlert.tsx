import { Alert } from 'antd';
import { ApiError, type ErrorDetail } from '../api.js';

interface Props {
  error: unknown;
  /** Field problems that did not land on a form field (see applyServerErrors). */
  unmatched?: ErrorDetail[];
  /** Hide the top message (every field problem is shown on its field). */
  hideMessage?: boolean;
  style?: React.CSSProperties;
  onClose?: () => void;
}

/** The server's localized message, plus any field problems no form field could show. */
export function ErrorAlert({ error, unmatched, hideMessage, style, onClose }: Props) {
  if (!error) return null;
  const list = unmatched ?? (error instanceof ApiError ? error.details : []);
  if (hideMessage && list.length === 0) return null;
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16, ...style }}
      title={hideMessage ? undefined : message}
      description={
        list.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {list.map((d) => (
              <li key={`${d.path}:${d.message}`}>
                {d.path ? <strong>{d.path}</strong> : null} {d.message}
              </li>
            ))}
          </ul>
        ) : undefined
      }
      closable={onClose ? { onClose } : undefined}
    />
  );
}
