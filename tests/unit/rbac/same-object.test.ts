import { expect } from 'chai';
import { sameObject } from '../../../src/datasources/rbac-sync/index.js';
import type { KubeObject } from '../../../src/rbac/index.js';

const labels = { 'paddock.io/owned': 'true' };

describe('push-down drift detection', () => {
  it('does not mistake API-server defaulting or reformatted quantities for drift', () => {
    const quota: KubeObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'a', labels },
      spec: { hard: { 'limits.memory': '1Gi', 'limits.cpu': '500m' } },
    };
    const live = {
      metadata: { name: 'q', labels: { ...labels, extra: 'x' } },
      spec: { hard: { 'limits.memory': '1073741824', 'limits.cpu': '0.5' } },
    };
    expect(sameObject(quota, live)).to.equal(true);
    const limitRange: KubeObject = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'l', namespace: 'a', labels },
      spec: { limits: [{ type: 'Container', default: { cpu: '1' } }] },
    };
    const defaulted = {
      metadata: { labels },
      spec: {
        limits: [{ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }],
      },
    };
    expect(sameObject(limitRange, defaulted)).to.equal(true);
  });

  it('sees a hand edit to rules, subjects, quota or the owned label as drift', () => {
    const role: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'r', labels },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    };
    expect(
      sameObject(role, {
        metadata: { labels },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      }),
    ).to.equal(true);
    expect(
      sameObject(role, {
        metadata: { labels },
        rules: [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }],
      }),
    ).to.equal(false);
    expect(sameObject(role, { metadata: { labels: {} }, rules: role.rules })).to.equal(false);
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'a', labels },
      subjects: [{ kind: 'User', name: 'u-1' }],
    };
    expect(
      sameObject(binding, { metadata: { labels }, subjects: [{ kind: 'User', name: 'u-2' }] }),
    ).to.equal(false);
  });
});
