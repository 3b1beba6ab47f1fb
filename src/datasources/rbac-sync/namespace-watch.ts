/**
 * Follows a cluster's namespaces with a watch (manager token) and calls `onMove` when one
 * enters, leaves or changes project, so its bindings follow within seconds rather than at the
 * next resync. The watch re-lists and resumes after any break, calling `onMove` once then too,
 * since events may have been missed meanwhile.
 */

import { namespaceProject } from '../../rbac/index.js';
import { upstreamPath } from '../cluster-request.js';
import { NAMESPACES_PATH } from './kube-paths.js';
import type { ManagerClient } from './manager-client.js';

interface NamespaceObject {
  readonly metadata: {
    readonly name: string;
    readonly resourceVersion?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
}

export interface NamespaceWatchOptions {
  readonly onMove: () => void;
  readonly onError: (err: unknown) => void;
  readonly retryMs?: number;
}

const projectKey = (ns: NamespaceObject) => {
  const ref = namespaceProject({
    labels: ns.metadata.labels ?? {},
    annotations: ns.metadata.annotations ?? {},
  });
  return ref ? `${ref.clusterId}:${ref.projectId}` : '';
};

export class NamespaceWatch {
  readonly #client: () => Promise<ManagerClient | undefined>;
  readonly #options: NamespaceWatchOptions;
  readonly #known = new Map<string, string>();
  #abort = new AbortController();
  #stopped = false;
  readonly done: Promise<void>;

  constructor(client: () => Promise<ManagerClient | undefined>, options: NamespaceWatchOptions) {
    this.#client = client;
    this.#options = options;
    this.done = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    await this.done;
  }

  async #loop(): Promise<void> {
    let first = true;
    while (!this.#stopped) {
      try {
        const client = await this.#client();
        if (client) {
          const list = await client.list<NamespaceObject>(NAMESPACES_PATH);
          const changed = this.#reset(list.items);
          if (changed && !first) this.#options.onMove();
          first = false;
          await this.#follow(client, list.metadata.resourceVersion ?? '');
        }
      } catch (err) {
        if (!this.#stopped) this.#options.onError(err);
      }
      if (this.#stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#options.retryMs ?? 1000);
        this.#abort.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #reset(items: readonly NamespaceObject[]): boolean {
    const before = JSON.stringify([...this.#known].sort());
    this.#known.clear();
    for (const ns of items) this.#known.set(ns.metadata.name, projectKey(ns));
    return before !== JSON.stringify([...this.#known].sort());
  }

  async #follow(client: ManagerClient, resourceVersion: string): Promise<void> {
    const { endpoint, dispatcher, managerToken } = client.connection;
    const query = `?watch=true&resourceVersion=${encodeURIComponent(resourceVersion)}`;
    const answer = await dispatcher.request({
      origin: endpoint.origin,
      path: upstreamPath(endpoint, `${NAMESPACES_PATH}${query}`),
      method: 'GET',
      headers: { authorization: `Bearer ${managerToken}`, accept: 'application/json' },
      signal: this.#abort.signal,
      headersTimeout: 10_000,
      bodyTimeout: 0,
    });
    if (answer.statusCode !== 200) {
      const text = await answer.body.text();
      throw new Error(`namespace watch: ${answer.statusCode} ${text.slice(0, 200)}`);
    }
    let buffer = '';
    for await (const chunk of answer.body) {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) this.#event(JSON.parse(line) as { type: string; object: NamespaceObject });
        newline = buffer.indexOf('\n');
      }
    }
  }

  #event(event: { type: string; object: NamespaceObject }): void {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
    const name = event.object.metadata?.name;
    if (!name) return;
    const before = this.#known.get(name);
    const after = event.type === 'DELETED' ? undefined : projectKey(event.object);
    if (after === undefined) this.#known.delete(name);
    else this.#known.set(name, after);
    // A namespace without a project coming or going changes no binding.
    if ((before ?? '') !== (after ?? '')) this.#options.onMove();
  }
}
