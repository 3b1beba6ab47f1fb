/** Projects in the Store: per-cluster unique names, validated quotas, limits and Pod Security. */
import type { ProjectInput } from '../domain/access-admin.js';
import type { Project } from '../domain/rbac.js';
import type { Collection, Store } from '../domain/store.js';
import { PaddockError } from '../errors/index.js';
import {
  assertContainerDefaultsValid,
  assertPodSecurityValid,
  assertQuotaValid,
  fitsProjectLabel,
} from '../rbac/index.js';
import { type AccessRuntime, systemAccessRuntime } from './access-runtime.js';
import { projectsCollection } from './collections.js';

const NAME = /^[^\s](.{0,61}[^\s])?$/;

export function validateProjectInput(input: Partial<ProjectInput>): void {
  if (input.name !== undefined && !NAME.test(input.name)) {
    throw new PaddockError('VALIDATION_FAILED', 'a project name has 1 to 63 characters', {
      reason: 'invalid_name',
    });
  }
  if (input.quota) assertQuotaValid(input.quota);
  if (input.containerDefaults) assertContainerDefaultsValid(input.containerDefaults);
  if (input.podSecurity) assertPodSecurityValid(input.podSecurity);
}

export class ProjectStore {
  readonly records: Collection<Project>;
  readonly #runtime: AccessRuntime;

  constructor(store: Store, runtime: AccessRuntime = systemAccessRuntime) {
    this.records = store.collection(projectsCollection);
    this.#runtime = runtime;
  }

  async list(clusterId?: string): Promise<Project[]> {
    const records = await this.records.list(
      clusterId === undefined ? {} : { index: 'byCluster', value: clusterId },
    );
    return records.map((r) => r.value);
  }

  async get(clusterId: string, projectId: string): Promise<Project | undefined> {
    const record = await this.records.get(projectId);
    return record?.value.clusterId === clusterId ? record.value : undefined;
  }

  async create(clusterId: string, input: ProjectInput): Promise<Project> {
    validateProjectInput(input);
    const id = this.#runtime.newId('p').slice(0, 9);
    if (!fitsProjectLabel({ clusterId, projectId: id })) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `cluster id ${clusterId} is too long for the paddock.io/project-id label (63 characters)`,
        { reason: 'cluster_id_too_long' },
      );
    }
    const now = this.#runtime.now();
    const project: Project = {
      id,
      clusterId,
      name: input.name,
      description: input.description ?? '',
      ...(input.quota ? { quota: input.quota } : {}),
      ...(input.containerDefaults ? { containerDefaults: input.containerDefaults } : {}),
      ...(input.podSecurity ? { podSecurity: input.podSecurity } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await this.records.create(id, project);
    return project;
  }

  /** Applies the given fields (`null` clears an optional one). */
  async update(
    clusterId: string,
    projectId: string,
    input: Partial<ProjectInput>,
  ): Promise<Project> {
    validateProjectInput(input);
    const current = await this.records.get(projectId);
    if (!current || current.value.clusterId !== clusterId) {
      throw new PaddockError('NOT_FOUND', `project ${projectId} not found`, {
        reason: 'project_not_found',
      });
    }
    const next: Record<string, unknown> = { ...current.value, updatedAt: this.#runtime.now() };
    if (input.name !== undefined) next.name = input.name;
    if (input.description !== undefined) next.description = input.description;
    for (const key of ['quota', 'containerDefaults', 'podSecurity'] as const) {
      if (input[key] === null) delete next[key];
      else if (input[key] !== undefined) next[key] = input[key];
    }
    const project = next as unknown as Project;
    await this.records.update(projectId, project, { resourceVersion: current.resourceVersion });
    return project;
  }

  async delete(projectId: string): Promise<boolean> {
    return this.records.delete(projectId);
  }
}
