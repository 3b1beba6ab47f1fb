// Builds meta.k8s.io Table responses (kubectl get's default wire format): server-side columns,
// one row per object, and the row object as PartialObjectMetadata unless includeObject says
// otherwise.

import type { ResourceType } from '../api/resources.js';
import { typeKey } from '../api/resources.js';
import { asObject, type JsonObject } from '../storage/types.js';
import { COLUMNS, type ColumnDefinition, DEFAULT_COLUMNS } from './columns.js';
import { since } from './format.js';
import { type Cell, CORE_ROWS, type RowFn } from './rows-core.js';
import { OTHER_ROWS } from './rows-other.js';

const ROWS: Record<string, RowFn> = { ...CORE_ROWS, ...OTHER_ROWS };

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface CustomColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  description?: string;
  format?: string;
}

function defaultRow(o: JsonObject): Cell[] {
  const meta = asObject(o.metadata);
  return [String(meta.name ?? ''), String(meta.creationTimestamp ?? '')];
}

function evalJsonPath(o: JsonObject, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (part === '') continue;
    const m = /^(\w[\w-]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m) return undefined;
    cur = asObject(cur)[m[1] ?? ''];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  return cur;
}

export interface TableOptions {
  now: Date;
  includeObject: IncludeObject;
  apiVersion: string;
  kind: string;
  /** additionalPrinterColumns of a CRD version */
  customColumns?: CustomColumn[];
}

function columnsFor(t: ResourceType, opts: TableOptions): ColumnDefinition[] {
  if (opts.customColumns && opts.customColumns.length > 0) {
    return [
      DEFAULT_COLUMNS[0] as ColumnDefinition,
      ...opts.customColumns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ];
  }
  return COLUMNS[typeKey(t.group, t.resource)] ?? DEFAULT_COLUMNS;
}

function rowFor(t: ResourceType, o: JsonObject, opts: TableOptions): JsonObject {
  let cells: Cell[];
  let conditions: unknown[] | undefined;
  if (opts.customColumns && opts.customColumns.length > 0) {
    const meta = asObject(o.metadata);
    cells = [
      String(meta.name ?? ''),
      ...opts.customColumns.map((c) => {
        const v = evalJsonPath(o, c.jsonPath);
        if (c.type === 'date' && typeof v === 'string') return since(v, opts.now);
        return v === undefined || v === null ? '' : (v as Cell);
      }),
    ];
  } else {
    const fn = ROWS[typeKey(t.group, t.resource)];
    if (fn) {
      const r = fn(o, opts.now);
      cells = r.cells;
      conditions = r.conditions;
    } else cells = defaultRow(o);
  }
  const row: JsonObject = { cells };
  if (conditions) row.conditions = conditions;
  if (opts.includeObject === 'Metadata') {
    row.object = {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: o.metadata,
    };
  } else if (opts.includeObject === 'Object') {
    row.object = { kind: opts.kind, apiVersion: opts.apiVersion, ...o };
  }
  return row;
}

/** A Table for a list (or single object) of one resource type. */
export function buildTable(
  t: ResourceType,
  objects: JsonObject[],
  listMeta: JsonObject,
  opts: TableOptions,
  tableVersion = 'v1',
  withColumns = true,
): JsonObject {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${tableVersion}`,
    metadata: listMeta,
    columnDefinitions: withColumns ? columnsFor(t, opts) : null,
    rows: objects.map((o) => rowFor(t, o, opts)),
  };
}
