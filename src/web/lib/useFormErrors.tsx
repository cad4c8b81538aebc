import type { FormInstance } from 'antd';
import { type ReactNode, useCallback, useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { type AppliedErrors, applyServerErrors } from './formErrors.js';

/**
 * State for a form's server error: `report(err)` puts field problems on their fields and keeps the
 * rest for `alert`, an <ErrorAlert> to render above the buttons.
 */
export function useFormErrors(form: FormInstance, map?: Record<string, string>) {
  const [state, setState] = useState<{ raw: unknown; applied: AppliedErrors } | null>(null);
  const report = useCallback((err: unknown) => setState({ raw: err, applied: applyServerErrors(form, err, map) }), [form, map]);
  const clear = useCallback(() => setState(null), []);
  const alert: ReactNode = state ? (
    <ErrorAlert error={state.applied.error ?? state.raw} unmatched={state.applied.unmatched} hideMessage={!state.applied.showMessage} />
  ) : null;
  return { report, clear, alert, error: state?.raw ?? null };
}
