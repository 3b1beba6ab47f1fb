/**
 * The caller's Kubernetes client: every call goes over the cluster's keep-alive dispatcher with
 * the impersonator token plus the caller's impersonation lines, behind the cluster's circuit
 * gate and a deadline. Non-2xx answers become `KubeApiError`s with the downstream's message.
 */
import type { Dispatcher } from 'undici';
import type { ClusterConnection, ClusterRegistry } from '../../domain/cluster.js';
import type { Identity } from '../../domain/identity.js';
import {
  type FanOutOptions,
  type FanOutResult,
  KubeApiError,
  type KubeCallOptions,
  type KubeClient,
  type KubeList,
  type KubeListOptions,
  type KubeLogOptions,
  type KubeObject,
  type KubePatchType,
  type KubeResource,
  type KubeWatchEvent,
  type KubeWatchOptions,
} from '../../domain/kube-api.js';
import { upstreamPath } from '../cluster-request.js';
import type { DiscoveryCache } from './discovery-cache.js';
import { fanOut } from './fan-out.js';
import { callerHeaders } from './impersonation.js';
import { errorOfAnswer, errorOfFailure } from './kube-errors.js';
import { parseApiVersion, resourcePath, withQuery } from './resource-path.js';
import { watchEvents } from './watch-stream.js';

export interface KubeClientSettings {
  readonly connections: ClusterRegistry;
  readonly timeoutMs: number;
  readonly fanOut: FanOutOptions;
  readonly discovery: DiscoveryCache;
}

interface Call extends KubeCallOptions {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
}

const patchContentType: Record<KubePatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export class CallerKubeClient implements KubeClient {
  readonly #identity: Identity;
  readonly #settings: KubeClientSettings;

  constructor(identity: Identity, settings: KubeClientSettings) {
    this.#identity = identity;
    this.#settings = settings;
  }

  async list(clusterId: string, resource: KubeResource, options: KubeListOptions = {}) {
    const path = withQuery(resourcePath(resource, options.namespace || undefined), {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
    });
    const answer = await this.#json<{
      items?: KubeObject[];
      metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
    }>(clusterId, { ...options, method: 'GET', path });
    const meta = answer.metadata ?? {};
    const list: KubeList = {
      items: answer.items ?? [],
      resourceVersion: meta.resourceVersion ?? '',
      ...(meta.continue ? { continue: meta.continue } : {}),
      ...(meta.remainingItemCount === undefined
        ? {}
        : { remainingItemCount: meta.remainingItemCount }),
    };
    return list;
  }

  get(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    options: KubeCallOptions = {},
  ) {
    const path = resourcePath(resource, namespace, name);
    return this.#json<KubeObject>(clusterId, { ...options, method: 'GET', path });
  }

  create(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    body: KubeObject,
    options: KubeCallOptions = {},
  ) {
    const path = resourcePath(resource, namespace);
    return this.#json<KubeObject>(clusterId, { ...options, method: 'POST', path, body });
  }

  replace(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    body: KubeObject,
    options: KubeCallOptions = {},
  ) {
    const path = resourcePath(resource, namespace, body.metadata.name ?? '');
    return this.#json<KubeObject>(clusterId, { ...options, method: 'PUT', path, body });
  }

  patch(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: KubePatchType,
    options: KubeCallOptions & { subresource?: string } = {},
  ) {
    const path = resourcePath(resource, namespace, name, options.subresource);
    return this.#json<KubeObject>(clusterId, {
      ...options,
      method: 'PATCH',
      path,
      body: patch,
      contentType: patchContentType[type],
    });
  }

  async delete(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    options: KubeCallOptions & { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' } = {},
  ) {
    const path = resourcePath(resource, namespace, name);
    await this.#json(clusterId, {
      ...options,
      method: 'DELETE',
      path,
      ...(options.propagationPolicy
        ? {
            body: {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              propagationPolicy: options.propagationPolicy,
            },
          }
        : {}),
    });
  }

  logs(clusterId: string, namespace: string, pod: string, options: KubeLogOptions = {}) {
    const path = withQuery(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      {
        container: options.container,
        tailLines: options.tailLines,
        limitBytes: options.limitBytes,
        previous: options.previous ? 'true' : undefined,
        timestamps: options.timestamps ? 'true' : undefined,
      },
    );
    return this.#text(clusterId, { ...options, method: 'GET', path });
  }

  async *watch(
    clusterId: string,
    resource: KubeResource,
    options: KubeWatchOptions = {},
  ): AsyncIterable<KubeWatchEvent> {
    const path = withQuery(resourcePath(resource, options.namespace || undefined), {
      watch: 1,
      allowWatchBookmarks: 'true',
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resourceVersion: options.resourceVersion,
    });
    const { connection, headers } = await this.#prepare(clusterId);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await connection.dispatcher.request({
        origin: connection.endpoint.origin,
        path: upstreamPath(connection.endpoint, path),
        method: 'GET',
        headers,
        headersTimeout: this.#settings.timeoutMs,
        // A watch is quiet for as long as nothing changes.
        bodyTimeout: 0,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      if (options.signal?.aborted) return;
      connection.gate.recordFailure();
      throw errorOfFailure(clusterId, err, false);
    }
    connection.gate.recordSuccess();
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      throw errorOfAnswer(clusterId, answer.statusCode, await answer.body.text());
    }
    yield* watchEvents(clusterId, answer.body, options.signal);
  }

  async resolveKind(
    clusterId: string,
    apiVersion: string,
    kind: string,
    options: KubeCallOptions = {},
  ): Promise<KubeResource> {
    const gv = parseApiVersion(apiVersion);
    const resources = await this.#settings.discovery.resources(clusterId, apiVersion, () =>
      this.#json<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>(clusterId, {
        ...options,
        method: 'GET',
        path: gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`,
      }).then((list) => list.resources ?? []),
    );
    const found = resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (found === undefined) {
      throw new KubeApiError(
        clusterId,
        'NOT_FOUND',
        `the server doesn't have a resource type for kind ${kind} in ${apiVersion}`,
      );
    }
    return { ...gv, resource: found.name, namespaced: found.namespaced, kind };
  }

  fanOut<T>(
    clusterIds: readonly string[],
    task: (clusterId: string, signal: AbortSignal) => Promise<T>,
    options: FanOutOptions = {},
  ): Promise<FanOutResult<T>> {
    return fanOut(clusterIds, task, { ...this.#settings.fanOut, ...options });
  }

  async #prepare(clusterId: string) {
    let connection: ClusterConnection | undefined;
    try {
      connection = await this.#settings.connections.connection(clusterId);
    } catch (err) {
      throw errorOfFailure(clusterId, err, false);
    }
    if (connection === undefined) {
      throw new KubeApiError(clusterId, 'NOT_FOUND', `cluster ${clusterId} is not registered`);
    }
    if (!connection.gate.allowRequest()) {
      throw new KubeApiError(
        clusterId,
        'UNREACHABLE',
        `cluster ${clusterId} is unavailable (circuit open after repeated failures)`,
      );
    }
    const headers: Record<string, string | string[]> = {
      ...callerHeaders(this.#identity, connection.impersonatorToken),
      accept: 'application/json',
    };
    return { connection, headers };
  }

  async #json<T>(clusterId: string, call: Call): Promise<T> {
    const { status, text } = await this.#send(clusterId, call);
    try {
      return (text === '' ? {} : JSON.parse(text)) as T;
    } catch (err) {
      throw new KubeApiError(clusterId, 'INTERNAL', `cluster ${clusterId} answered invalid JSON`, {
        status,
        cause: err,
      });
    }
  }

  async #text(clusterId: string, call: Call): Promise<string> {
    return (await this.#send(clusterId, call)).text;
  }

  /** One bounded call; a non-2xx answer throws with the downstream's message. */
  async #send(clusterId: string, call: Call): Promise<{ status: number; text: string }> {
    const { connection, headers } = await this.#prepare(clusterId);
    const timeoutMs = call.timeoutMs ?? this.#settings.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([deadline, call.signal]) : deadline;
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = call.contentType ?? 'application/json';
    }
    let status: number;
    let text: string;
    try {
      const answer = await connection.dispatcher.request({
        origin: connection.endpoint.origin,
        path: upstreamPath(connection.endpoint, call.path),
        method: call.method,
        headers,
        body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = answer.statusCode;
      text = await answer.body.text();
    } catch (err) {
      const timedOut = deadline.aborted || isTimeoutReason(call.signal?.reason);
      // A caller that went away is no verdict on the cluster's health.
      if (timedOut || !call.signal?.aborted) connection.gate.recordFailure();
      throw errorOfFailure(clusterId, err, timedOut);
    }
    connection.gate.recordSuccess();
    if (status < 200 || status >= 300) throw errorOfAnswer(clusterId, status, text);
    return { status, text };
  }
}

function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
