import { expect } from 'chai';
import type { DownstreamNamespace } from '../../../src/domain/rbac-downstream.js';
import { desiredClusterState } from '../../../src/rbac/index.js';
import { crb, grb, group, prb, project, stateWith, user } from './fixtures.js';

const ns = (
  name: string,
  projectLabel?: string,
  extra: Partial<DownstreamNamespace> = {},
): DownstreamNamespace => ({
  name,
  labels: projectLabel ? { 'paddock.io/project-id': projectLabel } : {},
  annotations: {},
  ...extra,
});

describe('desired downstream objects', () => {
  const state = stateWith({
    projects: [
      project('p-a', 'c1', {
        podSecurity: { enforce: 'baseline' },
        containerDefaults: { limits: { cpu: '500m' } },
        quota: { limit: { pods: '10' }, namespaceDefault: { pods: '5' } },
      }),
    ],
    globalRoleBindings: [grb('g1', 'admin', user('u-admin'))],
    clusterRoleBindings: [
      crb('b1', 'c1', 'nodes-view', group('openldap_group://cn=ops')),
      crb('b9', 'c2', 'cluster-owner', user('u-x')),
    ],
    projectRoleBindings: [prb('b2', 'c1', 'p-a', 'project-member', user('u-bob'))],
  });
  const desired = desiredClusterState('c1', state, [
    ns('a1', 'c1_p-a'),
    ns('a2', 'c1_p-a'),
    ns('other'),
  ]);

  it('pushes one flat ClusterRole per template in use, labelled as Paddock-owned', () => {
    expect(desired.objects.ClusterRole.map((o) => o.metadata.name)).to.deep.equal([
      'paddock-rt-cluster-owner',
      'paddock-rt-nodes-view',
      'paddock-rt-project-member',
    ]);
    for (const o of desired.objects.ClusterRole)
      expect(o.metadata.labels['paddock.io/owned']).to.equal('true');
  });

  it('binds cluster bindings and inherited admin roles with subjects exactly as the proxy impersonates', () => {
    const subjects = desired.objects.ClusterRoleBinding.map((o) => [
      o.metadata.name,
      (o.subjects as { kind: string; name: string }[])[0],
    ]);
    expect(subjects).to.deep.equal([
      [
        'paddock-crtb-b1',
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'openldap_group://cn=ops' },
      ],
      [
        'paddock-grb-g1-cluster-owner',
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u-admin' },
      ],
    ]);
  });

  it('puts a RoleBinding, quota and limit range in every namespace of the project and none elsewhere', () => {
    expect(
      desired.objects.RoleBinding.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    ).to.deep.equal(['a1/paddock-prtb-b2', 'a2/paddock-prtb-b2']);
    expect(desired.objects.ResourceQuota.map((o) => o.metadata.namespace)).to.deep.equal([
      'a1',
      'a2',
    ]);
    expect(desired.objects.LimitRange.map((o) => o.spec)).to.deep.equal([
      { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
      { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
    ]);
  });

  it('adds the project annotation and the Pod Security labels to the project namespaces', () => {
    const a1 = desired.namespacePatches.find((p) => p.name === 'a1');
    expect(a1?.annotations['paddock.io/project-id']).to.equal('c1:p-a');
    expect(a1?.labels['pod-security.kubernetes.io/enforce']).to.equal('baseline');
    expect(desired.namespacePatches.find((p) => p.name === 'other')).to.equal(undefined);
  });

  it('removes only the Pod Security labels Paddock set once a namespace leaves the project', () => {
    const left = desiredClusterState('c1', state, [
      ns('gone', undefined, {
        labels: {
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
        annotations: { 'paddock.io/pod-security-labels': 'pod-security.kubernetes.io/enforce' },
      }),
    ]);
    expect(left.namespacePatches).to.deep.equal([
      {
        name: 'gone',
        labels: { 'pod-security.kubernetes.io/enforce': null },
        annotations: { 'paddock.io/pod-security-labels': null },
      },
    ]);
  });
});
