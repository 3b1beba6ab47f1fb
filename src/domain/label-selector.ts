/**
 * Kubernetes label selectors (`k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`,
 * `!k`, comma-separated), parsed once into requirements: the fleet index's planner starts from
 * the label postings an equality or `in` requirement names instead of every row, and a
 * namespace list matches its rows against them.
 */
import { PaddockError } from '../errors/index.js';

export type LabelRequirement =
  | { readonly op: 'in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists'; readonly key: string }
  | { readonly op: 'absent'; readonly key: string };

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function bad(selector: string, why: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `invalid label selector "${selector}": ${why}`, {
    reason: 'invalid_label_selector',
  });
}

function split(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim());
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  const out: LabelRequirement[] = [];
  const key = (k: string) => {
    if (!KEY.test(k)) throw bad(selector, `"${k}" is not a label key`);
    return k;
  };
  const value = (v: string) => {
    if (!VALUE.test(v)) throw bad(selector, `"${v}" is not a label value`);
    return v;
  };
  for (const term of split(selector)) {
    if (term === '') throw bad(selector, 'an empty requirement');
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]!.split(',').map((v) => value(v.trim()));
      out.push({ op: set[2] as 'in' | 'notin', key: key(set[1]!), values });
      continue;
    }
    const neq = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(term);
    if (neq) {
      out.push({ op: 'notin', key: key(neq[1]!), values: [value(neq[2]!)] });
      continue;
    }
    const eq = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(term);
    if (eq) {
      out.push({ op: 'in', key: key(eq[1]!), values: [value(eq[2]!)] });
      continue;
    }
    if (term.startsWith('!')) {
      out.push({ op: 'absent', key: key(term.slice(1).trim()) });
      continue;
    }
    out.push({ op: 'exists', key: key(term) });
  }
  return out;
}

export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const r of requirements) {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'in':
        if (!has || !r.values.includes(labels[r.key]!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(labels[r.key]!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'absent':
        if (has) return false;
        break;
    }
  }
  return true;
}
