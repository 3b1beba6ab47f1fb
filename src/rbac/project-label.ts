/**
 * How a namespace says which project it belongs to (docs/adr/0009-project-label.md): the
 * annotation `paddock.io/project-id: <clusterId>:<projectId>` (Rancher's form) and the label of
 * the same key with `_` in place of `:`, because a label value may not contain `:`. Neither id
 * can contain `_`, so the label decodes without ambiguity.
 */
export const PROJECT_ID_KEY = 'paddock.io/project-id';
/** Marks every object the push-down owns; nothing without it is ever changed or deleted. */
export const OWNED_LABEL = 'paddock.io/owned';
export const PROJECT_ID_PATTERN = /^p-[a-z0-9]{1,20}$/;
const CLUSTER_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE_MAX = 63;

export interface ProjectRef {
  readonly clusterId: string;
  readonly projectId: string;
}

export function projectAnnotationValue(ref: ProjectRef): string {
  return `${ref.clusterId}:${ref.projectId}`;
}

export function projectLabelValue(ref: ProjectRef): string {
  return `${ref.clusterId}_${ref.projectId}`;
}

/** Whether a project of this cluster can be written as a label value (at most 63 characters). */
export function fitsProjectLabel(ref: ProjectRef): boolean {
  return projectLabelValue(ref).length <= LABEL_VALUE_MAX;
}

function parse(value: string | undefined, separator: string): ProjectRef | undefined {
  if (value === undefined) return undefined;
  const at = value.lastIndexOf(separator);
  if (at <= 0) return undefined;
  const clusterId = value.slice(0, at);
  const projectId = value.slice(at + 1);
  if (!CLUSTER_ID.test(clusterId) || !PROJECT_ID_PATTERN.test(projectId)) return undefined;
  return { clusterId, projectId };
}

/**
 * The project a namespace belongs to. The annotation is authoritative (it is what Rancher-style
 * tools write); the label is the selectable copy, used when only it is present.
 */
export function namespaceProject(ns: {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}): ProjectRef | undefined {
  return parse(ns.annotations[PROJECT_ID_KEY], ':') ?? parse(ns.labels[PROJECT_ID_KEY], '_');
}
