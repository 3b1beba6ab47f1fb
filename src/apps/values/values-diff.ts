/** What changes between two sets of values, by dotted path (maps compared key by key). */
import type { ValuesChange } from '../../domain/apps.js';
import { isValuesMap, type Values } from './values-input.js';

const MAX_CHANGES = 500;

export function diffValues(before: Values, after: Values): ValuesChange[] {
  const out: ValuesChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= MAX_CHANGES) return;
    if (isValuesMap(a) && isValuesMap(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], path === '' ? k : `${path}.${k}`);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    out.push({
      path,
      ...(a === undefined ? {} : { before: a }),
      ...(b === undefined ? {} : { after: b }),
    });
  };
  walk(before, after, '');
  return out;
}
