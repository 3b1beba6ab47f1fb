/**
 * Pod Security Admission per project: the `pod-security.kubernetes.io/<mode>` labels (and their
 * `-version: latest`) on every namespace of the project, the modern form of the pod security
 * policies a project used to carry.
 */
import type { PodSecurity, PodSecurityLevel } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';

export const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = [
  'privileged',
  'baseline',
  'restricted',
];
const PREFIX = 'pod-security.kubernetes.io/';

/** Every label key the push-down may own on a namespace for Pod Security Admission. */
export const POD_SECURITY_LABEL_KEYS: readonly string[] = POD_SECURITY_MODES.flatMap((m) => [
  `${PREFIX}${m}`,
  `${PREFIX}${m}-version`,
]);

export function assertPodSecurityValid(podSecurity: PodSecurity): void {
  for (const mode of POD_SECURITY_MODES) {
    const level = podSecurity[mode];
    if (level !== undefined && !POD_SECURITY_LEVELS.includes(level)) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `podSecurity.${mode}: ${JSON.stringify(level)} is not one of ${POD_SECURITY_LEVELS.join(', ')}`,
        { reason: 'invalid_pod_security' },
      );
    }
  }
}

/** The labels a namespace of a project with these levels carries. */
export function podSecurityLabels(podSecurity: PodSecurity | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of POD_SECURITY_MODES) {
    const level = podSecurity?.[mode];
    if (level === undefined) continue;
    labels[`${PREFIX}${mode}`] = level;
    labels[`${PREFIX}${mode}-version`] = 'latest';
  }
  return labels;
}
