/** Projects: create, read, update (quota checked against its namespaces), delete, move namespaces. */
import type { ProjectInput } from '../domain/access-admin.js';
import type { Identity } from '../domain/identity.js';
import type { Project } from '../domain/rbac.js';
import type { DownstreamRbacReader, NamespaceAssigner } from '../domain/rbac-downstream.js';
import { PaddockError } from '../errors/index.js';
import { assertQuotaFits, namespaceProject } from '../rbac/index.js';
import { type AccessGuard, clusterScope, projectScope } from './access-guard.js';
import type { StoreAccessState } from './access-state.js';
import type { BindingStore } from './binding-store.js';
import { callerCan } from './caller-policy.js';
import type { ProjectStore } from './project-store.js';

export interface ProjectAdminDeps {
  readonly projects: ProjectStore;
  readonly bindings: BindingStore;
  readonly state: StoreAccessState;
  readonly downstream?: DownstreamRbacReader;
  readonly namespaces?: NamespaceAssigner;
}

export class ProjectAdmin {
  readonly #d: ProjectAdminDeps;
  readonly #g: AccessGuard;

  constructor(deps: ProjectAdminDeps, guard: AccessGuard) {
    this.#d = deps;
    this.#g = guard;
  }

  async projects(caller: Identity, clusterId: string): Promise<Project[]> {
    const all = await this.#d.projects.list(clusterId);
    if (await this.#g.may(caller, { verb: 'list', resource: 'projects' }, clusterScope(clusterId)))
      return all;
    const state = await this.#d.state.snapshot();
    return all.filter((p) =>
      callerCan(
        state,
        caller,
        { verb: 'get', resource: 'projects' },
        projectScope(clusterId, p.id),
      ),
    );
  }

  async project(caller: Identity, clusterId: string, projectId: string) {
    if (
      !(await this.#g.may(
        caller,
        { verb: 'get', resource: 'projects' },
        projectScope(clusterId, projectId),
      ))
    ) {
      return undefined;
    }
    return this.#d.projects.get(clusterId, projectId);
  }

  async createProject(caller: Identity, clusterId: string, input: ProjectInput): Promise<Project> {
    await this.#g.require(
      caller,
      { verb: 'create', resource: 'projects' },
      clusterScope(clusterId),
    );
    const created = await this.#d.projects.create(clusterId, input);
    // As in Rancher, whoever creates a project owns it.
    await this.#d.bindings.bindProject(clusterId, created.id, 'project-owner', {
      kind: 'user',
      userId: caller.userId,
    });
    return this.#g.written(created, clusterId);
  }

  async updateProject(
    caller: Identity,
    clusterId: string,
    projectId: string,
    input: Partial<ProjectInput>,
  ) {
    await this.#g.require(
      caller,
      { verb: 'update', resource: 'projects', name: projectId },
      projectScope(clusterId, projectId),
    );
    if (input.quota && this.#d.downstream) {
      const downstream = await this.#d.downstream.read(clusterId);
      const count = downstream.namespaces.filter((ns) => {
        const ref = namespaceProject(ns);
        return ref?.clusterId === clusterId && ref.projectId === projectId;
      }).length;
      assertQuotaFits(input.quota, count);
    }
    return this.#g.written(await this.#d.projects.update(clusterId, projectId, input), clusterId);
  }

  /**
   * Refuses putting a namespace into a project whose quota has no room for one more namespace
   * at the namespace default: quotas are handed out in name order, so the newcomer would take
   * the share of a namespace already there and leave it a zero quota (as `updateProject`
   * refuses a quota its namespaces do not fit in).
   */
  async assertNamespaceFits(
    clusterId: string,
    namespace: string,
    projectId: string | null,
  ): Promise<void> {
    if (projectId === null) return;
    const project = await this.#d.projects.get(clusterId, projectId);
    if (project?.quota === undefined || !this.#d.downstream) return;
    const downstream = await this.#d.downstream.read(clusterId);
    const others = downstream.namespaces.filter((ns) => {
      const ref = namespaceProject(ns);
      return ns.name !== namespace && ref?.clusterId === clusterId && ref.projectId === projectId;
    }).length;
    assertQuotaFits(project.quota, others + 1);
  }

  async deleteProject(caller: Identity, clusterId: string, projectId: string): Promise<boolean> {
    await this.#g.require(
      caller,
      { verb: 'delete', resource: 'projects', name: projectId },
      projectScope(clusterId, projectId),
    );
    for (const b of await this.#d.bindings.projectBindings(clusterId, projectId)) {
      await this.#d.bindings.project.delete(b.id);
    }
    return this.#g.written(await this.#d.projects.delete(projectId), clusterId);
  }

  async moveNamespace(
    caller: Identity,
    clusterId: string,
    namespace: string,
    projectId: string | null,
  ) {
    // Moving changes who may use the namespace, so it needs cluster-wide namespace rights
    // (cluster-owner, admin), as in Rancher.
    await this.#g.require(
      caller,
      { verb: 'update', resource: 'namespaces', apiGroup: '' },
      clusterScope(clusterId),
    );
    if (projectId !== null && !(await this.#d.projects.get(clusterId, projectId))) {
      throw new PaddockError('NOT_FOUND', `project ${projectId} not found`, {
        reason: 'project_not_found',
      });
    }
    await this.assertNamespaceFits(clusterId, namespace, projectId);
    if (!this.#d.namespaces) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', 'no namespace writer is configured', {
        reason: 'not_configured',
      });
    }
    await this.#d.namespaces.assign(clusterId, namespace, projectId);
  }
}
