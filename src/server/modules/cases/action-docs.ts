import { z } from 'zod';
import type { CaseTypeDef } from './engine/definition.js';

/**
 * The body of POST /cases/:id/actions as OpenAPI documents it (issue 8, first use 13): one
 * alternative per case type and action, with that action's own `input` schema, instead of an
 * opaque object. Validation stays with `CaseAction` and the transition's input schema (the
 * service picks the transition by the case's state); this schema is for the document only.
 */
export function caseActionDoc(types: Iterable<CaseTypeDef>): z.ZodType {
  const variants: z.ZodType[] = [];
  for (const def of types) {
    const byAction = new Map<string, z.ZodType[]>();
    for (const t of def.transitions) {
      const inputs = byAction.get(t.action) ?? [];
      if (t.input && !inputs.includes(t.input)) inputs.push(t.input);
      byAction.set(t.action, inputs);
    }
    for (const [action, inputs] of byAction) {
      const label = def.labels[`action.${action}`];
      const input = inputs.length === 0 ? z.strictObject({}) : inputs.length === 1 ? (inputs[0] as z.ZodType) : z.union(inputs as [z.ZodType, z.ZodType]);
      variants.push(
        z
          .strictObject({
            action: z.literal(action),
            partId: z.number().int().positive().optional().describe('收单单位的部分 / the receiving unit’s part, when ambiguous'),
            version: z.number().int().positive().optional().describe('看到的版本 / the version the user saw (409 when stale)'),
            // Left out, the input is `{}`: optional where that passes.
            input: input.safeParse({}).success ? input.optional() : input,
          })
          .meta({
            title: `${def.code}.${action}`,
            description: `${def.nameZh}：${label?.zh ?? action} / ${def.nameEn}: ${label?.en ?? action}`,
          }),
      );
    }
  }
  return z.union(variants as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** The body of POST /cases as OpenAPI documents it: one alternative per case type, with that type's own fields. */
export function caseCreateDoc(types: Iterable<CaseTypeDef>): z.ZodType {
  const variants: z.ZodType[] = [...types].map((def) =>
    z
      .strictObject({
        type: z.literal(def.code),
        initiatorUnitId: z.number().int().positive(),
        fields: def.fields,
        watcherPersonIds: z.array(z.number().int().positive()).max(50).optional(),
      })
      .meta({ title: def.code, description: `${def.nameZh} / ${def.nameEn}` }),
  );
  return z.union(variants as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}
