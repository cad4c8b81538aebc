import { Form, type FormInstance, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.js';
import type { CaseTypeView } from '../../lib/caseTypes.js';
import { todayInZone } from '../../lib/format.js';
import { counted, maxRule, TEXT_LIMITS } from '../../lib/limits.js';
import { required } from '../../lib/rules.js';

/** What every case type's form items get. */
export interface CaseItemsProps {
  // biome-ignore lint/suspicious/noExplicitAny: one form holds the items of whichever type is chosen.
  form: FormInstance<any>;
  initiatorUnitId?: number;
  /** False while the form is hidden (a closed dialog): nothing is fetched. */
  active?: boolean;
  /** The type's description (GET /case-types), for a form generated from it. */
  view?: CaseTypeView;
}

/**
 * Server field paths (`fields.title`, `fields.receiverUnitIds.0`…) → the form's names, so that the
 * server's problems land on their fields. Every type's form items are named as its fields.
 */
export function unwrapFieldPaths(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  return new ApiError(
    err.status,
    err.code,
    err.message,
    err.details.map((d) => ({ ...d, path: d.path.replace(/^(?:body\.)?fields\./, '') })),
  );
}

/** Days before today cannot be chosen. */
export const beforeToday = (d: Dayjs) => d.isBefore(dayjs(todayInZone()), 'day');

/** Trimmed text, or nothing for an empty optional field. */
export const optionalText = (v: string | undefined | null) => (v?.trim() ? v.trim() : undefined);

/** Drops the keys whose value is undefined (the server's strict schemas take absent, not null). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Title and text, as every form has them. */
export function TitleBodyItems({
  titleLabel,
  titlePlaceholder,
  bodyLabel,
  bodyPlaceholder,
}: {
  titleLabel: string;
  titlePlaceholder: string;
  bodyLabel: string;
  bodyPlaceholder: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="title" label={titleLabel} rules={[required(t, titleLabel), { min: 2 }, maxRule(t, titleLabel, TEXT_LIMITS.caseTitle)]}>
        <Input {...counted(TEXT_LIMITS.caseTitle)} placeholder={titlePlaceholder} />
      </Form.Item>
      <Form.Item name="body" label={bodyLabel} rules={[required(t, bodyLabel), { min: 2 }, maxRule(t, bodyLabel, TEXT_LIMITS.caseBody)]}>
        <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} {...counted(TEXT_LIMITS.caseBody)} placeholder={bodyPlaceholder} />
      </Form.Item>
    </>
  );
}
