import { describe, expect, it } from 'vitest';
import { importsOf, REPO_ROOT, readSources, type SourceFile } from './imports.js';
import { boundaryViolations, describeCycle, impureCores, moduleCycles, moduleGraph, routeFilesOnCompositionRoot } from './module-rules.js';

// docs/adr/0015-module-boundaries.md: a module is reached only through its index.ts (or its pure
// core.ts); route files take narrow dependencies; a core loads no service; no module cycle.
const sources = readSources(['src', 'scripts', 'test']);
const show = (v: { file: string; target: string; why: string }) => `${v.file} imports ${v.target}: ${v.why}`;

describe('module boundaries (the real source)', () => {
  it('reads the whole source tree, modules and their importers alike', () => {
    expect(sources.length).toBeGreaterThan(200);
    const app = sources.find((s) => s.file === 'src/server/app.ts');
    expect(app?.imports.some((i) => i.target === 'src/server/modules/access/index.ts')).toBe(true);
  });

  it('no file outside a module imports anything of it but its index.ts or core.ts', () => {
    expect(boundaryViolations(sources).map(show)).toEqual([]);
  });

  it('no route file imports the composition root (services.ts, app.ts)', () => {
    expect(routeFilesOnCompositionRoot(sources).map(show)).toEqual([]);
  });

  it('a module core.ts (the calendar’s above all) loads no repository, service, route or database code', () => {
    expect(sources.some((s) => s.file === 'src/server/modules/calendar/core.ts')).toBe(true);
    expect(impureCores(sources).map((c) => `${c.core} loads ${c.chain.join(' → ')}`)).toEqual([]);
  });

  it('the modules import each other without a cycle', () => {
    const graph = moduleGraph(sources);
    expect(graph.get('cases')?.has('access')).toBe(true);
    expect(moduleCycles(graph).map((c) => describeCycle(graph, c).join('; '))).toEqual([]);
  });
});

describe('the rules themselves (made-up graphs)', () => {
  const src = (file: string, ...targets: (string | [string, 'type'])[]): SourceFile => ({
    file,
    imports: targets.map((t) => (typeof t === 'string' ? { target: t, typeOnly: false } : { target: t[0], typeOnly: true })),
  });
  const M = 'src/server/modules';

  it('names the importing file and the imported path of a reach into another module', () => {
    const v = boundaryViolations([
      src(`${M}/org/org.routes.ts`, `${M}/audit/audit.routes.ts`, `${M}/audit/index.ts`, `${M}/org/org.service.ts`),
      src('scripts/x.ts', `${M}/cases/core.ts`, `${M}/cases/engine/clocks.ts`),
      src(`${M}/cases/engine/clocks.test.ts`, `${M}/cases/engine/clocks.ts`, `${M}/policy/policy.defaults.ts`),
    ]);
    expect(v.map((x) => `${x.file} → ${x.target}`)).toEqual([
      `${M}/org/org.routes.ts → ${M}/audit/audit.routes.ts`,
      `scripts/x.ts → ${M}/cases/engine/clocks.ts`,
      `${M}/cases/engine/clocks.test.ts → ${M}/policy/policy.defaults.ts`,
    ]);
  });

  it('finds a cycle through three modules and names each edge with its file, ignoring tests', () => {
    const graph = moduleGraph([
      src(`${M}/a/a.service.ts`, `${M}/b/index.ts`),
      src(`${M}/b/b.service.ts`, `${M}/c/index.ts`),
      src(`${M}/c/c.routes.ts`, `${M}/a/index.ts`),
      src(`${M}/d/d.service.ts`, `${M}/a/index.ts`),
      src(`${M}/a/a.test.ts`, `${M}/d/index.ts`),
    ]);
    const cycles = moduleCycles(graph);
    expect(cycles).toEqual([['a', 'b', 'c']]);
    expect(describeCycle(graph, cycles[0] ?? [])).toContain(`c → a (${M}/c/c.routes.ts → ${M}/a/index.ts)`);
  });

  it('follows a core’s run-time imports to the service it loads, not its type-only ones', () => {
    const bad = impureCores([
      src(`${M}/calendar/core.ts`, `${M}/calendar/calendar.core.ts`),
      src(`${M}/calendar/calendar.core.ts`, [`${M}/policy/index.ts`, 'type'], `${M}/calendar/holidays.ts`),
      src(`${M}/calendar/holidays.ts`, `${M}/calendar/calendar.service.ts`),
      src(`${M}/policy/index.ts`, `${M}/policy/policy.service.ts`),
    ]);
    expect(bad).toEqual([
      {
        core: `${M}/calendar/core.ts`,
        chain: [`${M}/calendar/core.ts`, `${M}/calendar/calendar.core.ts`, `${M}/calendar/holidays.ts`, `${M}/calendar/calendar.service.ts`],
      },
    ]);
  });

  it('parses imports, re-exports, dynamic imports and tells type-only ones apart', () => {
    const edges = importsOf(
      `${REPO_ROOT}/src/server/modules/demo/x.ts`,
      [
        "import { a } from '../access/index.js';",
        "import type { B } from '../audit/index.js';",
        "import { type C } from '../policy/index.js';",
        "export * from './demo.js';",
        "export type { D } from '../org/index.js';",
        "const m = await import('../cases/index.js');",
        "import x from 'node:fs';",
      ].join('\n'),
    );
    expect(edges).toEqual([
      { target: `${M}/access/index.ts`, typeOnly: false },
      { target: `${M}/audit/index.ts`, typeOnly: true },
      { target: `${M}/policy/index.ts`, typeOnly: true },
      { target: `${M}/demo/demo.ts`, typeOnly: false },
      { target: `${M}/org/index.ts`, typeOnly: true },
      { target: `${M}/cases/index.ts`, typeOnly: false },
    ]);
  });
});
