import { describe, expect, it } from 'vitest';
import { buildDemoModel } from './demo.data.js';
import { randomPassword } from './demo.js';

describe('demo model', () => {
  const model = buildDemoModel();

  it('is the same for the same seed, and different for another', () => {
    expect(buildDemoModel()).toEqual(model);
    expect(buildDemoModel(7).people.map((p) => p.name)).not.toEqual(model.people.map((p) => p.name));
  });

  it('has unique unit codes, employee numbers, phones and names', () => {
    const unique = (xs: string[]) => new Set(xs).size === xs.length;
    expect(unique(model.units.map((u) => u.code))).toBe(true);
    expect(unique([model.admin.employeeNo, ...model.people.map((p) => p.employeeNo)])).toBe(true);
    expect(unique([model.admin.phone, ...model.people.map((p) => p.phone)])).toBe(true);
    expect(unique([model.admin.name, ...model.people.map((p) => p.name)])).toBe(true);
  });

  it('places every person in a unit of the model and names each login', () => {
    const codes = new Set([model.rootCode, ...model.units.map((u) => u.code)]);
    expect(model.people.every((p) => codes.has(p.unitCode))).toBe(true);
    expect(model.units.every((u) => codes.has(u.parentCode))).toBe(true);
    const numbers = new Set(model.people.map((p) => p.employeeNo));
    expect(model.logins.every((l) => l.employeeNo === 'admin' || numbers.has(l.employeeNo))).toBe(true);
  });

  it('generates strong random passwords, never the same twice', () => {
    const ps = Array.from({ length: 50 }, () => randomPassword());
    expect(new Set(ps).size).toBe(50);
    for (const p of ps) expect(p).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z2-9]{14}$/);
  });
});
