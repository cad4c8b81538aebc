/** Pure derivation of the reporting chain (DOMAIN.md §1, 逐级汇报). */

export interface ChainMember {
  personId: number;
  name: string;
  roleCode: string;
  roleName: string;
  /** Higher reports to... nobody below; null = not part of the chain (office, HR, supervision). */
  rank: number | null;
  unitId: number;
  unitName: string;
}

/**
 * Walks from the person's own unit up to the root. At each level the members whose rank is above
 * everything collected so far are added, lowest rank first, one person per rank — so a worker gets
 * team leader → shift leader → unit head → responsible leader.
 */
export function reportingChain(personId: number, ownRank: number | null, levels: readonly (readonly ChainMember[])[]): ChainMember[] {
  const chain: ChainMember[] = [];
  let current = ownRank ?? 0;
  for (const members of levels) {
    const above = members
      .filter((m) => m.personId !== personId && m.rank !== null && m.rank > current)
      .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || a.personId - b.personId);
    const taken = new Set<number>();
    for (const m of above) {
      if (taken.has(m.rank as number) || chain.some((c) => c.personId === m.personId)) continue;
      taken.add(m.rank as number);
      chain.push(m);
    }
    if (taken.size > 0) current = Math.max(current, ...taken);
  }
  return chain;
}

/** Ancestor ids of a materialized path "/1/4/9/", nearest first, the unit itself included. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number).reverse();
}

/** Would moving `unitPath` under `newParentPath` put the unit under itself? */
export function wouldCycle(unitPath: string, newParentPath: string): boolean {
  return newParentPath.startsWith(unitPath);
}
