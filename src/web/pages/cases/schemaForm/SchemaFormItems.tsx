import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, DatePicker, Flex, Form, type FormRule, Input, InputNumber, Radio, Select, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.js';
import { UnitTreeSelect } from '../../../components/UnitTreeSelect.js';
import { isoToPickerText, todayInZone } from '../../../lib/format.js';
import { counted, maxRule } from '../../../lib/limits.js';
import { qk } from '../../../lib/queries.js';
import { required, requiredNumber, requiredSelect } from '../../../lib/rules.js';
import type { PartMember } from '../../../types.js';
import { PersonSelect, useSigningLeaders, useUnitMembers } from '../PeoplePickers.js';
import { activeFields, type FieldSpec, type FormSpec, type Shape } from './schema.js';

/** What the pickers and date bounds need to know about where the form is. */
export interface SchemaContext {
  /** The case and part an action is taken on (承办人 is chosen among the part unit's members). */
  caseId?: number;
  partId?: number | null;
  part?: { dueDate: string | null; requestedDueDate?: string | null } | null;
  /** The unit the case is drafted in (leaders over it, its members). */
  initiatorUnitId?: number;
  /** The case's fields (an option named with one: "B：3105联络巷掘进头"). */
  fields?: Record<string, unknown>;
  /** False while the form is hidden (a closed dialog): nothing is fetched. */
  active?: boolean;
}

/** The words of a form: labels of fields and options, and placeholders, from the type's labels. */
export interface SchemaWords {
  label: (name: string, variant?: string) => string;
  option: (name: string, value: string) => string;
  placeholder?: (name: string) => string | undefined;
}

const today = () => dayjs(todayInZone()).startOf('day');

/** The earliest day a date field takes (its `notBefore`), if any. */
export function earliestDay(f: FieldSpec, ctx: SchemaContext): Dayjs | null {
  if (f.meta.notBefore === 'today') return today();
  if (f.meta.notBefore === 'partDueNext') {
    const after = ctx.part?.dueDate ? dayjs(ctx.part.dueDate).add(1, 'day') : today();
    return after.isAfter(today()) ? after : today();
  }
  return null;
}

/** Starting values from the annotations (`initial`): now, the due date the part asked for. */
export function initialValues(fields: FieldSpec[], ctx: SchemaContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.meta.initial === 'now') out[f.name] = dayjs(isoToPickerText(new Date().toISOString()));
    else if (f.meta.initial === 'requestedDueDate' && ctx.part?.requestedDueDate) out[f.name] = dayjs(ctx.part.requestedDueDate);
  }
  return out;
}

function rulesOf(t: TFunction, f: FieldSpec, label: string): FormRule[] {
  const s = f.shape;
  const rules: FormRule[] = [];
  if (f.required) {
    if (s.kind === 'text') rules.push(required(t, label));
    else if (s.kind === 'number') rules.push(requiredNumber(t, label));
    else if (s.kind === 'list')
      rules.push({
        validator: (_, v: unknown[] | undefined) =>
          (v ?? []).some((x) => x !== undefined && x !== null && x !== '')
            ? Promise.resolve()
            : Promise.reject(new Error(t('common.selectRequired', { field: label }))),
      });
    else if (s.kind !== 'boolean') rules.push(requiredSelect(t, label));
  }
  if (s.kind === 'text') {
    if (f.required && s.minLength && s.minLength > 1) rules.push({ min: s.minLength });
    if (s.maxLength) rules.push(maxRule(t, label, s.maxLength));
  }
  return rules;
}

/** Members of the part's unit (GET /cases/:id/parts/:partId/members): who may handle it (承办人). */
function PartMemberSelect({
  ctx,
  value,
  onChange,
  id,
  ...rest
}: {
  ctx: SchemaContext;
  value?: number;
  onChange?: (v: number) => void;
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
}) {
  const members = useQuery({
    queryKey: qk.partMembers(ctx.caseId ?? 0, ctx.partId ?? 0),
    queryFn: () => api.get<PartMember[]>(`/cases/${ctx.caseId}/parts/${ctx.partId}/members`),
    enabled: ctx.active !== false && ctx.caseId != null && ctx.partId != null,
  });
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ optionFilterProp: 'label' }}
      loading={members.isFetching}
      placeholder={rest.placeholder}
      notFoundContent={members.isFetching ? <Spin size="small" /> : members.error ? members.error.message : undefined}
      options={(members.data ?? []).map((m) => ({ value: m.id, label: [m.name, m.post].filter(Boolean).join(' · ') }))}
      aria-label={rest['aria-label']}
      data-testid="handler-select"
    />
  );
}

function LeaderSelect({
  ctx,
  ...rest
}: {
  ctx: SchemaContext;
  value?: number;
  onChange?: (v: number | undefined) => void;
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
}) {
  const leaders = useSigningLeaders(ctx.initiatorUnitId, ctx.active !== false);
  return <PersonSelect {...rest} candidates={leaders.data ?? []} loading={leaders.isFetching} error={leaders.error} />;
}

function MemberSelect({
  ctx,
  ...rest
}: {
  ctx: SchemaContext;
  value?: number;
  onChange?: (v: number | undefined) => void;
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
}) {
  const members = useUnitMembers(ctx.initiatorUnitId, ctx.active !== false);
  return <PersonSelect {...rest} candidates={members.data?.items ?? []} loading={members.isFetching} error={members.error} />;
}

/** The input of one shape, without its Form.Item (a list row holds several). */
function control(t: TFunction, f: FieldSpec, shape: Shape, label: string, words: SchemaWords, ctx: SchemaContext): ReactNode {
  const placeholder = words.placeholder?.(f.name);
  switch (shape.kind) {
    case 'text':
      return shape.multiline ? (
        <Input.TextArea
          autoSize={{ minRows: !f.required ? 2 : (shape.maxLength ?? 0) >= 5000 ? 5 : 3, maxRows: 14 }}
          {...(shape.maxLength ? counted(shape.maxLength) : {})}
          placeholder={placeholder}
        />
      ) : (
        <Input {...(shape.maxLength ? counted(shape.maxLength) : {})} placeholder={placeholder} />
      );
    case 'number':
      return (
        <InputNumber
          min={shape.min ?? 0}
          max={shape.max}
          step={f.meta.step ?? (shape.integer ? 1 : undefined)}
          precision={shape.integer ? 0 : undefined}
          suffix={f.meta.unit}
          style={{ width: 180, maxWidth: '100%' }}
          aria-label={label}
        />
      );
    case 'boolean':
      return <Checkbox>{label}</Checkbox>;
    case 'enum': {
      const options = shape.options.map((value) => {
        const named = f.meta.optionLabelField ? ctx.fields?.[f.meta.optionLabelField.replace('{value}', value)] : undefined;
        return { value, label: typeof named === 'string' && named ? t('schemaForm.optionNamed', { value, name: named }) : words.option(f.name, value) };
      });
      if (options.length > 4) return <Select options={options} placeholder={placeholder} style={{ maxWidth: 420 }} aria-label={label} />;
      const vertical = options.some((o) => o.label.length > 12);
      return <Radio.Group aria-label={label} options={options} style={vertical ? { display: 'flex', flexDirection: 'column', gap: 4 } : undefined} />;
    }
    case 'date': {
      const earliest = earliestDay(f, ctx);
      return <DatePicker style={{ width: '100%', maxWidth: 240 }} disabledDate={(d) => !!earliest && d.isBefore(earliest, 'day')} aria-label={label} />;
    }
    case 'datetime': {
      const latest = f.meta.notAfter === 'endOfToday' ? dayjs(todayInZone()).endOf('day') : null;
      return (
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          style={{ width: '100%', maxWidth: 240 }}
          disabledDate={(d) => !!latest && d.isAfter(latest)}
          aria-label={label}
        />
      );
    }
    case 'pick': {
      const props = { ctx, placeholder, 'aria-label': label };
      if (shape.widget === 'partMember') return <PartMemberSelect {...props} />;
      if (shape.widget === 'signingLeader') return <LeaderSelect {...props} />;
      if (shape.widget === 'unitMember') return <MemberSelect {...props} />;
      return <UnitTreeSelect source="directory" placeholder={placeholder ?? label} aria-label={label} style={{ maxWidth: 420 }} />;
    }
    default:
      return <Input aria-label={label} placeholder={placeholder} />;
  }
}

/** A list: rows of one input (steps, units) or of an object's inputs (receivers), added and removed. */
function ListItems({ f, label, words, ctx }: { f: FieldSpec; label: string; words: SchemaWords; ctx: SchemaContext }) {
  const { t } = useTranslation();
  if (f.shape.kind !== 'list') return null;
  const shape = f.shape;
  return (
    <Form.Item label={label} required={false}>
      <Form.List
        name={f.name}
        rules={
          f.required
            ? [{ validator: (_, v: unknown[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('common.selectRequired', { field: label })))) }]
            : []
        }
      >
        {(rows, { add, remove }, { errors }) => (
          <Flex vertical gap={8} data-testid={`list-${f.name}`}>
            {rows.map((row, i) => (
              <Flex key={row.key} gap={8} wrap align="flex-start">
                {shape.fields ? (
                  shape.fields.map((sub) => {
                    const subLabel = words.label(sub.name);
                    return (
                      <Form.Item
                        key={sub.name}
                        name={[row.name, sub.name]}
                        rules={rulesOf(t, sub, subLabel)}
                        style={{ flex: '1 1 160px', minWidth: 0, marginBottom: 0 }}
                        valuePropName={sub.shape.kind === 'boolean' ? 'checked' : undefined}
                      >
                        {control(t, sub, sub.shape, subLabel, words, ctx)}
                      </Form.Item>
                    );
                  })
                ) : (
                  <Form.Item
                    name={row.name}
                    rules={rulesOf(t, { ...f, shape: shape.item }, `${label} ${i + 1}`)}
                    style={{ flex: '1 1 200px', minWidth: 0, marginBottom: 0 }}
                  >
                    {control(t, f, shape.item, `${label} ${i + 1}`, words, ctx)}
                  </Form.Item>
                )}
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('schemaForm.removeRow', { label })}
                  onClick={() => remove(row.name)}
                  disabled={rows.length <= (shape.minItems ?? 0)}
                />
              </Flex>
            ))}
            {shape.maxItems === undefined || rows.length < shape.maxItems ? (
              <Button icon={<PlusOutlined />} onClick={() => add(shape.fields ? {} : undefined)} style={{ alignSelf: 'flex-start' }}>
                {t('schemaForm.addRow', { label })}
              </Button>
            ) : null}
            <Form.ErrorList errors={errors} />
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** One field as a form item, named as the schema's property. */
export function SchemaField({ f, words, ctx, variant }: { f: FieldSpec; words: SchemaWords; ctx: SchemaContext; variant?: string }) {
  const { t } = useTranslation();
  const label = words.label(f.name, variant);
  if (f.shape.kind === 'list') return <ListItems f={f} label={label} words={words} ctx={ctx} />;
  if (f.shape.kind === 'boolean')
    return (
      <Form.Item name={f.name} valuePropName="checked">
        {control(t, f, f.shape, label, words, ctx)}
      </Form.Item>
    );
  return (
    <Form.Item name={f.name} label={label} rules={rulesOf(t, f, label)}>
      {control(t, f, f.shape, label, words, ctx)}
    </Form.Item>
  );
}

/**
 * The form items of a schema (a case type's fields, an action's input): one per property, in the
 * schema's order; a discriminated union first asks which kind, then shows that kind's fields.
 */
export function SchemaFormItems({ spec, words, ctx, skip = [] }: { spec: FormSpec; words: SchemaWords; ctx: SchemaContext; skip?: readonly string[] }) {
  const key = spec.variants?.discriminator;
  const variant = Form.useWatch(key ?? '__none__') as string | undefined;
  const fields = activeFields(spec, variant).filter((f) => !skip.includes(f.name));
  return (
    <>
      {spec.variants && key ? (
        <SchemaField
          f={{ name: key, required: true, shape: { kind: 'enum', options: spec.variants.options.map((o) => o.value) }, meta: {} }}
          words={words}
          ctx={ctx}
        />
      ) : null}
      {fields.map((f) => (
        <SchemaField key={`${variant ?? ''}.${f.name}`} f={f} words={words} ctx={ctx} variant={variant} />
      ))}
    </>
  );
}
