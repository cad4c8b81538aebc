import { z } from 'zod';
import type { CaseTypeView } from '../../../../contracts/cases.js';
import type { CaseTypeDef, DeadlineRule, Effect } from './definition.js';
import { ENGINE_LABELS } from './labels.js';

type Label = { zh: string; en: string };

/** A zod schema as JSON Schema of what a client sends; refinements JSON Schema cannot say are left to the server. */
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

type RuleView = CaseTypeView['clocks'][number]['rule'];

/** A clock's deadline rule as data: the kind and what it counts. */
function ruleView(r: DeadlineRule): RuleView {
  switch (r.kind) {
    case 'date':
      return { kind: 'date', from: r.from, field: r.field };
    case 'relative':
      return {
        kind: 'relative',
        from: r.anchor.from,
        ...('field' in r.anchor && { field: r.anchor.field }),
        direction: r.direction,
        unit: r.unit,
        amount: { ...r.amount },
        ...(r.at && { at: r.at }),
        nonWorkingDay: r.nonWorkingDay ?? 'keep',
      };
    default:
      return { kind: r.kind, policy: r.policy };
  }
}

/** The child cases among effects: their type and who creates them. */
const createsOf = (effects: readonly Effect[] | undefined) => (effects ?? []).flatMap((e) => (e.kind === 'createCases' ? [{ type: e.type, as: e.as }] : []));

/**
 * A case type as data for clients (issue 9 §1, GET /case-types): its fields as JSON Schema, states,
 * the transition table with each action's input schema and who may take it, clocks and every label,
 * so that a client builds forms and dialogs from the type instead of describing it again by hand.
 * Pure: computed from the definition alone.
 */
export function describeCaseType(def: CaseTypeDef): CaseTypeView {
  const labels: Record<string, Label> = { ...ENGINE_LABELS, ...def.labels };
  const label = (key: string, fallback: string) => {
    const l = labels[key];
    return { 'zh-CN': l?.zh ?? fallback, en: l?.en ?? fallback };
  };
  return {
    code: def.code,
    version: def.version,
    name: { 'zh-CN': def.nameZh, en: def.nameEn },
    numberPrefix: def.numberPrefix,
    fields: jsonSchema(def.fields),
    initialState: def.initialState,
    initialPartState: def.initialPartState,
    closedState: def.closedState ?? null,
    editableIn: [...def.editableIn],
    states: def.states.map((s) => ({ code: s.code, level: s.level, awaits: s.awaits ?? null, final: !!s.final, label: label(`state.${s.code}`, s.code) })),
    transitions: def.transitions.map((t) => ({
      action: t.action,
      level: t.level,
      from: [...t.from],
      to: t.to,
      by: [...t.by],
      input: t.input ? jsonSchema(t.input) : null,
      startClocks: [...(t.startClocks ?? [])],
      stopClocks: [...(t.stopClocks ?? [])],
      ...(createsOf(t.effects).length && { creates: createsOf(t.effects) }),
      label: label(`action.${t.action}`, t.action),
    })),
    clocks: def.clocks.map((c) => ({
      code: c.code,
      level: c.level,
      rule: ruleView(c.rule),
      awaits: c.awaits,
      remindBefore: c.remindBefore ?? null,
      ...(c.reminders?.length && { reminders: c.reminders.map((r) => ({ ...r.before })) }),
      ...(c.startOn && { startOn: c.startOn }),
      ...(createsOf(c.onExpiry).length && { creates: createsOf(c.onExpiry) }),
      label: label(`clock.${c.code}`, c.code),
    })),
    roles: Object.entries(def.roles ?? {}).map(([code, source]) => ({ code, source: { ...source } as Record<string, unknown> })),
    merge: def.merge ? { by: [...def.merge.by], state: def.merge.state, result: def.merge.result, into: [...(def.merge.into ?? [def.code])] } : null,
    labels: Object.fromEntries(Object.entries(labels).map(([k, l]) => [k, { 'zh-CN': l.zh, en: l.en }])),
  };
}
