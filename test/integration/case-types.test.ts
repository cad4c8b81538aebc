import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface TypeView {
  code: string;
  name: { 'zh-CN': string; en: string };
  fields: Schema;
  states: { code: string; level: string; awaits: string | null; final: boolean; label: { 'zh-CN': string; en: string } }[];
  transitions: { action: string; level: string; from: string[]; to: string | null; by: string[]; input: Schema | null; label: { 'zh-CN': string } }[];
  clocks: { code: string; rule: { kind: string; policy?: string; field?: string }; awaits: string; label: { 'zh-CN': string } }[];
  labels: Record<string, { 'zh-CN': string; en: string }>;
}

/**
 * Issue 9 §1: case types describe themselves. GET /case-types serves each type's fields (JSON Schema
 * from the zod schema the server validates with), states, transition table with input schemas and
 * roles, clocks and labels — so what a client builds from it is what the server then checks.
 */
describe('GET /case-types: the case types describe themselves', () => {
  let o: LiaisonOrg;
  let types: TypeView[];
  beforeAll(async () => {
    o = await liaisonOrg();
    const r = await o.people.drafter.client.get('/api/v1/case-types');
    expect(r.statusCode).toBe(200);
    types = r.json();
  });
  afterAll(() => o?.t.close());
  const type = (code: string) => types.find((t) => t.code === code) as TypeView;

  it('serves every form with its names, states and labels in zh-CN and English', () => {
    expect(types.map((t) => t.code).sort()).toEqual([
      'coal_loss_notice',
      'commission_letter',
      'contact_form',
      'district_geology_commission',
      'incident_report',
      'notice',
      'operation_ticket',
      'work_drawings',
    ]);
    const cf = type('contact_form');
    expect(cf.name).toEqual({ 'zh-CN': '工作联系单', en: expect.any(String) });
    expect(cf.states.find((s) => s.code === 'awaiting_sign')).toMatchObject({ level: 'part', awaits: 'receiver', label: { 'zh-CN': '待签收' } });
    for (const t of types) {
      for (const s of t.states) expect(s.label['zh-CN'], `${t.code} state ${s.code}`).not.toBe(s.code);
      for (const x of t.transitions) expect(x.label['zh-CN'], `${t.code} action ${x.action}`).not.toBe(x.action);
    }
  });

  it('lists the transition table: who may take each action from which state, with its input schema', () => {
    const cf = type('contact_form');
    const object = cf.transitions.find((x) => x.action === 'object');
    expect(object).toMatchObject({ level: 'part', from: ['awaiting_sign'], by: ['receiver'] });
    expect(object?.input?.required).toContain('reason');
    const sign = cf.transitions.find((x) => x.action === 'sign');
    expect(sign?.input?.properties).toHaveProperty('handlerPersonId');
    // Every state and role a row names is one the type declares.
    for (const t of types) {
      const states = new Set(t.states.map((s) => s.code));
      for (const x of t.transitions) {
        for (const f of x.from) expect(states.has(f), `${t.code}.${x.action} from ${f}`).toBe(true);
        if (x.to !== null) expect(states.has(x.to), `${t.code}.${x.action} to ${x.to}`).toBe(true);
      }
    }
  });

  it('names the clocks and how each deadline is computed (a policy, or a date on the form)', () => {
    const cf = type('contact_form');
    const sign = cf.clocks.find((c) => c.awaits === 'receiver' && c.rule.kind === 'workingDays');
    expect(sign?.rule.policy).toMatch(/^[a-zA-Z]+\.[a-zA-Z]+$/);
    expect(sign?.label['zh-CN']).toContain('签收');
    expect(cf.clocks.some((c) => c.rule.kind === 'date' && c.rule.field === 'dueDate')).toBe(true);
  });

  it("describes the fields the server checks: what a form's schema requires is what sending a bare draft on asks for", async () => {
    const client = o.people.drafter.client;
    for (const [code, action] of [
      ['contact_form', 'submit'],
      ['commission_letter', 'submit'],
      ['operation_ticket', 'submit'],
      ['district_geology_commission', 'submit'],
      ['work_drawings', 'send'],
      ['coal_loss_notice', 'issue'],
      ['incident_report', 'report'],
    ] as const) {
      const schema = type(code).fields;
      expect(schema.type, code).toBe('object');
      expect(schema.required, code).toContain('title');
      const created = await client.post('/api/v1/cases', { type: code, initiatorUnitId: o.units.ops, fields: { title: '只写了标题' } });
      expect(created.statusCode, code).toBe(201);
      const refused = await client.post(`/api/v1/cases/${created.json().id}/actions`, { action });
      expect(refused.json().error.code, code).toBe('DRAFT_INCOMPLETE');
      const missing = (refused.json().error.details as { path: string }[]).map((d) => d.path.replace(/^fields\./, '')).sort();
      expect(missing, code).toEqual((schema.required ?? []).filter((f) => f !== 'title').sort());
    }
    // A complete contact form, built from the schema's own property names, is accepted.
    const props = Object.keys(type('contact_form').fields.properties ?? {});
    const full = formFields(o);
    expect(Object.keys(full).every((k) => props.includes(k))).toBe(true);
  });

  it('labels every field and action input in zh-CN and English, and says how an id is picked', () => {
    const has = (t: TypeView, keys: string[]) => keys.some((k) => t.labels[k]?.['zh-CN'] && t.labels[k]?.en);
    const propsOf = (s: Schema): [string, Schema][] => [
      ...Object.entries(s.properties ?? {}),
      ...(s.oneOf ?? s.anyOf ?? []).flatMap((b) => Object.entries(b.properties ?? {})),
    ];
    for (const t of types) {
      for (const [name, p] of propsOf(t.fields)) {
        const branchLabels = (t.fields.oneOf ?? []).map((b) => `field.${String((b.properties?.kind as { const?: string })?.const)}.${name}`);
        expect(has(t, [`field.${name}`, ...branchLabels]), `${t.code} field ${name}`).toBe(true);
        // An id of a person or unit says which picker chooses it (zod .meta, carried into the JSON Schema).
        if (/(PersonId|UnitId)$/.test(name)) expect((p as Record<string, unknown>).widget, `${t.code} field ${name}`).toBeTypeOf('string');
      }
      for (const x of t.transitions)
        for (const [name, p] of propsOf(x.input ?? {})) {
          expect(has(t, [`input.${x.action}.${name}`, `input.${name}`]), `${t.code} ${x.action} input ${name}`).toBe(true);
          if (/PersonId$/.test(name)) expect((p as Record<string, unknown>).widget, `${t.code} ${x.action} ${name}`).toBe('partMember');
          const values = (p as { enum?: string[] }).enum;
          for (const v of values ?? [])
            if (!(p as Record<string, unknown>).optionLabelField) expect(has(t, [`enum.${name}.${v}`]), `${t.code} ${x.action} ${name}=${v}`).toBe(true);
        }
    }
    // 作废, 退回, 撤回 and the like are marked as undoing something (a red button).
    const danger = (code: string, action: string) => (type(code).transitions.find((x) => x.action === action)?.input as Record<string, unknown> | null)?.danger;
    expect(danger('operation_ticket', 'void')).toBe(true);
    expect(danger('contact_form', 'withdraw')).toBe(true);
    expect(danger('contact_form', 'sign')).toBeUndefined();
  });

  it('answers 401 without a session', async () => {
    const r = await o.t.app.inject({ method: 'GET', url: '/api/v1/case-types' });
    expect(r.statusCode).toBe(401);
  });
});
