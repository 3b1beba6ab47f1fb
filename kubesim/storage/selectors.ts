// Label selectors (=, ==, !=, in, notin, exists, !exists, gt, lt) and field selectors
// (=, ==, !=) with the per-resource field sets the apiserver accepts.

import { badRequest } from '../api/status.js';
import { isObject, pathGet } from './types.js';

type LabelOp = 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists' | 'gt' | 'lt';

interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

function splitTopLevel(input: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  if (!KEY_RE.test(key) || key.length > 317) {
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
}

/** Parses a labelSelector query value; throws a 400 Status on syntax errors. */
export function parseLabelSelector(input: string | null | undefined): LabelSelector {
  if (!input) return [];
  const reqs: LabelSelector = [];
  for (const part of splitTopLevel(input)) {
    let m = /^!\s*(\S+)$/.exec(part);
    if (m?.[1]) {
      checkKey(m[1]);
      reqs.push({ key: m[1], op: 'notexists', values: [] });
      continue;
    }
    m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m?.[1] && m[2]) {
      checkKey(m[1]);
      const values = (m[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      reqs.push({ key: m[1], op: m[2] === 'in' ? 'in' : 'notin', values });
      continue;
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(part);
    if (m?.[1] && m[2]) {
      checkKey(m[1]);
      const value = m[3] ?? '';
      const op: LabelOp = m[2] === '!=' ? 'neq' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : 'eq';
      if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(value)) {
        throw badRequest(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
      reqs.push({ key: m[1], op, values: [value] });
      continue;
    }
    if (/^\S+$/.test(part)) {
      checkKey(part);
      reqs.push({ key: part, op: 'exists', values: [] });
      continue;
    }
    throw badRequest(
      `unable to parse requirement: found '${part}', expected: ',' or 'end of string'`,
    );
  }
  return reqs;
}

export function matchLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  for (const r of selector) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const v = has ? (labels?.[r.key] ?? '') : undefined;
    switch (r.op) {
      case 'eq':
        if (v !== r.values[0]) return false;
        break;
      case 'neq':
        if (v === r.values[0]) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const want = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > want) : !(n < want)) return false;
        break;
      }
    }
  }
  return true;
}

/** Converts a metav1.LabelSelector object (matchLabels/matchExpressions) to requirements. */
export function fromLabelSelectorObject(sel: unknown): LabelSelector {
  if (!isObject(sel)) return [];
  const out: LabelSelector = [];
  const ml = sel.matchLabels;
  if (isObject(ml))
    for (const [k, v] of Object.entries(ml)) out.push({ key: k, op: 'eq', values: [String(v)] });
  const me = sel.matchExpressions;
  if (Array.isArray(me)) {
    for (const e of me) {
      if (!isObject(e)) continue;
      const op = String(e.operator);
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const mapped: LabelOp =
        op === 'In' ? 'in' : op === 'NotIn' ? 'notin' : op === 'Exists' ? 'exists' : 'notexists';
      out.push({ key: String(e.key), op: mapped, values });
    }
  }
  return out;
}

export function labelSelectorString(sel: unknown): string {
  const reqs = fromLabelSelectorObject(sel);
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.values[0]}`;
        case 'in':
          return `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}

interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

export type FieldSelector = FieldRequirement[];

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const EXTRA_FIELDS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  replicasets: ['status.replicas'],
  jobs: ['status.successful'],
  persistentvolumeclaims: ['spec.volumeName'],
};

/** Parses a fieldSelector, rejecting fields the resource does not support (400). */
export function parseFieldSelector(
  input: string | null | undefined,
  resource: string,
): FieldSelector {
  if (!input) return [];
  const allowed = new Set([...COMMON_FIELDS, ...(EXTRA_FIELDS[resource] ?? [])]);
  const out: FieldSelector = [];
  for (const part of input
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m?.[1] || !m[2])
      throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    const field = m[1].trim();
    if (!allowed.has(field)) throw badRequest(`field label not supported: ${field}`);
    out.push({ field, value: (m[3] ?? '').trim(), negate: m[2] === '!=' });
  }
  return out;
}

function fieldValue(obj: unknown, field: string): string {
  if (field === 'source') return String(pathGet(obj, 'source.component') ?? '');
  if (field === 'status.successful') return String(pathGet(obj, 'status.succeeded') ?? '0');
  const v = pathGet(obj, field);
  if (v === undefined || v === null) {
    if (field === 'spec.hostNetwork' || field === 'spec.unschedulable') return 'false';
    return '';
  }
  return String(v);
}

export function matchFields(selector: FieldSelector, obj: unknown): boolean {
  for (const r of selector) {
    const v = fieldValue(obj, r.field);
    if (r.negate ? v === r.value : v !== r.value) return false;
  }
  return true;
}

/** The metadata.name=X value of a selector, used for authorization like the real RequestInfo. */
export function nameFromFieldSelector(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  for (const part of input.split(',')) {
    const m = /^\s*metadata\.name\s*(==|=)\s*(.*)$/.exec(part);
    if (m) return (m[2] ?? '').trim();
  }
  return undefined;
}

/** Only name/namespace selectors can be answered from metadata without parsing the object. */
export function needsObject(selector: FieldSelector): boolean {
  return selector.some((r) => !COMMON_FIELDS.includes(r.field));
}
