/**
 * The few Kubernetes calls the push-down makes with the manager token: list, create, replace,
 * delete and merge-patch. A non-2xx answer becomes a PaddockError carrying the API server's
 * message, so a sync status can say exactly what the cluster refused.
 */
import { PaddockError } from '../../errors/index.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { callCluster } from '../cluster-request.js';

export interface KubeList<T> {
  readonly metadata: { readonly resourceVersion?: string };
  readonly items: readonly T[];
}

export interface ManagerClientOptions {
  readonly timeoutMs: number;
  /** Ends every call early (shutdown, lost lease). */
  readonly signal?: AbortSignal;
}

export class ManagerClient {
  readonly connection: ManagerConnection;
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal | undefined;

  constructor(connection: ManagerConnection, options: ManagerClientOptions) {
    this.connection = connection;
    this.#timeoutMs = options.timeoutMs;
    this.#signal = options.signal;
  }

  async #call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    path: string,
    body?: unknown,
    contentType?: string,
  ) {
    const answer = await callCluster(this.connection, {
      method,
      path,
      token: this.connection.managerToken,
      timeoutMs: this.#timeoutMs,
      ...(this.#signal === undefined ? {} : { signal: this.#signal }),
      ...(body === undefined ? {} : { body }),
      ...(contentType ? { contentType } : {}),
    });
    if (answer.status >= 200 && answer.status < 300) return answer;
    let message = answer.text.slice(0, 300);
    try {
      message = answer.json<{ message?: string }>().message ?? message;
    } catch {
      // Not a Status object: keep the raw text.
    }
    throw new PaddockError(
      answer.status === 404
        ? 'NOT_FOUND'
        : answer.status === 409
          ? 'CONFLICT'
          : answer.status === 403
            ? 'FORBIDDEN'
            : 'UPSTREAM_UNAVAILABLE',
      `${method} ${path}: ${answer.status} ${message}`,
      { reason: 'downstream_refused', details: { status: answer.status } },
    );
  }

  async list<T>(path: string, labelSelector?: string): Promise<KubeList<T>> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return (await this.#call('GET', `${path}${query}`)).json<KubeList<T>>();
  }

  async get<T>(path: string): Promise<T> {
    return (await this.#call('GET', path)).json<T>();
  }

  async create(path: string, object: unknown): Promise<void> {
    await this.#call('POST', path, object);
  }

  async replace(path: string, object: unknown): Promise<void> {
    await this.#call('PUT', path, object);
  }

  /** Deletes; an object that is already gone counts as deleted. */
  async delete(path: string): Promise<void> {
    try {
      await this.#call('DELETE', path);
    } catch (err) {
      if (!(err instanceof PaddockError && err.code === 'NOT_FOUND')) throw err;
    }
  }

  async mergePatch(path: string, patch: unknown): Promise<void> {
    await this.#call('PATCH', path, patch, 'application/merge-patch+json');
  }
}
