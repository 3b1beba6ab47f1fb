import { expect } from 'chai';
import {
  allocateNamespaceQuotas,
  assertQuotaFits,
  assertQuotaValid,
  namespaceProject,
  parseQuantity,
  projectLabelValue,
} from '../../../src/rbac/index.js';
import { project } from './fixtures.js';

describe('project quotas and labels', () => {
  it('parses Kubernetes quantities exactly', () => {
    expect(parseQuantity('500m')).to.equal(500n);
    expect(parseQuantity('2')).to.equal(2000n);
    expect(parseQuantity('1.5Gi')).to.equal(1536n * 1024n * 1024n * 1000n);
    expect(parseQuantity('1e3')).to.equal(1_000_000n);
    expect(() => parseQuantity('12abc')).to.throw(/invalid quantity/);
  });

  it('refuses a namespace default larger than the project limit or naming other resources', () => {
    expect(() =>
      assertQuotaValid({ limit: { pods: '10' }, namespaceDefault: { pods: '11' } }),
    ).to.throw(/exceeds/);
    expect(() =>
      assertQuotaValid({ limit: { pods: '10' }, namespaceDefault: { services: '1' } }),
    ).to.throw(/exactly/);
    expect(() =>
      assertQuotaValid({ limit: { bogus: '1' }, namespaceDefault: { bogus: '1' } }),
    ).to.throw(/not a quota/);
    assertQuotaValid({
      limit: { pods: '10', 'limits.cpu': '4' },
      namespaceDefault: { pods: '5', 'limits.cpu': '2' },
    });
  });

  it('refuses a quota the current namespaces do not fit in', () => {
    expect(() =>
      assertQuotaFits({ limit: { pods: '10' }, namespaceDefault: { pods: '4' } }, 3),
    ).to.throw(/need pods/);
    assertQuotaFits({ limit: { pods: '12' }, namespaceDefault: { pods: '4' } }, 3);
  });

  it('gives namespaces beyond the project total a zero quota, in name order', () => {
    const p = project('p-a', 'c1', {
      quota: { limit: { pods: '10' }, namespaceDefault: { pods: '4' } },
    });
    const quotas = allocateNamespaceQuotas(p, ['c', 'a', 'b']);
    expect(quotas.map((q) => [q.namespace, q.hard.pods, !!q.exceeded])).to.deep.equal([
      ['a', '4', false],
      ['b', '4', false],
      ['c', '0', true],
    ]);
  });

  it('encodes the project in a label value without a colon and reads either form back', () => {
    const ref = { clusterId: 'c-one', projectId: 'p-abc12' };
    expect(projectLabelValue(ref)).to.equal('c-one_p-abc12');
    expect(projectLabelValue(ref)).to.match(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
    expect(
      namespaceProject({ labels: { 'paddock.io/project-id': 'c-one_p-abc12' }, annotations: {} }),
    ).to.deep.equal(ref);
    expect(
      namespaceProject({ labels: {}, annotations: { 'paddock.io/project-id': 'c-one:p-abc12' } }),
    ).to.deep.equal(ref);
    expect(
      namespaceProject({ labels: { 'paddock.io/project-id': 'garbage' }, annotations: {} }),
    ).to.equal(undefined);
  });
});
