import { expect } from 'chai';
import { type AccessServices, createAccessServices } from '../../../src/access/index.js';
import type { Identity } from '../../../src/domain/identity.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import { MemoryStore } from '../../support/memory-store.js';

function identity(userId: string, groups: string[] = []): Identity {
  return {
    userId,
    username: userId,
    displayName: userId,
    provider: 'local',
    principalIds: [`local://${userId}`, ...groups],
    groupPrincipalIds: groups,
    tokenId: 't',
    tokenKind: 'session',
  };
}

async function rejects(promise: Promise<unknown>, code: string, reason?: string) {
  try {
    await promise;
  } catch (err) {
    expect(hasErrorCode(err, code as never), String(err)).to.equal(true);
    if (reason) expect((err as { reason?: string }).reason).to.equal(reason);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe('access service', () => {
  let access: AccessServices;
  const admin = identity('u-admin');
  const owner = identity('u-owner');
  const member = identity('u-member');
  const dev = identity('u-dev', ['openldap_group://cn=devs']);

  beforeEach(async () => {
    let n = 0;
    access = createAccessServices({
      store: new MemoryStore(),
      userForPrincipal: async (p) => /^local:\/\/(u-[a-z0-9]+)$/.exec(p)?.[1],
      groupsOfUser: async () => [],
      runtime: {
        now: () => 1000,
        newId: (prefix) => `${prefix}-${(n++).toString(36).padStart(7, '0')}`,
      },
    });
    await access.authorizer.grantGlobalRole('u-admin', 'admin');
  });

  afterEach(() => access.close());

  it('gives a new user the newUserDefault roles once, and admin everything', async () => {
    expect(
      await access.authorizer.allows(member, { verb: 'create', resource: 'clusters' }),
    ).to.equal(true);
    expect(await access.authorizer.allows(member, { verb: 'list', resource: 'users' })).to.equal(
      false,
    );
    expect(await access.authorizer.allows(admin, { verb: 'list', resource: 'users' })).to.equal(
      true,
    );
    const bindings = await access.service.globalRoleBindings(admin);
    expect(
      bindings
        .filter((b) => b.subject.kind === 'user' && b.subject.userId === 'u-member')
        .map((b) => b.globalRoleId),
    ).to.deep.equal(['user']);
    expect(await access.authorizer.visibleClusterIds(admin)).to.equal('all');
  });

  it('refuses a custom template that closes an inheritance cycle', async () => {
    await access.service.createRoleTemplate(admin, {
      id: 'a',
      context: 'project',
      rules: [],
      inherits: ['read-only'],
    });
    await access.service.createRoleTemplate(admin, {
      id: 'b',
      context: 'project',
      rules: [],
      inherits: ['a'],
    });
    await rejects(
      access.service.updateRoleTemplate(admin, {
        id: 'a',
        context: 'project',
        rules: [],
        inherits: ['b'],
      }),
      'VALIDATION_FAILED',
      'inheritance_cycle',
    );
  });

  it('refuses invalid rules, and changes to a built-in beyond locking it', async () => {
    await rejects(
      access.service.createRoleTemplate(admin, {
        id: 'bad',
        context: 'cluster',
        rules: [{ verbs: ['get'], resources: ['pods'] }],
      }),
      'VALIDATION_FAILED',
      'invalid_rules',
    );
    await rejects(
      access.service.updateRoleTemplate(admin, { id: 'read-only', context: 'project', rules: [] }),
      'FORBIDDEN',
      'builtin',
    );
  });

  it('refuses new bindings of a locked template but keeps existing ones', async () => {
    const b = await access.service.addClusterMember(admin, 'c1', 'local://u-member', 'nodes-view');
    const builtin = (await access.catalog.roleTemplate('nodes-view'))!;
    await access.service.updateRoleTemplate(admin, { ...builtin, locked: true });
    await rejects(
      access.service.addClusterMember(admin, 'c1', 'local://u-dev', 'nodes-view'),
      'VALIDATION_FAILED',
      'template_locked',
    );
    expect((await access.service.clusterMembers(admin, 'c1')).map((x) => x.id)).to.deep.equal([
      b.id,
    ]);
  });

  it("lets a cluster-owner manage its cluster's members and nobody else's", async () => {
    await access.service.addClusterMember(admin, 'c1', 'local://u-owner', 'cluster-owner');
    const added = await access.service.addClusterMember(
      owner,
      'c1',
      'openldap_group://cn=devs',
      'cluster-member',
    );
    expect(added.subject).to.deep.equal({ kind: 'group', principalId: 'openldap_group://cn=devs' });
    await rejects(
      access.service.addClusterMember(owner, 'c2', 'local://u-dev', 'cluster-member'),
      'FORBIDDEN',
    );
    await rejects(
      access.service.addClusterMember(dev, 'c1', 'local://u-dev', 'cluster-owner'),
      'FORBIDDEN',
    );
    const changed = await access.service.changeClusterMemberRole(owner, added.id, 'nodes-view');
    expect(changed.roleTemplateId).to.equal('nodes-view');
    expect(await access.service.removeClusterMember(owner, changed.id)).to.equal(true);
    expect([...((await access.authorizer.visibleClusterIds(owner)) as Set<string>)]).to.deep.equal([
      'c1',
    ]);
  });

  it("makes a project's creator its owner, who then manages the project's members", async () => {
    await access.service.addClusterMember(admin, 'c1', 'local://u-owner', 'cluster-member');
    const p = await access.service.createProject(owner, 'c1', { name: 'Shop' });
    expect(p.id).to.match(/^p-[a-z0-9]+$/);
    await access.service.addProjectMember(owner, 'c1', p.id, 'local://u-member', 'project-member');
    await rejects(
      access.service.addProjectMember(member, 'c1', p.id, 'local://u-dev', 'project-member'),
      'FORBIDDEN',
    );
    await rejects(
      access.service.addProjectMember(owner, 'c1', p.id, 'local://u-dev', 'cluster-owner'),
      'VALIDATION_FAILED',
      'context_mismatch',
    );
    expect((await access.service.projects(member, 'c1')).map((x) => x.name)).to.deep.equal([
      'Shop',
    ]);
    expect(await access.service.projects(dev, 'c1')).to.deep.equal([]);
    await rejects(access.service.updateProject(member, 'c1', p.id, { name: 'x' }), 'FORBIDDEN');
    await rejects(
      access.service.updateProject(admin, 'c1', p.id, {
        quota: { limit: { pods: '1' }, namespaceDefault: { pods: '2' } },
      }),
      'VALIDATION_FAILED',
      'quota_exceeded',
    );
  });

  it('refuses moving a namespace into a project whose quota it would take from another namespace', async () => {
    const inProject = (name: string, projectId: string) => ({
      name,
      labels: {},
      annotations: { 'paddock.io/project-id': `c1:${projectId}` },
    });
    let namespaces: { name: string; labels: object; annotations: object }[] = [];
    const moved: string[] = [];
    const quotaAccess = createAccessServices({
      store: new MemoryStore(),
      userForPrincipal: async () => undefined,
      groupsOfUser: async () => [],
      downstream: {
        read: async (clusterId) => ({
          clusterId,
          readAt: 0,
          roles: [],
          bindings: [],
          namespaces: namespaces as never,
        }),
      },
      namespaces: { assign: async (_c, ns) => void moved.push(ns) },
    });
    try {
      await quotaAccess.authorizer.grantGlobalRole('u-admin', 'admin');
      const full = await quotaAccess.service.createProject(admin, 'c1', {
        name: 'Full',
        quota: { limit: { pods: '10' }, namespaceDefault: { pods: '5' } },
      });
      const open = await quotaAccess.service.createProject(admin, 'c1', { name: 'Open' });
      namespaces = [inProject('zz-a', full.id), inProject('zz-b', full.id), inProject('aa', 'p-x')];
      await rejects(
        quotaAccess.service.checkNamespaceMove(admin, 'c1', 'aa', full.id),
        'VALIDATION_FAILED',
        'quota_exceeded',
      );
      await rejects(
        quotaAccess.service.moveNamespace(admin, 'c1', 'aa', full.id),
        'VALIDATION_FAILED',
        'quota_exceeded',
      );
      expect(moved).to.deep.equal([]);
      // Moving one of its own namespaces again, or into a project without quota, is fine.
      await quotaAccess.service.checkNamespaceMove(admin, 'c1', 'zz-a', full.id);
      await quotaAccess.service.moveNamespace(admin, 'c1', 'aa', open.id);
      await quotaAccess.service.moveNamespace(admin, 'c1', 'aa', null);
      expect(moved).to.deep.equal(['aa', 'aa']);
    } finally {
      quotaAccess.close();
    }
  });

  it('tells identity that a bound group principal is a member (restricted access mode)', async () => {
    expect(await access.authorizer.hasAnyMembership(['openldap_group://cn=devs'])).to.equal(false);
    await access.service.addClusterMember(
      admin,
      'c1',
      'openldap_group://cn=devs',
      'cluster-member',
    );
    expect(await access.authorizer.hasAnyMembership(['openldap_group://cn=devs'])).to.equal(true);
  });

  it('keeps a cluster-scoped API key to its cluster', async () => {
    const scoped = { ...admin, scope: { clusterId: 'c1' } };
    expect(await access.authorizer.allows(scoped, { verb: 'list', resource: 'users' })).to.equal(
      false,
    );
    await access.service.addClusterMember(scoped, 'c1', 'local://u-dev', 'cluster-member');
    await rejects(
      access.service.addClusterMember(scoped, 'c2', 'local://u-dev', 'cluster-member'),
      'FORBIDDEN',
    );
  });

  it('refuses a binding that would grant more than the caller holds (escalation)', async () => {
    await access.service.addClusterMember(admin, 'c1', 'local://u-owner', 'cluster-member');
    const p = await access.service.createProject(owner, 'c1', { name: 'Esc' });
    await access.service.addProjectMember(owner, 'c1', p.id, 'local://u-member', 'project-member');
    await rejects(
      access.service.addProjectMember(owner, 'c1', p.id, 'local://u-dev', 'create-ns'),
      'FORBIDDEN',
      'escalation',
    );
    await access.service.bindGlobalRole(admin, 'local://u-owner', 'users-manage');
    await rejects(
      access.service.bindGlobalRole(owner, 'local://u-dev', 'admin'),
      'FORBIDDEN',
      'escalation',
    );
    await access.service.bindGlobalRole(owner, 'local://u-dev', 'users-view');
  });

  it('makes a user admin only while nobody else is', async () => {
    expect(await access.authorizer.ensureSomeAdmin('u-other')).to.equal(false);
    const fresh = createAccessServices({
      store: new MemoryStore(),
      userForPrincipal: async () => undefined,
      groupsOfUser: async () => [],
    });
    expect(await fresh.authorizer.ensureSomeAdmin('u-first')).to.equal(true);
    expect(
      await fresh.authorizer.allows(identity('u-first'), { verb: 'delete', resource: 'users' }),
    ).to.equal(true);
    fresh.close();
  });
});
