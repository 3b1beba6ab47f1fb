// Formatting helpers matching k8s.io/apimachinery duration.HumanDuration and the printers'
// label/selector renderings.

import { fromLabelSelectorObject } from '../storage/selectors.js';
import { asArray, asObject, isObject, type JsonObject } from '../storage/types.js';

/** duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for a missing timestamp. */
export function since(ts: unknown, now: Date): string {
  if (typeof ts !== 'string' || ts === '') return '<unknown>';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** labels.FormatLabels: sorted k=v joined by commas, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  if (!isObject(labels)) return '<none>';
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${String(labels[k])}`).join(',');
}

/** metav1.FormatLabelSelector */
export function formatLabelSelector(sel: unknown): string {
  if (!isObject(sel)) return '<none>';
  const reqs = fromLabelSelectorObject(sel).sort((a, b) => a.key.localeCompare(b.key));
  if (reqs.length === 0) return '<none>';
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.values[0]}`;
        case 'in':
          return `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'notin':
          return `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}

export function podTemplateContainers(obj: JsonObject): { names: string; images: string } {
  const spec = asObject(asObject(asObject(obj.spec).template).spec);
  const containers = asArray(spec.containers);
  return {
    names: containers.map((c) => String(c.name ?? '')).join(','),
    images: containers.map((c) => String(c.image ?? '')).join(','),
  };
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

const ACCESS_MODE_SHORT: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** GetAccessModesAsString: fixed order, de-duplicated. */
export function accessModes(modes: unknown): string {
  const list = Array.isArray(modes) ? modes.map(String) : [];
  const out: string[] = [];
  for (const m of ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']) {
    if (list.includes(m)) out.push(ACCESS_MODE_SHORT[m] ?? m);
  }
  return out.join(',');
}
