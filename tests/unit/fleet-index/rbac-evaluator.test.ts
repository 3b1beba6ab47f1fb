import { expect } from 'chai';
import type { KubeObject } from '../../../src/domain/kube-api.js';
import {
  ClusterRbac,
  RbacEvaluator,
  type RbacKind,
  scopeAllows,
} from '../../../src/fleet-index/authorization/index.js';
import { ruleAllows } from '../../../src/rbac/policy-rule.js';

const G = 'rbac.authorization.k8s.io';
type Rule = Record<string, string[]>;

function role(name: string, rules: Rule[], namespace?: string): KubeObject {
  return { metadata: { name, ...(namespace ? { namespace } : {}) }, rules };
}
function binding(
  name: string,
  ref: [kind: string, name: string],
  subjects: Record<string, string>[],
  namespace?: string,
): KubeObject {
  return {
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: G, kind: ref[0], name: ref[1] },
    subjects,
  };
}

function cluster(objects: [RbacKind, KubeObject][]) {
  const rbac = new ClusterRbac();
  for (const [kind, o] of objects) rbac.apply(kind, 'ADDED', o);
  return { rbac, evaluator: new RbacEvaluator(rbac) };
}

const alice = { name: 'alice', groups: ['system:authenticated'] };
const podReader: Rule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] };

describe('fleet index RBAC evaluator', () => {
  it('matches a rule only on verb, group, resource and name together (RuleAllows)', () => {
    const rule = {
      verbs: ['list'],
      apiGroups: ['apps'],
      resources: ['deployments'],
      resourceNames: [],
      nonResourceURLs: [],
    };
    expect(
      ruleAllows(
        { kind: 'resource', verb: 'list', apiGroup: 'apps', resource: 'deployments' },
        rule,
      ),
    ).to.equal(true);
    expect(
      ruleAllows(
        { kind: 'resource', verb: 'watch', apiGroup: 'apps', resource: 'deployments' },
        rule,
      ),
    ).to.equal(false);
    expect(
      ruleAllows({ kind: 'resource', verb: 'list', apiGroup: '', resource: 'deployments' }, rule),
    ).to.equal(false);
    expect(
      ruleAllows(
        {
          kind: 'resource',
          verb: 'list',
          apiGroup: 'apps',
          resource: 'deployments',
          subresource: 'scale',
        },
        rule,
      ),
    ).to.equal(false);
  });

  it('lets `*` match any verb, group and resource, subresources included, and `*/scale` any scale subresource', () => {
    const all = {
      verbs: ['*'],
      apiGroups: ['*'],
      resources: ['*'],
      resourceNames: [],
      nonResourceURLs: [],
    };
    expect(
      ruleAllows({ kind: 'resource', verb: 'list', apiGroup: 'x.io', resource: 'widgets' }, all),
    ).to.equal(true);
    expect(
      ruleAllows(
        { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log' },
        all,
      ),
    ).to.equal(true);
    const scale = { ...all, resources: ['*/scale'] };
    expect(
      ruleAllows(
        {
          kind: 'resource',
          verb: 'get',
          apiGroup: 'apps',
          resource: 'deployments',
          subresource: 'scale',
        },
        scale,
      ),
    ).to.equal(true);
    expect(
      ruleAllows(
        { kind: 'resource', verb: 'get', apiGroup: 'apps', resource: 'deployments' },
        scale,
      ),
    ).to.equal(false);
    expect(
      ruleAllows(
        { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'xscale' },
        { ...all, resources: ['*/scale'] },
      ),
    ).to.equal(false);
  });

  it('never authorizes a list through a rule limited to resource names, unless it names "" (ResourceNameMatches)', () => {
    const named = {
      verbs: ['list'],
      apiGroups: [''],
      resources: ['pods'],
      resourceNames: ['web'],
      nonResourceURLs: [],
    };
    expect(
      ruleAllows({ kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods' }, named),
    ).to.equal(false);
    expect(
      ruleAllows(
        { kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods', name: 'web' },
        named,
      ),
    ).to.equal(true);
    const empty = { ...named, resourceNames: [''] };
    expect(
      ruleAllows({ kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods' }, empty),
    ).to.equal(true);
  });

  it('grants a ClusterRole through a RoleBinding only in the binding namespace (RBAC docs: RoleBinding of a ClusterRole)', () => {
    const { evaluator } = cluster([
      ['clusterroles', role('pod-reader', [podReader])],
      [
        'rolebindings',
        binding('read', ['ClusterRole', 'pod-reader'], [{ kind: 'User', name: 'alice' }], 'shop'),
      ],
    ]);
    const scope = evaluator.scope(alice, 'list', '', 'pods');
    expect(scope.all).to.equal(false);
    expect([...scope.namespaces]).to.deep.equal(['shop']);
    expect(
      evaluator.authorize(alice, {
        verb: 'list',
        apiGroup: '',
        resource: 'pods',
        namespace: 'shop',
      }).allowed,
    ).to.equal(true);
    expect(
      evaluator.authorize(alice, {
        verb: 'list',
        apiGroup: '',
        resource: 'pods',
        namespace: 'payments',
      }).allowed,
    ).to.equal(false);
    expect(
      evaluator.authorize(alice, { verb: 'list', apiGroup: '', resource: 'pods' }).allowed,
    ).to.equal(false);
  });

  it('grants everywhere through a ClusterRoleBinding, including the cluster scope', () => {
    const { evaluator } = cluster([
      ['clusterroles', role('pod-reader', [podReader])],
      [
        'clusterrolebindings',
        binding('read', ['ClusterRole', 'pod-reader'], [{ kind: 'Group', name: 'devs' }]),
      ],
    ]);
    const dev = { name: 'bob', groups: ['devs', 'system:authenticated'] };
    expect(evaluator.scope(dev, 'list', '', 'pods').all).to.equal(true);
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(false);
    expect(scopeAllows(evaluator.scope(dev, 'list', '', 'pods'), 'anything')).to.equal(true);
  });

  it('binds system:authenticated to every signed-in caller', () => {
    const { evaluator } = cluster([
      ['clusterroles', role('pod-reader', [podReader])],
      [
        'rolebindings',
        binding(
          'all',
          ['ClusterRole', 'pod-reader'],
          [{ kind: 'Group', name: 'system:authenticated' }],
          'public',
        ),
      ],
    ]);
    expect([...evaluator.scope(alice, 'watch', '', 'pods').namespaces]).to.deep.equal(['public']);
    expect(
      evaluator.scope({ name: 'anon', groups: [] }, 'watch', '', 'pods').namespaces.size,
    ).to.equal(0);
  });

  it('uses a Role only in its own namespace, and a ClusterRoleBinding cannot use a Role at all', () => {
    const { evaluator } = cluster([
      ['roles', role('reader', [podReader], 'shop')],
      ['rolebindings', binding('a', ['Role', 'reader'], [{ kind: 'User', name: 'alice' }], 'shop')],
      [
        'rolebindings',
        binding('b', ['Role', 'reader'], [{ kind: 'User', name: 'alice' }], 'payments'),
      ],
      ['clusterrolebindings', binding('c', ['Role', 'reader'], [{ kind: 'User', name: 'alice' }])],
    ]);
    const scope = evaluator.scope(alice, 'list', '', 'pods');
    expect(scope.all).to.equal(false);
    expect([...scope.namespaces]).to.deep.equal(['shop']);
  });

  it('grants nothing through a binding whose role is missing, and starts granting when it appears', () => {
    const { rbac, evaluator } = cluster([
      [
        'rolebindings',
        binding('a', ['ClusterRole', 'later'], [{ kind: 'User', name: 'alice' }], 'shop'),
      ],
    ]);
    expect(evaluator.scope(alice, 'list', '', 'pods').namespaces.size).to.equal(0);
    rbac.apply('clusterroles', 'ADDED', role('later', [podReader]));
    expect([...evaluator.scope(alice, 'list', '', 'pods').namespaces]).to.deep.equal(['shop']);
    rbac.apply('rolebindings', 'DELETED', binding('a', ['ClusterRole', 'later'], [], 'shop'));
    expect(evaluator.scope(alice, 'list', '', 'pods').namespaces.size).to.equal(0);
  });

  it('reads the aggregated rules the aggregation controller wrote, not the selector (RBAC docs: aggregated ClusterRoles)', () => {
    const aggregated: KubeObject = {
      metadata: { name: 'monitoring' },
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }],
      },
      rules: [],
    };
    const { rbac, evaluator } = cluster([
      ['clusterroles', aggregated],
      [
        'clusterroles',
        {
          metadata: { name: 'part', labels: { 'example.com/aggregate': 'true' } },
          rules: [podReader],
        },
      ],
      [
        'clusterrolebindings',
        binding('m', ['ClusterRole', 'monitoring'], [{ kind: 'User', name: 'alice' }]),
      ],
    ]);
    // The API server's authorizer reads .rules only: until the controller fills them, nothing.
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(false);
    rbac.apply('clusterroles', 'MODIFIED', { ...aggregated, rules: [podReader] });
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(true);
  });

  it('matches ServiceAccount subjects by namespace (defaulted to the RoleBinding namespace) and name', () => {
    const { evaluator } = cluster([
      ['clusterroles', role('pod-reader', [podReader])],
      [
        'rolebindings',
        binding(
          'a',
          ['ClusterRole', 'pod-reader'],
          [{ kind: 'ServiceAccount', name: 'ci' }],
          'shop',
        ),
      ],
      [
        'clusterrolebindings',
        binding('b', ['ClusterRole', 'pod-reader'], [{ kind: 'ServiceAccount', name: 'ci' }]),
      ],
    ]);
    const sa = { name: 'system:serviceaccount:shop:ci', groups: ['system:serviceaccounts'] };
    const scope = evaluator.scope(sa, 'list', '', 'pods');
    expect(scope.all).to.equal(false);
    expect([...scope.namespaces]).to.deep.equal(['shop']);
  });

  it('ignores subjects of unknown kinds and compares names exactly', () => {
    const { evaluator } = cluster([
      ['clusterroles', role('pod-reader', [podReader])],
      [
        'clusterrolebindings',
        binding(
          'a',
          ['ClusterRole', 'pod-reader'],
          [
            { kind: 'user', name: 'alice' },
            { kind: 'User', name: 'Alice' },
          ],
        ),
      ],
    ]);
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(false);
  });

  it('allows system:masters everything, as the privileged-group authorizer does', () => {
    const { evaluator } = cluster([]);
    const admin = { name: 'x', groups: ['system:masters'] };
    expect(evaluator.scope(admin, 'list', 'apps', 'deployments').all).to.equal(true);
    expect(
      evaluator.authorize(admin, { verb: 'delete', apiGroup: '', resource: 'nodes', name: 'n' })
        .allowed,
    ).to.equal(true);
  });

  it('forgets cached scopes when any RBAC object changes', () => {
    const { rbac, evaluator } = cluster([['clusterroles', role('pod-reader', [podReader])]]);
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(false);
    rbac.apply(
      'clusterrolebindings',
      'ADDED',
      binding('a', ['ClusterRole', 'pod-reader'], [{ kind: 'User', name: 'alice' }]),
    );
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(true);
    rbac.apply('clusterroles', 'MODIFIED', role('pod-reader', [{ ...podReader, verbs: ['get'] }]));
    expect(evaluator.scope(alice, 'list', '', 'pods').all).to.equal(false);
  });
});
