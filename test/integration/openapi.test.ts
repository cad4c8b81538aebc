import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_TYPES } from '../../src/server/modules/cases/index.js';
import { anonymous, startTestApp, type TestApp } from '../support/harness.js';

type Schema = {
  type?: string;
  title?: string;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: unknown;
  enum?: unknown[];
};
type Operation = { summary?: string; requestBody?: { content: Record<string, { schema: Schema }> } };

/** Issue 8, first use 13: the API describes itself — every operation, and every case action's input. */
describe('the OpenAPI document at /api/v1/openapi.json', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await startTestApp();
    const res = await anonymous(t).get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => t.close());

  it('gives every operation a summary', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.filter((o) => !o.op.summary?.trim()).map((o) => o.at)).toEqual([]);
  });

  it('documents the input of each action of each case type, not an opaque object', () => {
    const body = doc.paths['/api/v1/cases/{id}/actions']?.post?.requestBody?.content['application/json']?.schema;
    const variants = body?.anyOf ?? [];
    const documented = new Map(variants.map((v) => [v.title, v]));
    for (const def of CASE_TYPES.values()) {
      for (const action of new Set(def.transitions.map((x) => x.action))) {
        const v = documented.get(`${def.code}.${action}`);
        expect(v, `${def.code}.${action}`).toBeDefined();
        expect(v?.properties?.action?.enum).toEqual([action]);
        const input = v?.properties?.input as Schema;
        // A closed object with named fields (or none at all), or a choice between such objects.
        const closed = (s: Schema): boolean => (s.anyOf ? s.anyOf.every(closed) : s.type === 'object' && s.additionalProperties === false);
        expect(closed(input), `${def.code}.${action} input`).toBe(true);
      }
    }
    // The contact form's sign names the handler.
    expect(documented.get('contact_form.sign')?.properties?.input?.properties).toHaveProperty('handlerPersonId');
  });

  it("documents each case type's own fields for drafting", () => {
    const body = doc.paths['/api/v1/cases']?.post?.requestBody?.content['application/json']?.schema;
    expect((body?.anyOf ?? []).map((v) => v.title).sort()).toEqual([...CASE_TYPES.keys()].sort());
    // Named fields, or a choice between sets of named fields (a notice's kinds).
    const named = (s: Schema | undefined): boolean => !!s && ((s.oneOf ?? s.anyOf)?.every(named) ?? Object.keys(s.properties ?? {}).length > 0);
    for (const v of body?.anyOf ?? []) expect(named(v.properties?.fields), v.title).toBe(true);
  });
});
