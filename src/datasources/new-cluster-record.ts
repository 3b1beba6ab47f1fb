/** Building cluster records (tokens sealed to their place) and the summaries shown of them. */
import type { ClusterHealth, ClusterImportMethod, ClusterSummary } from '../domain/cluster.js';
import type { SecretBox } from '../domain/secret-box.js';
import {
  type ClusterEndpointInput,
  validateCa,
  validateEndpoint,
  validateName,
} from './cluster-input.js';
import { type ClusterRecord, credentialPlace } from './cluster-records.js';

/** A record with a validated endpoint and both tokens sealed; `now` is created and updated. */
export function newClusterRecord(
  box: SecretBox,
  now: number,
  id: string,
  name: string,
  description: string | undefined,
  importMethod: ClusterImportMethod,
  input: ClusterEndpointInput & { impersonatorToken: string; managerToken: string },
): ClusterRecord {
  return {
    id,
    name: validateName(name),
    description: description ?? '',
    importMethod,
    endpoint: validateEndpoint(input.endpoint),
    caPem: validateCa(input.caPem),
    tlsServerName: input.tlsServerName,
    dangerouslySkipTlsVerify: input.dangerouslySkipTlsVerify === true,
    impersonatorToken: box.seal(input.impersonatorToken, credentialPlace(id, 'impersonatorToken')),
    managerToken: box.seal(input.managerToken, credentialPlace(id, 'managerToken')),
    createdAt: now,
    updatedAt: now,
  };
}

/** An API import records its creator; every new import waits to be found active (the sweep). */
export function importedBy(createdBy: string | undefined): Partial<ClusterRecord> {
  return { awaitingActive: true, ...(createdBy === undefined ? {} : { createdBy }) };
}

/** What lists and the API show: no credentials. */
export function summaryOf(record: ClusterRecord, health: ClusterHealth): ClusterSummary {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    endpoint: record.endpoint,
    importMethod: record.importMethod,
    transport: record.transport ?? 'direct',
    dangerouslySkipTlsVerify: record.dangerouslySkipTlsVerify,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    health,
    ...(record.createdBy === undefined ? {} : { createdBy: record.createdBy }),
  };
}
