/**
 * Client-side label selectors for objects read one by one (a project member's namespaces):
 * `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma-separated.
 */
export function matchesSelector(
  selector: string,
  labels: Readonly<Record<string, string>>,
): boolean {
  return splitTerms(selector).every((term) => matchesTerm(term.trim(), labels));
}

function splitTerms(selector: string): string[] {
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
  if (current.trim() !== '') out.push(current);
  return out;
}

function matchesTerm(term: string, labels: Readonly<Record<string, string>>): boolean {
  if (term === '') return true;
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    const has = set[1]! in labels && values.includes(labels[set[1]!]!);
    return set[2] === 'in' ? has : !has;
  }
  const neq = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(term);
  if (neq) return labels[neq[1]!] !== neq[2];
  const eq = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(term);
  if (eq) return labels[eq[1]!] === eq[2];
  if (term.startsWith('!')) return !(term.slice(1).trim() in labels);
  return term in labels;
}
