import type { SourceFile } from './imports.js';

/**
 * The module rules of docs/adr/0015-module-boundaries.md, as plain functions over the import graph
 * (so the rules are tested on small made-up graphs as well as on the real source).
 */

const MODULES = 'src/server/modules/';

/** The module a file belongs to (`src/server/modules/<name>/…`), or null outside every module. */
export function moduleOf(file: string): string | null {
  if (!file.startsWith(MODULES)) return null;
  const rest = file.slice(MODULES.length).split('/');
  return rest.length > 1 ? (rest[0] ?? null) : null;
}

/** A module's public entries: `index.ts` (everything it offers) and, optionally, `core.ts` (its pure core). */
export const PUBLIC_ENTRIES = ['index.ts', 'core.ts'] as const;

export const isPublicEntry = (file: string) => {
  const m = moduleOf(file);
  return !!m && PUBLIC_ENTRIES.some((e) => file === `${MODULES}${m}/${e}`);
};

export const isTest = (file: string) => /\.test\.tsx?$/.test(file);

export interface Violation {
  file: string;
  target: string;
  why: string;
}

/** A file outside module X imports a file of X other than its public entries. */
export function boundaryViolations(sources: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const s of sources) {
    const own = moduleOf(s.file);
    for (const { target } of s.imports) {
      const m = moduleOf(target);
      if (!m || m === own || isPublicEntry(target)) continue;
      out.push({ file: s.file, target, why: `module "${m}" is reached through ${MODULES}${m}/index.ts (or its pure core.ts)` });
    }
  }
  return out;
}

/** A route file imports the composition root (it gets narrow dependencies instead). */
export function routeFilesOnCompositionRoot(sources: readonly SourceFile[]): Violation[] {
  const root = ['src/server/services.ts', 'src/server/app.ts'];
  return sources
    .filter((s) => s.file.endsWith('.routes.ts'))
    .flatMap((s) =>
      s.imports
        .filter((i) => root.includes(i.target))
        .map((i) => ({ file: s.file, target: i.target, why: 'a route file takes narrow dependencies, not the composition root' })),
    );
}

/** What a pure core must not load at run time, even indirectly. */
const IMPURE = [/\.(repository|service|routes)\.ts$/, /^src\/server\/platform\/db\//, /^src\/server\/(services|app|main|bootstrap)\.ts$/];

/**
 * Each module's `core.ts` loads, at run time, no repository, service, route file or database code:
 * it can be imported without its service. Type-only imports are erased and do not count.
 * Returns the import chain that reaches the first impure file.
 */
export function impureCores(sources: readonly SourceFile[]): { core: string; chain: string[] }[] {
  const byFile = new Map(sources.map((s) => [s.file, s]));
  const out: { core: string; chain: string[] }[] = [];
  for (const core of sources.filter((s) => isPublicEntry(s.file) && s.file.endsWith('/core.ts'))) {
    const parent = new Map<string, string | null>([[core.file, null]]);
    const queue = [core.file];
    let found: string | undefined;
    while (queue.length && !found) {
      const f = queue.shift() as string;
      for (const i of byFile.get(f)?.imports ?? []) {
        if (i.typeOnly || parent.has(i.target)) continue;
        parent.set(i.target, f);
        if (IMPURE.some((re) => re.test(i.target))) {
          found = i.target;
          break;
        }
        queue.push(i.target);
      }
    }
    if (found) {
      const chain: string[] = [];
      for (let f: string | null | undefined = found; f; f = parent.get(f)) chain.unshift(f);
      out.push({ core: core.file, chain });
    }
  }
  return out;
}

/**
 * The module graph: module X depends on Y when a file of X (tests excluded: no module loads its
 * tests) imports a file of Y, types included. `via` names one importing file per edge.
 */
export function moduleGraph(sources: readonly SourceFile[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const s of sources) {
    const from = moduleOf(s.file);
    if (!from || isTest(s.file)) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const { target } of s.imports) {
      const to = moduleOf(target);
      if (to && to !== from && !graph.get(from)?.has(to)) graph.get(from)?.set(to, `${s.file} → ${target}`);
    }
  }
  return graph;
}

/** Every cycle of the module graph, as its strongly connected components of more than one module (Tarjan). */
export function moduleCycles(graph: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The edges inside one cycle, each with the file that makes it: what to read to break it. */
export function describeCycle(graph: Map<string, Map<string, string>>, members: readonly string[]): string[] {
  const set = new Set(members);
  return members.flatMap((m) => [...(graph.get(m) ?? [])].filter(([to]) => set.has(to)).map(([to, via]) => `${m} → ${to} (${via})`));
}
