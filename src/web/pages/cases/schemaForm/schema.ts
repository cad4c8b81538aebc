import dayjs, { type Dayjs } from 'dayjs';
import type { CaseUiMeta } from '../../../../contracts/cases.js';
import { isoToPickerText, pickerToIso } from '../../../lib/format.js';

/**
 * JSON Schema (as GET /case-types serves it, generated from the server's zod schemas) → what a form
 * shows: one field per property with its kind, bounds and annotation (`CaseUiMeta`). Pure; the
 * renderer (SchemaFormItems.tsx) turns fields into antd form items.
 */

export type JsonSchema = Record<string, unknown>;

export type Shape =
  | { kind: 'text'; minLength?: number; maxLength?: number; multiline: boolean }
  | { kind: 'number'; integer: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: string[] }
  | { kind: 'date' }
  | { kind: 'datetime' }
  /** An id picked among people or units (the annotation says which). */
  | { kind: 'pick'; widget: NonNullable<CaseUiMeta['widget']> }
  /** A list: of plain values (steps, unit ids) or of objects (receivers). */
  | { kind: 'list'; item: Shape; fields: FieldSpec[] | null; minItems?: number; maxItems?: number }
  | { kind: 'unknown' };

export interface FieldSpec {
  name: string;
  required: boolean;
  shape: Shape;
  meta: CaseUiMeta;
}

/** A discriminated union (zod `discriminatedUnion` → `oneOf` with a const or enum property): a choice that switches the fields. */
export interface Variants {
  discriminator: string;
  /** Each value of the discriminator, in order, with the fields of its branch (the discriminator left out). */
  options: { value: string; fields: FieldSpec[] }[];
}

export interface FormSpec {
  fields: FieldSpec[];
  variants: Variants | null;
  /** The root's annotation (an action input's `danger`). */
  meta: CaseUiMeta;
}

const META_KEYS = ['widget', 'notBefore', 'notAfter', 'initial', 'step', 'unit', 'optionLabelField', 'danger', 'signedBy'] as const;

function metaOf(s: JsonSchema): CaseUiMeta {
  const m: Record<string, unknown> = {};
  for (const k of META_KEYS) if (s[k] !== undefined) m[k] = s[k];
  return m as CaseUiMeta;
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Text longer than a line's worth is written in a text area. */
export const MULTILINE_FROM = 300;

export function shapeOf(s: JsonSchema): Shape {
  const meta = metaOf(s);
  if (Array.isArray(s.enum) && s.enum.every((x) => typeof x === 'string')) return { kind: 'enum', options: s.enum as string[] };
  if (typeof s.const === 'string') return { kind: 'enum', options: [s.const] };
  switch (s.type) {
    case 'string':
      if (s.format === 'date') return { kind: 'date' };
      if (s.format === 'date-time') return { kind: 'datetime' };
      return { kind: 'text', minLength: num(s.minLength), maxLength: num(s.maxLength), multiline: (num(s.maxLength) ?? Infinity) >= MULTILINE_FROM };
    case 'integer':
    case 'number': {
      if (meta.widget) return { kind: 'pick', widget: meta.widget };
      const min = num(s.minimum) ?? (num(s.exclusiveMinimum) !== undefined ? num(s.exclusiveMinimum)! + (s.type === 'integer' ? 1 : 0) : undefined);
      // zod writes the safe-integer bounds on every int: not a limit anyone types against.
      const max = num(s.maximum) !== undefined && num(s.maximum)! < Number.MAX_SAFE_INTEGER ? num(s.maximum) : undefined;
      return { kind: 'number', integer: s.type === 'integer', min, max };
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const items = (s.items ?? {}) as JsonSchema;
      const item = shapeOf(items);
      const fields = items.type === 'object' ? objectFields(items) : null;
      return { kind: 'list', item, fields, minItems: num(s.minItems), maxItems: num(s.maxItems) };
    }
    default:
      return { kind: 'unknown' };
  }
}

function objectFields(s: JsonSchema, skip?: string): FieldSpec[] {
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return Object.entries(props)
    .filter(([name]) => name !== skip)
    .map(([name, p]) => ({ name, required: required.has(name), shape: shapeOf(p), meta: metaOf(p) }));
}

/** The values a branch's discriminator takes (a const, or an enum: 开工/停工/复工 share one branch). */
function discriminatorValues(branch: JsonSchema, key: string): string[] {
  const p = ((branch.properties ?? {}) as Record<string, JsonSchema>)[key];
  if (!p) return [];
  if (typeof p.const === 'string') return [p.const];
  if (Array.isArray(p.enum)) return p.enum.filter((x): x is string => typeof x === 'string');
  return [];
}

/** The property every branch fixes to its own values. */
function findDiscriminator(branches: JsonSchema[]): string | null {
  const first = (branches[0]?.properties ?? {}) as Record<string, JsonSchema>;
  for (const key of Object.keys(first)) if (branches.every((b) => discriminatorValues(b, key).length > 0)) return key;
  return null;
}

/** A whole schema (a type's fields, an action's input) as a form. */
export function formSpec(schema: JsonSchema | null | undefined): FormSpec {
  if (!schema) return { fields: [], variants: null, meta: {} };
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const key = findDiscriminator(branches);
    if (key) {
      const options = branches.flatMap((b) => discriminatorValues(b, key).map((value) => ({ value, fields: objectFields(b, key) })));
      return { fields: [], variants: { discriminator: key, options }, meta: metaOf(schema) };
    }
  }
  return { fields: objectFields(schema), variants: null, meta: metaOf(schema) };
}

/** The fields shown for a discriminator value (all of them when the schema has no variants). */
export function activeFields(spec: FormSpec, variant: unknown): FieldSpec[] {
  if (!spec.variants) return spec.fields;
  return spec.variants.options.find((o) => o.value === variant)?.fields ?? [];
}

/** Every field of every branch, each name once (for reading a stored case whatever its branch). */
export function allFields(spec: FormSpec): FieldSpec[] {
  if (!spec.variants) return spec.fields;
  const out = new Map<string, FieldSpec>();
  for (const o of spec.variants.options) for (const f of o.fields) if (!out.has(f.name)) out.set(f.name, f);
  return [...out.values()];
}

// ---- values: what the server stores ↔ what antd's inputs hold ----

function toValue(shape: Shape, fields: FieldSpec[] | null, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  switch (shape.kind) {
    case 'date':
      return dayjs.isDayjs(v) ? (v as Dayjs).format('YYYY-MM-DD') : v;
    // The picked wall time is the organization's (as every time on screen), sent as an ISO instant.
    case 'datetime':
      return dayjs.isDayjs(v) ? pickerToIso(v as Dayjs) : v;
    case 'text':
      return typeof v === 'string' ? (v.trim() ? v.trim() : undefined) : v;
    case 'list': {
      if (!Array.isArray(v)) return undefined;
      const items = v.map((x) => (fields ? toObject(fields, x as Record<string, unknown>) : toValue(shape.item, null, x))).filter((x) => x !== undefined);
      return items.length ? items : undefined;
    }
    default:
      return v;
  }
}

function toObject(fields: FieldSpec[], values: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!values) return undefined;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const x = toValue(f.shape, f.shape.kind === 'list' ? f.shape.fields : null, values[f.name]);
    if (x !== undefined) out[f.name] = x;
  }
  // A row with nothing chosen in it is no row (a half-filled list saved as a draft).
  return Object.keys(out).length ? out : undefined;
}

/**
 * Form values → what the server takes: trimmed text, YYYY-MM-DD dates, ISO instants, empty optional
 * fields and empty list rows left out (the server's strict schemas take absent, not null).
 */
export function toInput(spec: FormSpec, values: Record<string, unknown>): Record<string, unknown> {
  const variant = spec.variants ? values[spec.variants.discriminator] : undefined;
  const out = toObject(activeFields(spec, variant), values) ?? {};
  return spec.variants && variant !== undefined ? { [spec.variants.discriminator]: variant, ...out } : out;
}

function fromValue(shape: Shape, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (shape.kind === 'date' && typeof v === 'string') return dayjs(v);
  if (shape.kind === 'datetime' && typeof v === 'string') return dayjs(isoToPickerText(v));
  if (shape.kind === 'list' && Array.isArray(v))
    return shape.fields ? v.map((x) => fromObject(shape.fields!, x as Record<string, unknown>)) : v.map((x) => fromValue(shape.item, x));
  return v;
}

function fromObject(fields: FieldSpec[], stored: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const x = fromValue(f.shape, stored?.[f.name]);
    if (x !== undefined) out[f.name] = x;
  }
  return out;
}

/** Stored fields → form values (editing a draft). */
export function fromStored(spec: FormSpec, stored: Record<string, unknown>): Record<string, unknown> {
  const out = fromObject(allFields(spec), stored);
  if (spec.variants && stored[spec.variants.discriminator] !== undefined) out[spec.variants.discriminator] = stored[spec.variants.discriminator];
  return out;
}

/** Starting values of a new form: the first variant, one empty row of each required list. */
export function newValues(spec: FormSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.variants) out[spec.variants.discriminator] = spec.variants.options[0]?.value;
  for (const f of allFields(spec)) if (f.shape.kind === 'list' && (f.shape.minItems ?? 0) > 0) out[f.name] = [f.shape.fields ? {} : undefined];
  return out;
}
