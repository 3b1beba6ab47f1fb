/** Validation of where a release lives: cluster id, namespace and Helm release name. */
import { PaddockError } from '../../errors/index.js';
import type { HelmTarget } from '../helm/helm-actions.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Helm's release name rule (a DNS-1123 subdomain of at most 53 characters). */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalid(field: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${field}: ${message}`, {
    reason: 'invalid_input',
    details: { field },
  });
}

export function validateTarget(t: {
  clusterId: string;
  namespace: string;
  name: string;
}): HelmTarget {
  if (t.clusterId.trim() === '') throw invalid('clusterId', 'must not be empty');
  if (t.namespace.length > 63 || !DNS_LABEL.test(t.namespace)) {
    throw invalid('namespace', 'must be a DNS label (lowercase letters, digits, "-")');
  }
  if (t.name.length > 53 || !RELEASE_NAME.test(t.name)) {
    throw invalid('name', 'a release name is lowercase letters, digits, "-" and ".", at most 53');
  }
  return { clusterId: t.clusterId, namespace: t.namespace, name: t.name };
}
