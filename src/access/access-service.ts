/**
 * The authorization-checked management API behind GraphQL (`AccessAdmin`): global roles,
 * role templates, bindings, projects, members, explainAccess and the push-down's status. Every
 * method asks `can` first; the stores below do no permission checks of their own.
 */
import type {
  AccessAdmin,
  AccessExplanationView,
  ExplainAccessInput,
  GlobalRoleInput,
  ProjectInput,
  RoleTemplateInput,
} from '../domain/access-admin.js';
import type { Identity } from '../domain/identity.js';
import type {
  AccessState,
  ClusterRoleBinding,
  GlobalRole,
  GlobalRoleBinding,
  Project,
  ProjectRoleBinding,
  RoleTemplate,
} from '../domain/rbac.js';
import type {
  DownstreamRbacReader,
  NamespaceAssigner,
  RbacSyncStatus,
  RbacSyncStatusReader,
} from '../domain/rbac-downstream.js';
import { PaddockError } from '../errors/index.js';
import {
  EffectiveBindings,
  subjectForPrincipal,
  type UserPrincipalLookup,
  uncoveredRules,
} from '../rbac/index.js';
import { AccessGuard, clusterScope, projectScope } from './access-guard.js';
import type { StoreAccessState } from './access-state.js';
import type { BindingStore } from './binding-store.js';
import { callerCan, forbidden, subjectOf } from './caller-policy.js';
import { explainFor, type UserGroupsLookup } from './explain.js';
import { ProjectAdmin } from './project-admin.js';
import type { ProjectStore } from './project-store.js';
import type { RoleCatalog } from './role-catalog.js';

export interface AccessServiceDeps {
  readonly catalog: RoleCatalog;
  readonly bindings: BindingStore;
  readonly projects: ProjectStore;
  readonly state: StoreAccessState;
  /** Maps a user principal to its Paddock user id (identity's `findByPrincipal`). */
  readonly userForPrincipal: UserPrincipalLookup;
  /** Binding only: also makes the user of a directory principal who never logged in. */
  readonly provisionUser?: UserPrincipalLookup;
  /** A user's group principals, for explaining someone else's access. */
  readonly groupsOfUser: UserGroupsLookup;
  /** Downstream reads (explainAccess, quota checks); absent = no cluster access wired. */
  readonly downstream?: DownstreamRbacReader;
  readonly syncStatus?: RbacSyncStatusReader;
  readonly namespaces?: NamespaceAssigner;
}

const cluster = clusterScope;
const project = projectScope;

export class AccessService implements AccessAdmin {
  readonly #d: AccessServiceDeps;
  readonly #g: AccessGuard;
  readonly #projects: ProjectAdmin;
  /** What a new binding names: the known user, or one made for a directory principal. */
  readonly #bindable: UserPrincipalLookup;

  constructor(deps: AccessServiceDeps) {
    this.#d = deps;
    this.#bindable = async (principalId) =>
      (await deps.userForPrincipal(principalId)) ?? (await deps.provisionUser?.(principalId));
    this.#g = new AccessGuard(deps);
    this.#projects = new ProjectAdmin(deps, this.#g);
  }
  // -- global roles ------------------------------------------------------------------------

  async globalRoles(caller: Identity): Promise<GlobalRole[]> {
    await this.#g.require(caller, { verb: 'list', resource: 'globalroles' });
    return this.#d.catalog.globalRoles();
  }

  async createGlobalRole(caller: Identity, input: GlobalRoleInput): Promise<GlobalRole> {
    await this.#g.require(caller, { verb: 'create', resource: 'globalroles' });
    return this.#g.written(await this.#d.catalog.createGlobalRole(input));
  }

  async updateGlobalRole(caller: Identity, input: GlobalRoleInput): Promise<GlobalRole> {
    await this.#g.require(caller, { verb: 'update', resource: 'globalroles', name: input.id });
    return this.#g.written(await this.#d.catalog.updateGlobalRole(input));
  }

  async deleteGlobalRole(caller: Identity, id: string): Promise<boolean> {
    const state = await this.#g.require(caller, {
      verb: 'delete',
      resource: 'globalroles',
      name: id,
    });
    if (state.globalRoleBindings.some((b) => b.globalRoleId === id)) {
      throw new PaddockError('CONFLICT', `global role ${id} is still bound`, { reason: 'in_use' });
    }
    return this.#g.written(await this.#d.catalog.deleteGlobalRole(id));
  }

  async globalRoleBindings(caller: Identity): Promise<GlobalRoleBinding[]> {
    await this.#g.require(caller, { verb: 'list', resource: 'globalrolebindings' });
    return this.#d.bindings.globalBindings();
  }

  async bindGlobalRole(caller: Identity, principal: string, globalRoleId: string) {
    await this.#g.require(caller, { verb: 'create', resource: 'globalrolebindings' });
    if (!(await this.#d.catalog.globalRole(globalRoleId))) {
      throw new PaddockError('NOT_FOUND', `global role ${globalRoleId} not found`, {
        reason: 'global_role_not_found',
      });
    }
    const role = (await this.#d.catalog.globalRole(globalRoleId))!;
    const bindings = new EffectiveBindings(await this.#d.state.snapshot());
    const held = bindings.globalRuleSets(subjectOf(caller)).flatMap((s) => s.rules);
    const inheritedOk = role.inheritedClusterRoles.every(() =>
      held.some(
        (r) => r.verbs.includes('*') && r.apiGroups?.includes('*') && r.resources?.includes('*'),
      ),
    );
    if (uncoveredRules(held, role.rules).length > 0 || !inheritedOk) {
      throw new PaddockError(
        'FORBIDDEN',
        `granting ${globalRoleId} would grant rights you do not hold`,
        {
          reason: 'escalation',
          details: { globalRoleId },
        },
      );
    }
    const subject = await subjectForPrincipal(principal, this.#bindable);
    return this.#g.written(await this.#d.bindings.bindGlobal(globalRoleId, subject));
  }

  async unbindGlobalRole(caller: Identity, bindingId: string): Promise<boolean> {
    await this.#g.require(caller, { verb: 'delete', resource: 'globalrolebindings' });
    return this.#g.written(await this.#d.bindings.global.delete(bindingId));
  }

  // -- role templates ----------------------------------------------------------------------

  async roleTemplates(caller: Identity): Promise<RoleTemplate[]> {
    await this.#g.require(caller, { verb: 'list', resource: 'roletemplates' });
    return this.#d.catalog.roleTemplates();
  }

  async createRoleTemplate(caller: Identity, input: RoleTemplateInput): Promise<RoleTemplate> {
    await this.#g.require(caller, { verb: 'create', resource: 'roletemplates' });
    return this.#g.written(await this.#d.catalog.createRoleTemplate(input));
  }

  async updateRoleTemplate(caller: Identity, input: RoleTemplateInput): Promise<RoleTemplate> {
    await this.#g.require(caller, { verb: 'update', resource: 'roletemplates', name: input.id });
    return this.#g.written(await this.#d.catalog.updateRoleTemplate(input));
  }

  async deleteRoleTemplate(caller: Identity, id: string): Promise<boolean> {
    await this.#g.require(caller, { verb: 'delete', resource: 'roletemplates', name: id });
    if ((await this.#d.bindings.countUsingTemplate(id)) > 0) {
      throw new PaddockError('CONFLICT', `role template ${id} is still bound`, {
        reason: 'in_use',
      });
    }
    return this.#g.written(await this.#d.catalog.deleteRoleTemplate(id));
  }

  /** The template, if it exists, has this context and may be newly bound. */ // -- cluster members ---------------------------------------------------------------------

  async clusterMembers(caller: Identity, clusterId: string): Promise<ClusterRoleBinding[]> {
    await this.#g.require(
      caller,
      { verb: 'list', resource: 'clusterroletemplatebindings' },
      cluster(clusterId),
    );
    return this.#d.bindings.clusterBindings(clusterId);
  }

  async addClusterMember(
    caller: Identity,
    clusterId: string,
    principal: string,
    roleTemplateId: string,
  ) {
    await this.#g.require(
      caller,
      { verb: 'create', resource: 'clusterroletemplatebindings' },
      cluster(clusterId),
    );
    await this.#g.bindableTemplate(roleTemplateId, 'cluster');
    await this.#g.assertNoEscalation(caller, roleTemplateId, cluster(clusterId));
    const subject = await subjectForPrincipal(principal, this.#bindable);
    return this.#g.written(
      await this.#d.bindings.bindCluster(clusterId, roleTemplateId, subject),
      clusterId,
    );
  }

  async changeClusterMemberRole(caller: Identity, bindingId: string, roleTemplateId: string) {
    const current = await this.#d.bindings.cluster.get(bindingId);
    if (!current) throw notFoundBinding(bindingId);
    const { clusterId } = current.value;
    await this.#g.require(
      caller,
      { verb: 'update', resource: 'clusterroletemplatebindings' },
      cluster(clusterId),
    );
    await this.#g.bindableTemplate(roleTemplateId, 'cluster');
    await this.#g.assertNoEscalation(caller, roleTemplateId, cluster(clusterId));
    // Bindings are immutable downstream (roleRef), so a role change is a new binding.
    const next = await this.#d.bindings.bindCluster(
      clusterId,
      roleTemplateId,
      current.value.subject,
    );
    await this.#d.bindings.cluster.delete(bindingId);
    return this.#g.written(next, clusterId);
  }

  async removeClusterMember(caller: Identity, bindingId: string): Promise<boolean> {
    const current = await this.#d.bindings.cluster.get(bindingId);
    if (!current) return false;
    const { clusterId } = current.value;
    await this.#g.require(
      caller,
      { verb: 'delete', resource: 'clusterroletemplatebindings' },
      cluster(clusterId),
    );
    return this.#g.written(await this.#d.bindings.cluster.delete(bindingId), clusterId);
  }
  // -- projects (see ProjectAdmin) --------------------------------------------------------

  projects(caller: Identity, clusterId: string): Promise<Project[]> {
    return this.#projects.projects(caller, clusterId);
  }

  project(caller: Identity, clusterId: string, projectId: string): Promise<Project | undefined> {
    return this.#projects.project(caller, clusterId, projectId);
  }

  createProject(caller: Identity, clusterId: string, input: ProjectInput): Promise<Project> {
    return this.#projects.createProject(caller, clusterId, input);
  }

  updateProject(
    caller: Identity,
    clusterId: string,
    projectId: string,
    input: Partial<ProjectInput>,
  ): Promise<Project> {
    return this.#projects.updateProject(caller, clusterId, projectId, input);
  }

  deleteProject(caller: Identity, clusterId: string, projectId: string): Promise<boolean> {
    return this.#projects.deleteProject(caller, clusterId, projectId);
  }

  moveNamespace(caller: Identity, clusterId: string, ns: string, projectId: string | null) {
    return this.#projects.moveNamespace(caller, clusterId, ns, projectId);
  }

  checkNamespaceMove(
    _caller: Identity,
    clusterId: string,
    ns: string,
    projectId: string | null,
  ): Promise<void> {
    return this.#projects.assertNamespaceFits(clusterId, ns, projectId);
  }

  // -- project members ---------------------------------------------------------------------

  async projectMembers(caller: Identity, clusterId: string, projectId: string) {
    await this.#g.require(
      caller,
      { verb: 'list', resource: 'projectroletemplatebindings' },
      project(clusterId, projectId),
    );
    return this.#d.bindings.projectBindings(clusterId, projectId);
  }

  async addProjectMember(
    caller: Identity,
    clusterId: string,
    projectId: string,
    principal: string,
    roleTemplateId: string,
  ): Promise<ProjectRoleBinding> {
    await this.#g.require(
      caller,
      { verb: 'create', resource: 'projectroletemplatebindings' },
      project(clusterId, projectId),
    );
    if (!(await this.#d.projects.get(clusterId, projectId))) {
      throw new PaddockError('NOT_FOUND', `project ${projectId} not found`, {
        reason: 'project_not_found',
      });
    }
    await this.#g.bindableTemplate(roleTemplateId, 'project');
    await this.#g.assertNoEscalation(caller, roleTemplateId, project(clusterId, projectId));
    const subject = await subjectForPrincipal(principal, this.#bindable);
    return this.#g.written(
      await this.#d.bindings.bindProject(clusterId, projectId, roleTemplateId, subject),
      clusterId,
    );
  }

  async changeProjectMemberRole(caller: Identity, bindingId: string, roleTemplateId: string) {
    const current = await this.#d.bindings.project.get(bindingId);
    if (!current) throw notFoundBinding(bindingId);
    const { clusterId, projectId, subject } = current.value;
    await this.#g.require(
      caller,
      { verb: 'update', resource: 'projectroletemplatebindings' },
      project(clusterId, projectId),
    );
    await this.#g.bindableTemplate(roleTemplateId, 'project');
    await this.#g.assertNoEscalation(caller, roleTemplateId, project(clusterId, projectId));
    const next = await this.#d.bindings.bindProject(clusterId, projectId, roleTemplateId, subject);
    await this.#d.bindings.project.delete(bindingId);
    return this.#g.written(next, clusterId);
  }

  async removeProjectMember(caller: Identity, bindingId: string): Promise<boolean> {
    const current = await this.#d.bindings.project.get(bindingId);
    if (!current) return false;
    const { clusterId, projectId } = current.value;
    await this.#g.require(
      caller,
      { verb: 'delete', resource: 'projectroletemplatebindings' },
      project(clusterId, projectId),
    );
    return this.#g.written(await this.#d.bindings.project.delete(bindingId), clusterId);
  }
  // -- explain and status ------------------------------------------------------------------

  async explainAccess(caller: Identity, input: ExplainAccessInput): Promise<AccessExplanationView> {
    const state: AccessState = await this.#d.state.snapshot();
    const subject = await explainSubjectOf(input.principal, this.#d);
    const self = subject.userId === caller.userId;
    if (
      !self &&
      !callerCan(
        state,
        caller,
        { verb: 'list', resource: 'clusterroletemplatebindings' },
        cluster(input.clusterId),
      )
    ) {
      throw forbidden(
        { verb: 'list', resource: 'clusterroletemplatebindings' },
        cluster(input.clusterId),
      );
    }
    if (!this.#d.downstream) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', 'no downstream reader is configured', {
        reason: 'not_configured',
      });
    }
    return explainFor({
      input,
      subject,
      state,
      downstream: await this.#d.downstream.read(input.clusterId),
      syncStatus: this.#d.syncStatus?.status(input.clusterId),
    });
  }

  async syncStatus(caller: Identity, clusterId: string): Promise<RbacSyncStatus | undefined> {
    await this.#g.require(
      caller,
      { verb: 'get', resource: 'clusterroletemplatebindings' },
      cluster(clusterId),
    );
    return this.#d.syncStatus?.status(clusterId);
  }
}

async function explainSubjectOf(principal: string, d: AccessServiceDeps) {
  const userId = /^u-[a-z0-9]+$/.test(principal)
    ? principal
    : await subjectForPrincipal(principal, d.userForPrincipal).then((s) => {
        if (s.kind !== 'user') {
          throw new PaddockError('VALIDATION_FAILED', 'explainAccess needs a user principal', {
            reason: 'invalid_principal',
          });
        }
        return s.userId;
      });
  return { userId, groupPrincipalIds: await d.groupsOfUser(userId) };
}

function notFoundBinding(id: string): PaddockError {
  return new PaddockError('NOT_FOUND', `binding ${id} not found`, { reason: 'binding_not_found' });
}
