import { type Compilable, CompiledQuery } from 'kysely';
import type { Queryable } from './database.js';

/** Where one parameter goes while a query is compiled for its shape. */
class Slot {
  constructor(
    readonly name: string,
    /** Position in a list parameter; -1 for a single value. */
    readonly index: number,
  ) {}
}

type Args = Record<string, string | number | boolean | null | readonly (string | number)[]>;

/**
 * A hot query compiled once per shape instead of on every call (ADR 0016). Kysely builds and
 * compiles a query tree each time it runs; for the ten-odd statements behind every 待办 page that
 * was about a tenth of the server's CPU. The SQL text of these queries depends only on how many
 * values each list holds and on their flags, so the text is compiled once per shape, with
 * placeholders where the values go, and each call fills in its own values.
 *
 * `build` sees placeholders, not values: lists have the call's length, `true`/`false` are the
 * call's own (they are part of the shape, so a query may branch on them), every other value is a
 * placeholder it must only pass to Kysely. Constants written in `build` stay as compiled.
 */
export function preparedQuery<A extends Args, R>(build: (args: A) => Compilable<R>) {
  const shapes = new Map<string, { sql: string; parameters: readonly unknown[] }>();
  return async (q: Queryable, args: A): Promise<R[]> => {
    let key = '';
    for (const name in args) {
      const v = args[name];
      key += `${name}:${Array.isArray(v) ? v.length : typeof v === 'boolean' ? v : '?'};`;
    }
    let shape = shapes.get(key);
    if (!shape) {
      const slots: Record<string, unknown> = {};
      for (const name in args) {
        const v = args[name];
        slots[name] = Array.isArray(v) ? v.map((_, i) => new Slot(name, i)) : typeof v === 'boolean' ? v : new Slot(name, -1);
      }
      const compiled = build(slots as A).compile();
      shape = { sql: compiled.sql, parameters: compiled.parameters };
      shapes.set(key, shape);
    }
    const parameters = shape.parameters.map((p) => (p instanceof Slot ? (p.index < 0 ? args[p.name] : (args[p.name] as readonly unknown[])[p.index]) : p));
    return (await q.executeQuery(CompiledQuery.raw(shape.sql, parameters as unknown[]) as CompiledQuery<R>)).rows;
  };
}
