/**
 * Role template inheritance: a template's effective rules are its own followed by those of
 * every template it includes, transitively, each once. Cycles and missing parents are refused
 * when a template is written, so evaluation never meets one (and stops safely if it does).
 */
import type { PolicyRule, RoleTemplate } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';
import { normalizeRule } from './validate-rules.js';

export type TemplateLookup = ReadonlyMap<string, RoleTemplate>;

export function templateMap(templates: readonly RoleTemplate[]): TemplateLookup {
  return new Map(templates.map((t) => [t.id, t]));
}

/** The template and every template it includes, depth first, each once. */
export function inheritanceClosure(id: string, lookup: TemplateLookup): RoleTemplate[] {
  const seen = new Set<string>();
  const out: RoleTemplate[] = [];
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    const t = lookup.get(current);
    if (t === undefined) return;
    out.push(t);
    for (const parent of t.inherits) visit(parent);
  };
  visit(id);
  return out;
}

/** The effective rules of a template, without duplicates, in a stable order. */
export function flattenRules(id: string, lookup: TemplateLookup): PolicyRule[] {
  const seen = new Set<string>();
  const rules: PolicyRule[] = [];
  for (const t of inheritanceClosure(id, lookup)) {
    for (const r of t.rules) {
      const normal = normalizeRule(r);
      const key = JSON.stringify(normal);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(normal);
    }
  }
  return rules;
}

/** An inheritance path that returns to where it started, e.g. `[a, b, a]`, if any. */
export function findCycle(lookup: TemplateLookup): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const parent of lookup.get(id)?.inherits ?? []) {
      const cycle = visit(parent);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of [...lookup.keys()].sort()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Checks that `candidate`, written into `existing`, includes only known templates of the same
 * context and closes no inheritance cycle. Throws VALIDATION_FAILED otherwise.
 */
export function assertInheritanceValid(
  candidate: RoleTemplate,
  existing: readonly RoleTemplate[],
): void {
  const lookup = new Map(existing.map((t) => [t.id, t]));
  lookup.set(candidate.id, candidate);
  for (const parent of candidate.inherits) {
    const t = lookup.get(parent);
    if (t === undefined) {
      throw new PaddockError('VALIDATION_FAILED', `role template ${parent} does not exist`, {
        reason: 'unknown_template',
        details: { inherits: parent },
      });
    }
    if (t.context !== candidate.context) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `a ${candidate.context} template cannot include the ${t.context} template ${parent}`,
        { reason: 'context_mismatch', details: { inherits: parent } },
      );
    }
  }
  const cycle = findCycle(lookup);
  if (cycle) {
    throw new PaddockError('VALIDATION_FAILED', `inheritance cycle: ${cycle.join(' -> ')}`, {
      reason: 'inheritance_cycle',
      details: { cycle },
    });
  }
}
