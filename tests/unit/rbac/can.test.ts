import { expect } from 'chai';
import {
  BUILTIN_GLOBAL_ROLES,
  can,
  canReachUrl,
  memberClusterIds,
} from '../../../src/rbac/index.js';
import { crb, grb, group, prb, project, stateWith, user } from './fixtures.js';

const alice = { userId: 'u-alice', groupPrincipalIds: [] };
const carol = { userId: 'u-carol', groupPrincipalIds: ['openldap_group://cn=devs'] };

describe('can: global roles over Paddock objects', () => {
  it('lets admin do anything anywhere', () => {
    const state = stateWith({ globalRoleBindings: [grb('g1', 'admin', user('u-alice'))] });
    expect(can(state, alice, { verb: 'delete', resource: 'users' }).allowed).to.equal(true);
    expect(can(state, alice, { verb: 'update', resource: 'settings' }).allowed).to.equal(true);
    expect(memberClusterIds(state, alice)).to.equal('all');
  });

  it('lets a standard user create clusters but not manage users or settings', () => {
    const state = stateWith({ globalRoleBindings: [grb('g1', 'user', user('u-alice'))] });
    expect(can(state, alice, { verb: 'create', resource: 'clusters' }).allowed).to.equal(true);
    expect(can(state, alice, { verb: 'list', resource: 'users' }).allowed).to.equal(false);
    expect(can(state, alice, { verb: 'update', resource: 'settings' }).allowed).to.equal(false);
  });

  it('lets view-metrics and admin get /metrics, and nobody else', () => {
    const state = stateWith({
      globalRoleBindings: [
        grb('g1', 'view-metrics', user('u-alice')),
        grb('g2', 'user', group('openldap_group://cn=devs')),
      ],
    });
    const metrics = { verb: 'get', path: '/metrics' };
    expect(canReachUrl(state, alice, metrics).grantedBy).to.include({
      globalRoleId: 'view-metrics',
    });
    expect(canReachUrl(state, alice, { verb: 'get', path: '/debug' }).allowed).to.equal(false);
    expect(canReachUrl(state, carol, metrics).allowed).to.equal(false);
    const admin = stateWith({ globalRoleBindings: [grb('g1', 'admin', user('u-carol'))] });
    expect(canReachUrl(admin, carol, metrics).allowed).to.equal(true);
  });

  it('grants through a group principal binding', () => {
    const state = stateWith({
      globalRoleBindings: [grb('g1', 'users-manage', group('openldap_group://cn=devs'))],
    });
    const decision = can(state, carol, { verb: 'create', resource: 'users' });
    expect(decision.allowed).to.equal(true);
    expect(decision.grantedBy).to.include({ kind: 'globalRole', globalRoleId: 'users-manage' });
    expect(can(state, alice, { verb: 'create', resource: 'users' }).allowed).to.equal(false);
  });

  it("lets a cluster-owner manage its cluster's members and every project of it, not another cluster's", () => {
    const state = stateWith({
      clusterRoleBindings: [crb('b1', 'c1', 'cluster-owner', user('u-alice'))],
    });
    const manage = { verb: 'create', resource: 'clusterroletemplatebindings' };
    expect(can(state, alice, manage, { kind: 'cluster', clusterId: 'c1' }).allowed).to.equal(true);
    expect(can(state, alice, manage, { kind: 'cluster', clusterId: 'c2' }).allowed).to.equal(false);
    expect(
      can(
        state,
        alice,
        { verb: 'create', resource: 'projectroletemplatebindings' },
        {
          kind: 'project',
          clusterId: 'c1',
          projectId: 'p-a',
        },
      ).allowed,
    ).to.equal(true);
    expect(can(state, alice, manage).allowed).to.equal(false);
    expect([...(memberClusterIds(state, alice) as Set<string>)]).to.deep.equal(['c1']);
  });

  it("lets a project-owner manage its project's members but a project-member only read them", () => {
    const state = stateWith({
      projects: [project('p-a')],
      projectRoleBindings: [
        prb('b1', 'c1', 'p-a', 'project-owner', user('u-alice')),
        prb('b2', 'c1', 'p-a', 'project-member', group('openldap_group://cn=devs')),
      ],
    });
    const scope = { kind: 'project', clusterId: 'c1', projectId: 'p-a' } as const;
    const manage = { verb: 'create', resource: 'projectroletemplatebindings' };
    expect(can(state, alice, manage, scope).allowed).to.equal(true);
    expect(can(state, carol, manage, scope).allowed).to.equal(false);
    expect(
      can(state, carol, { verb: 'list', resource: 'projectroletemplatebindings' }, scope).allowed,
    ).to.equal(true);
    expect(can(state, alice, manage, { ...scope, projectId: 'p-b' }).allowed).to.equal(false);
    expect(
      can(
        state,
        alice,
        { verb: 'create', resource: 'clusterroletemplatebindings' },
        { kind: 'cluster', clusterId: 'c1' },
      ).allowed,
    ).to.equal(false);
  });
});

describe('memberClusterIds: clusters granted through inherited cluster roles', () => {
  const custom = {
    id: 'fleet-owner',
    displayName: 'Fleet owner',
    description: 'cluster-owner everywhere, nothing global',
    rules: [],
    newUserDefault: false,
    builtin: false,
    inheritedClusterRoles: ['cluster-owner'],
  };

  it('gives every cluster to a custom global role that inherits cluster-owner', () => {
    const state = stateWith({
      globalRoles: [...BUILTIN_GLOBAL_ROLES, custom],
      globalRoleBindings: [grb('g1', 'fleet-owner', user('u-alice'))],
    });
    expect(memberClusterIds(state, alice)).to.equal('all');
    expect(memberClusterIds(state, carol)).to.deep.equal(new Set());
  });

  it('gives every cluster to a group bound restricted-admin', () => {
    const state = stateWith({
      globalRoleBindings: [grb('g1', 'restricted-admin', group('openldap_group://cn=devs'))],
    });
    expect(memberClusterIds(state, carol)).to.equal('all');
  });
});
