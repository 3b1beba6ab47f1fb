import { expect } from 'chai';
import { type AccessRequest, ruleAllows } from '../../../src/rbac/index.js';

const get = (resource: string, extra: Partial<AccessRequest> = {}): AccessRequest =>
  ({ kind: 'resource', verb: 'get', apiGroup: '', resource, ...extra }) as AccessRequest;

describe('PolicyRule matching', () => {
  it('matches verbs, groups and resources exactly or by star', () => {
    expect(
      ruleAllows(get('pods'), { verbs: ['get'], apiGroups: [''], resources: ['pods'] }),
    ).to.equal(true);
    expect(ruleAllows(get('pods'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).to.equal(
      true,
    );
    expect(
      ruleAllows(get('pods'), { verbs: ['list'], apiGroups: [''], resources: ['pods'] }),
    ).to.equal(false);
    expect(
      ruleAllows(get('pods'), { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }),
    ).to.equal(false);
  });

  it('requires an api group list: a rule without apiGroups matches no resource', () => {
    expect(ruleAllows(get('pods'), { verbs: ['get'], resources: ['pods'] })).to.equal(false);
  });

  it('matches subresources only as resource/subresource or */subresource', () => {
    const log = get('pods', { subresource: 'log' });
    expect(ruleAllows(log, { verbs: ['get'], apiGroups: [''], resources: ['pods'] })).to.equal(
      false,
    );
    expect(ruleAllows(log, { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] })).to.equal(
      true,
    );
    expect(ruleAllows(log, { verbs: ['get'], apiGroups: [''], resources: ['*/log'] })).to.equal(
      true,
    );
    expect(ruleAllows(log, { verbs: ['get'], apiGroups: [''], resources: ['*/exec'] })).to.equal(
      false,
    );
  });

  it('lets resourceNames match only requests that name one of them', () => {
    const rule = {
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['secrets'],
      resourceNames: ['a'],
    };
    expect(ruleAllows(get('secrets', { name: 'a' }), rule)).to.equal(true);
    expect(ruleAllows(get('secrets', { name: 'b' }), rule)).to.equal(false);
    expect(ruleAllows({ ...get('secrets'), verb: 'list' }, rule)).to.equal(false);
  });

  it('matches non-resource URLs exactly or by trailing-star prefix', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    expect(ruleAllows({ kind: 'nonResource', verb: 'get', path: '/healthz' }, rule)).to.equal(true);
    expect(ruleAllows({ kind: 'nonResource', verb: 'get', path: '/apis/apps' }, rule)).to.equal(
      true,
    );
    expect(ruleAllows({ kind: 'nonResource', verb: 'get', path: '/readyz' }, rule)).to.equal(false);
    expect(ruleAllows(get('healthz'), rule)).to.equal(false);
  });
});

describe('escalation check', () => {
  it('covers a rule only by rules holding every verb, group, resource and name it grants', async () => {
    const { uncoveredRules } = await import('../../../src/rbac/index.js');
    const held = [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/log'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
    ];
    expect(
      uncoveredRules(held, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/log'] }]),
    ).to.deep.equal([]);
    expect(
      uncoveredRules(held, [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }]),
    ).to.have.length(1);
    expect(
      uncoveredRules(held, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]),
    ).to.have.length(1);
    expect(
      uncoveredRules(held, [
        { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      ]),
    ).to.deep.equal([]);
    expect(
      uncoveredRules(
        [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        [{ verbs: ['get'], nonResourceURLs: ['/x'] }],
      ),
    ).to.have.length(1);
  });
});
