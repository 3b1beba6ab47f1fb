import { expect } from 'chai';
import type { RoleTemplate } from '../../../src/domain/rbac.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  assertInheritanceValid,
  BUILTIN_ROLE_TEMPLATES,
  flattenRules,
  ruleAllows,
  ruleProblems,
  templateMap,
} from '../../../src/rbac/index.js';

const t = (
  id: string,
  inherits: string[] = [],
  context: RoleTemplate['context'] = 'project',
): RoleTemplate => ({
  id,
  displayName: id,
  description: '',
  context,
  rules: [{ verbs: ['get'], apiGroups: [''], resources: [id] }],
  inherits,
  builtin: false,
  locked: false,
  hidden: false,
});

function expectInvalid(fn: () => void, reason: string) {
  try {
    fn();
  } catch (err) {
    expect(hasErrorCode(err, 'VALIDATION_FAILED'), String(err)).to.equal(true);
    expect((err as { reason?: string }).reason).to.equal(reason);
    return;
  }
  expect.fail('expected a validation error');
}

describe('role templates', () => {
  it('ships every built-in template ARCHITECTURE.md lists, with valid rules and no cycle', () => {
    const ids = BUILTIN_ROLE_TEMPLATES.map((x) => x.id);
    for (const id of [
      'cluster-owner',
      'cluster-member',
      'projects-create',
      'projects-view',
      'nodes-view',
      'nodes-manage',
      'storage-manage',
      'project-owner',
      'project-member',
      'read-only',
      'workloads-manage',
      'workloads-view',
      'services-manage',
      'services-view',
      'ingress-manage',
      'ingress-view',
      'configmaps-manage',
      'configmaps-view',
      'secrets-manage',
      'secrets-view',
      'persistentvolumeclaims-manage',
      'persistentvolumeclaims-view',
      'create-ns',
    ]) {
      expect(ids).to.include(id);
    }
    for (const template of BUILTIN_ROLE_TEMPLATES) {
      expect(ruleProblems(template.rules, template.context), template.id).to.deep.equal([]);
      assertInheritanceValid(template, BUILTIN_ROLE_TEMPLATES);
    }
  });

  it('flattens inherited rules transitively and once each', () => {
    const lookup = templateMap([t('a', ['b', 'c']), t('b', ['c']), t('c')]);
    expect(flattenRules('a', lookup).map((r) => r.resources?.[0])).to.deep.equal(['a', 'b', 'c']);
  });

  it('gives project-member deployment rights through workloads-manage but read-only none', () => {
    const lookup = templateMap(BUILTIN_ROLE_TEMPLATES);
    const create = {
      kind: 'resource',
      verb: 'create',
      apiGroup: 'apps',
      resource: 'deployments',
    } as const;
    expect(flattenRules('project-member', lookup).some((r) => ruleAllows(create, r))).to.equal(
      true,
    );
    expect(flattenRules('read-only', lookup).some((r) => ruleAllows(create, r))).to.equal(false);
    const secrets = { kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets' } as const;
    expect(flattenRules('read-only', lookup).some((r) => ruleAllows(secrets, r))).to.equal(false);
  });

  it('refuses an inheritance cycle', () => {
    expectInvalid(
      () => assertInheritanceValid(t('a', ['b']), [t('b', ['c']), t('c', ['a'])]),
      'inheritance_cycle',
    );
    expectInvalid(() => assertInheritanceValid(t('a', ['a']), []), 'inheritance_cycle');
  });

  it('refuses including a missing template or one of the other context', () => {
    expectInvalid(() => assertInheritanceValid(t('a', ['nope']), []), 'unknown_template');
    expectInvalid(
      () => assertInheritanceValid(t('a', ['b']), [t('b', [], 'cluster')]),
      'context_mismatch',
    );
  });

  it('validates rules like the API server and refuses URLs in project templates', () => {
    expect(
      ruleProblems([{ verbs: [], apiGroups: [''], resources: ['pods'] }], 'cluster'),
    ).to.have.length(1);
    expect(ruleProblems([{ verbs: ['get'], resources: ['pods'] }], 'cluster')[0]).to.match(
      /api group/,
    );
    expect(ruleProblems([{ verbs: ['get'], apiGroups: [''] }], 'cluster')[0]).to.match(/resource/);
    expect(ruleProblems([{ verbs: ['get'], nonResourceURLs: ['/x'] }], 'project')[0]).to.match(
      /project/,
    );
    expect(
      ruleProblems(
        [{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }],
        'cluster',
      )[0],
    ).to.match(/both/);
    expect(ruleProblems([{ verbs: ['get'], nonResourceURLs: ['/a*b'] }], 'cluster')[0]).to.match(
      /end with/,
    );
    expect(
      ruleProblems([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], 'project'),
    ).to.deep.equal([]);
  });
});
