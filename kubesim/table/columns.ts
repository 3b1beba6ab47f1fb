// Table column definitions per resource, as registered by the apiserver's printers
// (pkg/printers/internalversion) for v1.32.

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

type Spec = [name: string, type?: string, priority?: number, description?: string];

function cols(...specs: Spec[]): ColumnDefinition[] {
  return specs.map(([name, type = 'string', priority = 0, description]) => ({
    name,
    type,
    format: name === 'Name' ? 'name' : '',
    description: description ?? (name === 'Age' ? CREATED_DOC : name === 'Name' ? NAME_DOC : name),
    priority,
  }));
}

const TEMPLATE: Spec[] = [
  ['Containers', 'string', 1, 'Names of each container in the template.'],
  ['Images', 'string', 1, 'Images referenced by each container in the template.'],
];

export const DEFAULT_COLUMNS: ColumnDefinition[] = [
  ...cols(['Name']),
  { name: 'Created At', type: 'date', format: '', description: CREATED_DOC, priority: 0 },
];

export const COLUMNS: Record<string, ColumnDefinition[]> = {
  pods: cols(
    ['Name'],
    ['Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'],
    ['Status', 'string', 0, 'The aggregate status of the containers in this pod.'],
    [
      'Restarts',
      'string',
      0,
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ],
    ['Age'],
    ['IP', 'string', 1, 'podIP is the IP address allocated to the pod.'],
    ['Node', 'string', 1, 'NodeName indicates in which node this pod is scheduled.'],
    [
      'Nominated Node',
      'string',
      1,
      'nominatedNodeName is set only when this pod preempts other pods on the node.',
    ],
    [
      'Readiness Gates',
      'string',
      1,
      'If specified, all readiness gates will be evaluated for pod readiness.',
    ],
  ),
  nodes: cols(
    ['Name'],
    ['Status', 'string', 0, 'The status of the node'],
    ['Roles', 'string', 0, 'The roles of the node'],
    ['Age'],
    ['Version', 'string', 0, 'Kubelet Version reported by the node.'],
    ['Internal-IP', 'string', 1, 'List of addresses reachable to the node.'],
    ['External-IP', 'string', 1, 'List of addresses reachable to the node.'],
    [
      'OS-Image',
      'string',
      1,
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
    ],
    [
      'Kernel-Version',
      'string',
      1,
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    ],
    [
      'Container-Runtime',
      'string',
      1,
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    ],
  ),
  namespaces: cols(['Name'], ['Status', 'string', 0, 'The status of the namespace'], ['Age']),
  services: cols(
    ['Name'],
    ['Type'],
    ['Cluster-IP'],
    ['External-IP'],
    ['Port(s)'],
    ['Age'],
    ['Selector', 'string', 1],
  ),
  endpoints: cols(['Name'], ['Endpoints'], ['Age']),
  'endpointslices.discovery.k8s.io': cols(
    ['Name'],
    ['AddressType'],
    ['Ports'],
    ['Endpoints'],
    ['Age'],
  ),
  configmaps: cols(['Name'], ['Data'], ['Age']),
  secrets: cols(['Name'], ['Type'], ['Data'], ['Age']),
  serviceaccounts: cols(['Name'], ['Secrets'], ['Age']),
  events: cols(
    ['Last Seen'],
    ['Type'],
    ['Reason'],
    ['Object'],
    ['Subobject', 'string', 1],
    ['Source', 'string', 1],
    ['Message'],
    ['First Seen', 'string', 1],
    ['Count', 'string', 1],
    ['Name', 'string', 1],
  ),
  persistentvolumes: cols(
    ['Name'],
    ['Capacity'],
    ['Access Modes'],
    ['Reclaim Policy'],
    ['Status'],
    ['Claim'],
    ['StorageClass', 'string', 0, 'StorageClass of the pv'],
    ['VolumeAttributesClass', 'string', 0, 'VolumeAttributesClass of the pv'],
    ['Reason'],
    ['Age'],
    ['VolumeMode', 'string', 1],
  ),
  persistentvolumeclaims: cols(
    ['Name'],
    ['Status'],
    ['Volume'],
    ['Capacity'],
    ['Access Modes'],
    ['StorageClass', 'string', 0, 'StorageClass of the pvc'],
    ['VolumeAttributesClass', 'string', 0, 'VolumeAttributesClass of the pvc'],
    ['Age'],
    ['VolumeMode', 'string', 1],
  ),
  resourcequotas: cols(['Name'], ['Age'], ['Request'], ['Limit']),
  'deployments.apps': cols(
    ['Name'],
    ['Ready', 'string', 0, 'Number of the pod with ready state'],
    [
      'Up-to-date',
      'string',
      0,
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ],
    [
      'Available',
      'string',
      0,
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ],
    ['Age'],
    ...TEMPLATE,
    ['Selector', 'string', 1],
  ),
  'replicasets.apps': cols(
    ['Name'],
    ['Desired', 'integer'],
    ['Current', 'integer'],
    ['Ready', 'integer'],
    ['Age'],
    ...TEMPLATE,
    ['Selector', 'string', 1],
  ),
  'statefulsets.apps': cols(
    ['Name'],
    ['Ready', 'string', 0, 'Number of the pod with ready state'],
    ['Age'],
    ...TEMPLATE,
  ),
  'daemonsets.apps': cols(
    ['Name'],
    ['Desired', 'integer'],
    ['Current', 'integer'],
    ['Ready', 'integer'],
    ['Up-to-date', 'integer'],
    ['Available', 'integer'],
    ['Node Selector'],
    ['Age'],
    ...TEMPLATE,
    ['Selector', 'string', 1],
  ),
  'controllerrevisions.apps': cols(['Name'], ['Controller'], ['Revision'], ['Age']),
  'jobs.batch': cols(
    ['Name'],
    ['Status'],
    ['Completions'],
    ['Duration', 'string', 0, 'Time required to complete the job.'],
    ['Age'],
    ...TEMPLATE,
    ['Selector', 'string', 1],
  ),
  'cronjobs.batch': cols(
    ['Name'],
    ['Schedule'],
    ['Timezone'],
    ['Suspend', 'boolean'],
    ['Active', 'integer'],
    ['Last Schedule'],
    ['Age'],
    ...TEMPLATE,
    ['Selector', 'string', 1],
  ),
  'ingresses.networking.k8s.io': cols(
    ['Name'],
    ['Class'],
    ['Hosts'],
    ['Address'],
    ['Ports'],
    ['Age'],
  ),
  'ingressclasses.networking.k8s.io': cols(['Name'], ['Controller'], ['Parameters'], ['Age']),
  'networkpolicies.networking.k8s.io': cols(['Name'], ['Pod-Selector'], ['Age']),
  'rolebindings.rbac.authorization.k8s.io': cols(
    ['Name'],
    ['Role'],
    ['Age'],
    ['Users', 'string', 1, 'Users in the roleBinding'],
    ['Groups', 'string', 1, 'Groups in the roleBinding'],
    ['ServiceAccounts', 'string', 1, 'ServiceAccounts in the roleBinding'],
  ),
  'clusterrolebindings.rbac.authorization.k8s.io': cols(
    ['Name'],
    ['Role'],
    ['Age'],
    ['Users', 'string', 1, 'Users in the clusterRoleBinding'],
    ['Groups', 'string', 1, 'Groups in the clusterRoleBinding'],
    ['ServiceAccounts', 'string', 1, 'ServiceAccounts in the clusterRoleBinding'],
  ),
  'storageclasses.storage.k8s.io': cols(
    ['Name'],
    ['Provisioner'],
    ['ReclaimPolicy'],
    ['VolumeBindingMode'],
    ['AllowVolumeExpansion'],
    ['Age'],
  ),
  'leases.coordination.k8s.io': cols(['Name'], ['Holder'], ['Age']),
  'customresourcedefinitions.apiextensions.k8s.io': DEFAULT_COLUMNS,
};
