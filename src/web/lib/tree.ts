import type { UnitView } from '../types.js';

export interface UnitNode {
  unit: UnitView;
  children: UnitNode[];
}

/** Flat list (parents first) → forest, siblings by sort order then name. */
export function buildUnitForest(units: readonly UnitView[]): UnitNode[] {
  const nodes = new Map<number, UnitNode>();
  for (const u of units) nodes.set(u.id, { unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId != null ? nodes.get(u.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => a.unit.sortOrder - b.unit.sortOrder || a.unit.name.localeCompare(b.unit.name, 'zh-CN'));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Names from the root down to the unit: ["集团", "机电队", "一班"]. */
export function unitTrail(units: readonly UnitView[], id: number): UnitView[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: UnitView[] = [];
  let cur = byId.get(id);
  const seen = new Set<number>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    out.unshift(cur);
    cur = cur.parentId != null ? byId.get(cur.parentId) : undefined;
  }
  return out;
}

/** Ids of the unit and all its descendants (by materialized path). */
export function subtreeIds(units: readonly UnitView[], id: number): Set<number> {
  const root = units.find((u) => u.id === id);
  if (!root) return new Set([id]);
  return new Set(units.filter((u) => u.path.startsWith(root.path)).map((u) => u.id));
}
