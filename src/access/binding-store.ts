/**
 * Global, cluster and project role bindings in the Store. The store only checks shape and
 * uniqueness (one binding per subject, template and place); who may write which binding is the
 * access service's concern.
 */
import type {
  BindingSubject,
  ClusterRoleBinding,
  GlobalRoleBinding,
  ProjectRoleBinding,
} from '../domain/rbac.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { type AccessRuntime, systemAccessRuntime } from './access-runtime.js';
import {
  clusterRoleBindingsCollection,
  globalRoleBindingsCollection,
  projectRoleBindingsCollection,
} from './collections.js';

function alreadyBound(err: unknown): never {
  if (hasErrorCode(err, 'CONFLICT') && err.reason === 'unique_index') {
    throw new PaddockError('CONFLICT', 'that subject already holds this role there', {
      reason: 'already_bound',
      cause: err,
    });
  }
  throw err;
}

export class BindingStore {
  readonly global: Collection<GlobalRoleBinding>;
  readonly cluster: Collection<ClusterRoleBinding>;
  readonly project: Collection<ProjectRoleBinding>;
  readonly #runtime: AccessRuntime;

  constructor(store: Store, runtime: AccessRuntime = systemAccessRuntime) {
    this.global = store.collection(globalRoleBindingsCollection);
    this.cluster = store.collection(clusterRoleBindingsCollection);
    this.project = store.collection(projectRoleBindingsCollection);
    this.#runtime = runtime;
  }

  async globalBindings(): Promise<GlobalRoleBinding[]> {
    return (await this.global.list()).map((r) => r.value);
  }

  async clusterBindings(clusterId?: string): Promise<ClusterRoleBinding[]> {
    const records = await this.cluster.list(
      clusterId === undefined ? {} : { index: 'byCluster', value: clusterId },
    );
    return records.map((r) => r.value);
  }

  async projectBindings(clusterId?: string, projectId?: string): Promise<ProjectRoleBinding[]> {
    const options =
      clusterId === undefined
        ? {}
        : projectId === undefined
          ? { index: 'byCluster', value: clusterId }
          : { index: 'byProject', value: `${clusterId}:${projectId}` };
    return (await this.project.list(options)).map((r) => r.value);
  }

  async bindGlobal(globalRoleId: string, subject: BindingSubject): Promise<GlobalRoleBinding> {
    const binding: GlobalRoleBinding = {
      id: this.#runtime.newId('grb'),
      globalRoleId,
      subject,
      createdAt: this.#runtime.now(),
    };
    await this.global.create(binding.id, binding).catch(alreadyBound);
    return binding;
  }

  async bindCluster(
    clusterId: string,
    roleTemplateId: string,
    subject: BindingSubject,
  ): Promise<ClusterRoleBinding> {
    const binding: ClusterRoleBinding = {
      id: this.#runtime.newId('crtb'),
      clusterId,
      roleTemplateId,
      subject,
      createdAt: this.#runtime.now(),
    };
    await this.cluster.create(binding.id, binding).catch(alreadyBound);
    return binding;
  }

  async bindProject(
    clusterId: string,
    projectId: string,
    roleTemplateId: string,
    subject: BindingSubject,
  ): Promise<ProjectRoleBinding> {
    const binding: ProjectRoleBinding = {
      id: this.#runtime.newId('prtb'),
      clusterId,
      projectId,
      roleTemplateId,
      subject,
      createdAt: this.#runtime.now(),
    };
    await this.project.create(binding.id, binding).catch(alreadyBound);
    return binding;
  }

  /** Bindings (of any kind) that name a template, e.g. before deleting it. */
  async countUsingTemplate(roleTemplateId: string): Promise<number> {
    const [c, p] = await Promise.all([
      this.cluster.list({ index: 'byTemplate', value: roleTemplateId, limit: 1 }),
      this.project.list({ index: 'byTemplate', value: roleTemplateId, limit: 1 }),
    ]);
    return c.length + p.length;
  }
}
