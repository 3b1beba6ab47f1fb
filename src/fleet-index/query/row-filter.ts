/**
 * A fleet filter prepared once per query: lowercased texts, phase sets, parsed label
 * requirements, and the namespaces of the projects it names, per cluster. `matches` is the
 * whole test of one row; the planner only ever uses the indexes to skip rows that could not
 * pass it, never to let one through.
 */
import type { FleetFilter } from '../../domain/fleet-index.js';
import type { KubeObject } from '../../domain/kube-api.js';
import {
  type LabelRequirement,
  matchesLabels,
  parseLabelSelector,
} from '../../domain/label-selector.js';
import type { Row } from '../table/row.js';

export interface PreparedFilter {
  readonly labels: readonly LabelRequirement[];
  readonly namespaces?: ReadonlySet<string>;
  /** Per cluster, the namespaces of the filtered projects; absent when no project is named. */
  readonly projectNamespaces?: (clusterId: string) => ReadonlySet<string>;
  readonly nameContains?: string;
  readonly namePrefix?: string;
  readonly search?: string;
  readonly phases?: ReadonlySet<string>;
  readonly notPhases?: ReadonlySet<string>;
  readonly ready?: boolean;
  readonly minRestarts?: number;
  readonly where?: (object: KubeObject) => boolean;
}

export function prepareFilter(
  filter: FleetFilter,
  projectNamespaces: ((clusterId: string) => ReadonlySet<string>) | undefined,
  where: ((object: KubeObject) => boolean) | undefined,
): PreparedFilter {
  const text = (s: string | undefined) =>
    s === undefined || s === '' ? undefined : s.toLowerCase();
  const nameContains = text(filter.nameContains);
  const search = text(filter.search);
  return {
    labels: filter.labelSelector ? parseLabelSelector(filter.labelSelector) : [],
    ...(filter.namespaces ? { namespaces: new Set(filter.namespaces) } : {}),
    ...(projectNamespaces ? { projectNamespaces } : {}),
    ...(nameContains === undefined ? {} : { nameContains }),
    ...(filter.namePrefix ? { namePrefix: filter.namePrefix } : {}),
    ...(search === undefined ? {} : { search }),
    ...(filter.phases ? { phases: new Set(filter.phases) } : {}),
    ...(filter.notPhases ? { notPhases: new Set(filter.notPhases) } : {}),
    ...(filter.ready === undefined || filter.ready === null ? {} : { ready: filter.ready }),
    ...(filter.minRestarts === undefined || filter.minRestarts === null
      ? {}
      : { minRestarts: filter.minRestarts }),
    ...(where ? { where } : {}),
  };
}

function searchHits(row: Row, text: string): boolean {
  if (row.name.toLowerCase().includes(text) || row.namespace.includes(text)) return true;
  for (const v of Object.values(row.labels)) if (v.toLowerCase().includes(text)) return true;
  return false;
}

/** Whether a row passes every condition of the filter (authorization is checked apart). */
export function matchesFilter(f: PreparedFilter, row: Row): boolean {
  if (f.namespaces !== undefined && !f.namespaces.has(row.namespace)) return false;
  if (f.projectNamespaces !== undefined && !f.projectNamespaces(row.clusterId).has(row.namespace))
    return false;
  if (f.phases !== undefined && !f.phases.has(row.phase)) return false;
  if (f.notPhases?.has(row.phase)) return false;
  if (f.ready !== undefined && row.ready !== f.ready) return false;
  if (f.minRestarts !== undefined && row.restarts < f.minRestarts) return false;
  if (f.namePrefix !== undefined && !row.name.startsWith(f.namePrefix)) return false;
  if (f.nameContains !== undefined && !row.name.toLowerCase().includes(f.nameContains))
    return false;
  if (f.labels.length > 0 && !matchesLabels(f.labels, row.labels)) return false;
  if (f.search !== undefined && !searchHits(row, f.search)) return false;
  if (f.where !== undefined && !f.where(row.object)) return false;
  return true;
}
