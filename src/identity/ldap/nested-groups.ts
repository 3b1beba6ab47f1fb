import type { Entry } from 'ldapts';
import { normalizeDn } from './ldap-entry.js';

/** Finds the groups that list any of `groupDns` as a member (one search per call). */
export type ParentGroupLookup = (groupDns: readonly string[]) => Promise<Entry[]>;

export interface NestedGroupWalkOptions {
  /** Levels followed above the direct groups; deeper ancestors are ignored. */
  readonly maxDepth: number;
  /** How many DNs go into one `(|(member=...)...)` search, to keep filters a sane size. */
  readonly batchSize?: number;
}

/**
 * OpenLDAP has no in-chain matching rule, so nested groups are found by walking up breadth-first
 * from the user's direct groups: each level is one search for groups having any group of the
 * previous level as a member. Every group is visited once (a cycle such as a ∈ b ∈ a ends the
 * walk) and the walk stops after `maxDepth` levels whatever the directory holds.
 */
export async function walkNestedGroups(
  directGroups: readonly Entry[],
  parentsOf: ParentGroupLookup,
  options: NestedGroupWalkOptions,
): Promise<Entry[]> {
  const batchSize = options.batchSize ?? 50;
  const seen = new Map<string, Entry>();
  let frontier: Entry[] = [];
  for (const group of directGroups) {
    const key = normalizeDn(group.dn);
    if (seen.has(key)) continue;
    seen.set(key, group);
    frontier.push(group);
  }
  for (let depth = 0; depth < options.maxDepth && frontier.length > 0; depth++) {
    const next: Entry[] = [];
    for (let i = 0; i < frontier.length; i += batchSize) {
      const batch = frontier.slice(i, i + batchSize).map((g) => g.dn);
      for (const parent of await parentsOf(batch)) {
        const key = normalizeDn(parent.dn);
        if (seen.has(key)) continue;
        seen.set(key, parent);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return [...seen.values()];
}
