import 'reflect-metadata';
import { expect } from 'chai';
import { type GraphQLSchema, graphql } from 'graphql';
import { type AccessServices, createAccessServices } from '../../../src/access/index.js';
import type { Identity } from '../../../src/domain/identity.js';
import { buildPaddockSchema } from '../../../src/resolvers/build-schema.js';
import type { GraphQLContext } from '../../../src/resolvers/context.js';
import { MemoryStore } from '../../support/memory-store.js';

function identity(userId: string): Identity {
  return {
    userId,
    username: userId,
    displayName: userId,
    provider: 'local',
    principalIds: [`local://${userId}`],
    groupPrincipalIds: [],
    tokenId: 't',
    tokenKind: 'session',
  };
}

describe('authorization management through GraphQL', () => {
  let schema: GraphQLSchema;
  let access: AccessServices;

  before(async () => {
    // The whole Paddock schema, so a type-name clash with another layer would fail here.
    schema = await buildPaddockSchema();
  });

  beforeEach(async () => {
    access = createAccessServices({
      store: new MemoryStore(),
      userForPrincipal: async (p) => /^local:\/\/(u-[a-z0-9]+)$/.exec(p)?.[1],
      groupsOfUser: async () => [],
    });
    await access.authorizer.grantGlobalRole('u-admin', 'admin');
  });

  afterEach(() => access.close());

  const run = async (who: string, source: string, variableValues?: Record<string, unknown>) => {
    const contextValue = {
      identity: identity(who),
      ports: { authorizer: access.authorizer, accessAdmin: access.service },
      now: () => 0,
    } as unknown as GraphQLContext;
    return graphql({ schema, source, contextValue, ...(variableValues ? { variableValues } : {}) });
  };

  it('lists built-in templates and refuses an inheritance cycle with its reason', async () => {
    const listed = await run('u-admin', '{ roleTemplates { id context inherits } }');
    expect(listed.errors).to.equal(undefined);
    const ids = (listed.data!.roleTemplates as { id: string }[]).map((t) => t.id);
    expect(ids).to.include.members(['cluster-owner', 'project-member', 'create-ns']);
    const create = `mutation($i: RoleTemplateInput!) { createRoleTemplate(input: $i) { id } }`;
    const a = await run('u-admin', create, {
      i: { id: 'a', context: 'project', rules: [], inherits: ['a'] },
    });
    expect(a.errors?.[0]?.message).to.match(/inheritance cycle/);
  });

  it('adds, changes and removes a cluster member, and lets a cluster-owner do it', async () => {
    const add = `mutation { addClusterMember(clusterId: "c1", principalId: "local://u-owner", roleTemplateId: "cluster-owner") { id subjectKind userId roleId scope } }`;
    const added = await run('u-admin', add);
    expect(added.errors).to.equal(undefined);
    expect(added.data?.addClusterMember).to.deep.include({
      subjectKind: 'user',
      userId: 'u-owner',
      roleId: 'cluster-owner',
      scope: 'cluster',
    });
    const byOwner = await run(
      'u-owner',
      `mutation { addClusterMember(clusterId: "c1", principalId: "openldap_group://cn=devs", roleTemplateId: "cluster-member") { id } }`,
    );
    expect(byOwner.errors).to.equal(undefined);
    const id = (byOwner.data!.addClusterMember as { id: string }).id;
    const changed = await run(
      'u-owner',
      `mutation { changeClusterMemberRole(bindingId: "${id}", roleTemplateId: "nodes-view") { id roleId } }`,
    );
    expect((changed.data!.changeClusterMemberRole as { roleId: string }).roleId).to.equal(
      'nodes-view',
    );
    const stranger = await run('u-other', `{ clusterMembers(clusterId: "c1") { id } }`);
    expect(stranger.errors?.[0]?.extensions?.code ?? stranger.errors?.[0]?.message).to.match(
      /FORBIDDEN|may not/,
    );
  });

  it('creates a project with quota and Pod Security, making the creator its owner', async () => {
    const created = await run(
      'u-admin',
      `mutation { createProject(clusterId: "c1", input: { name: "Shop", quotaLimit: [{ resource: "pods", quantity: "10" }], namespaceDefaultQuota: [{ resource: "pods", quantity: "5" }], podSecurityEnforce: "baseline" }) { projectId name quotaLimit { resource quantity } podSecurityEnforce } }`,
    );
    expect(created.errors).to.equal(undefined);
    const project = created.data?.createProject as {
      projectId: string;
      podSecurityEnforce: string;
    };
    expect(project.podSecurityEnforce).to.equal('baseline');
    const members = await run(
      'u-admin',
      `{ projectMembers(clusterId: "c1", projectId: "${project.projectId}") { userId roleId } }`,
    );
    expect(members.data?.projectMembers).to.deep.equal([
      { userId: 'u-admin', roleId: 'project-owner' },
    ]);
    const updated = await run(
      'u-admin',
      `mutation { updateProject(clusterId: "c1", projectId: "${project.projectId}", input: { podSecurityEnforce: "" , podSecurityWarn: "restricted" }) { podSecurityEnforce podSecurityWarn quotaLimit { quantity } } }`,
    );
    expect(updated.data?.updateProject).to.deep.equal({
      podSecurityEnforce: null,
      podSecurityWarn: 'restricted',
      quotaLimit: [{ quantity: '10' }],
    });
  });
});
