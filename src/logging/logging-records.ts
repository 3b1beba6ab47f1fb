/** Logging targets in the store, secrets sealed and bound to `logging-target:<id>/<field>`. */
import type { ToolScope } from '../domain/alerting.js';
import type { LoggingTargetKind } from '../domain/logging.js';
import type { CollectionSpec } from '../domain/store.js';

export interface LoggingTargetRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: ToolScope;
  readonly kind: LoggingTargetKind;
  readonly settings: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly sealedSecrets: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const loggingTargetsCollection: CollectionSpec<LoggingTargetRecord> = {
  name: 'logging-targets',
  indexes: {
    cluster: { key: (t) => t.scope.clusterId },
    name: { key: (t) => `${t.scope.clusterId}/${t.scope.projectId ?? ''}/${t.name}`, unique: true },
  },
};

export const loggingCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  loggingTargetsCollection as CollectionSpec<unknown>,
];

export const loggingSecretPlace = (id: string, field: string) => `logging-target:${id}/${field}`;

/** The collector's environment variable carrying one secret of one target. */
export const secretEnvName = (id: string, field: string) =>
  `PADDOCK_${id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}_${field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
