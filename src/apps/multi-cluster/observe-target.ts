/**
 * What one target of a multi-cluster app looks like now, read as the owner: in sync with the
 * spec, missing or out of date (to deploy), changed outside Paddock (drifted, to put back),
 * unreachable (its cluster's error), or refused to the owner (which suspends the app).
 */
import type { Identity } from '../../domain/identity.js';
import { isKubeApiError, type KubeApi } from '../../domain/kube-api.js';
import type { AppsAccess } from '../apps-access.js';
import type { ResolvedChart } from '../catalogs/catalog-service.js';
import { decodeRelease } from '../releases/release-codec.js';
import type { ReleaseReader } from '../releases/release-reader.js';
import type { HelmReleaseService } from '../releases/release-service.js';
import { mergeValues, type Values } from '../values/values-input.js';
import type { McaRecord, McaStatusRecord, TargetSpec, TargetStatus } from './mca-records.js';
import { targetKey } from './mca-records.js';
import type { ObservedTarget } from './rollout-plan.js';
import { stableJson } from './stable-json.js';

export interface ObserveDeps {
  readonly kubeApi: KubeApi;
  readonly reader: ReleaseReader;
  readonly access: AppsAccess;
  readonly releases: Pick<HelmReleaseService, 'prepareValues'>;
  readonly now: () => number;
}

export interface Observation extends ObservedTarget {
  readonly spec: TargetSpec;
  /** The values to deploy there (the app's with the target's overrides, registry applied). */
  readonly values?: Values;
  readonly status: TargetStatus;
  /** Set when the owner may no longer install there. */
  readonly denied?: string;
}

/** A release left `pending-*` longer than this is treated as abandoned (Helm then says so). */
const BUSY_FOR_AT_MOST_MS = 10 * 60_000;

export function why(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function observeTarget(
  d: ObserveDeps,
  app: McaRecord,
  identity: Identity,
  chart: ResolvedChart,
  spec: TargetSpec,
  status: McaStatusRecord,
): Promise<Observation> {
  const key = targetKey(spec);
  const prev = status.targets[key];
  const base = {
    key,
    spec,
    state: prev?.state ?? 'pending',
    ...(prev?.state === 'failed' ? { failedAt: prev.updatedAt } : {}),
  } as const;
  const now = d.now();
  let values: Values;
  try {
    values = await d.releases.prepareValues(chart.archive, mergeValues(app.values, spec.values));
  } catch (err) {
    return {
      ...base,
      inSync: false,
      unreachable: true,
      status: { state: 'failed', message: why(err), updatedAt: now },
    };
  }
  try {
    const may = await d.access.mayInstall(identity, spec.clusterId, spec.namespace);
    if (!may.allowed) {
      const message = `owner may not create secrets in ${key}${may.reason ? ` (${may.reason})` : ''}`;
      return {
        ...base,
        inSync: false,
        unreachable: true,
        values,
        denied: message,
        status: { state: 'failed', message, updatedAt: now },
      };
    }
    const client = d.kubeApi.forCaller(identity);
    const revisions = await d.reader.revisions(client, spec.clusterId, spec.namespace, app.name);
    const newest = revisions[0];
    if (newest === undefined || newest.facts.status === 'uninstalled') {
      return {
        ...base,
        inSync: false,
        unreachable: false,
        values,
        status: {
          ...(prev ?? {}),
          state: prev?.state === 'failed' ? 'failed' : 'pending',
          updatedAt: prev?.updatedAt ?? now,
        } as TargetStatus,
      };
    }
    const release = decodeRelease(newest.secret);
    const helmStatus = release.info.status ?? newest.facts.status;
    const lastDeployed = Date.parse(release.info.last_deployed ?? '');
    if (helmStatus.startsWith('pending-') && !(now - lastDeployed > BUSY_FOR_AT_MOST_MS)) {
      // Someone's Helm operation is running there: wait for it rather than race it.
      return {
        ...base,
        inSync: false,
        unreachable: true,
        values,
        status: {
          ...(prev ?? { state: 'pending', updatedAt: now }),
          message: `waiting: another Helm operation is in progress (${helmStatus})`,
        },
      };
    }
    const inSync =
      (release.info.status ?? newest.facts.status) === 'deployed' &&
      release.chart.metadata.version === app.version &&
      stableJson(release.config ?? {}) === stableJson(values);
    if (inSync) {
      return {
        ...base,
        inSync,
        unreachable: false,
        values,
        status: {
          state: 'deployed',
          ...(prev?.state === 'deployed' &&
          prev.message?.startsWith('restored') &&
          prev.specRevision === app.specRevision
            ? { message: prev.message }
            : {}),
          releaseRevision: release.version,
          chartVersion: release.chart.metadata.version,
          specRevision: app.specRevision,
          updatedAt: prev?.state === 'deployed' ? prev.updatedAt : now,
        },
      };
    }
    // Deployed for this very spec and now different: someone changed it outside Paddock.
    const drifted = prev?.state === 'deployed' && prev.specRevision === app.specRevision;
    const state = drifted ? 'drifted' : prev?.state === 'failed' ? 'failed' : 'pending';
    return {
      ...base,
      state,
      inSync,
      unreachable: false,
      values,
      status: {
        state,
        ...(drifted
          ? {
              message: `changed outside Paddock: now revision ${release.version} (${release.info.description ?? release.info.status})`,
            }
          : prev?.message === undefined
            ? {}
            : { message: prev.message }),
        releaseRevision: release.version,
        chartVersion: release.chart.metadata.version,
        updatedAt: drifted || prev === undefined ? now : prev.updatedAt,
      },
    };
  } catch (err) {
    const message = isKubeApiError(err) ? `cluster ${spec.clusterId}: ${err.message}` : why(err);
    return {
      ...base,
      inSync: false,
      unreachable: true,
      values,
      status: { state: 'failed', message, updatedAt: now },
    };
  }
}
