// WATCH: a chunked stream of {"type","object"} JSON lines. Starts with synthetic ADDED events
// (no resourceVersion, "0", or sendInitialEvents=true), or replays history after a given
// resourceVersion (410 ERROR event when compacted); BOOKMARKs when allowed; ends after
// timeoutSeconds or when the cluster drops watches.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterContext } from '../server/context.js';
import type { StoredObject, StoreEvent } from '../storage/object-store.js';
import {
  type FieldSelector,
  type LabelSelector,
  matchFields,
  matchLabels,
  needsObject,
} from '../storage/selectors.js';
import type { JsonObject } from '../storage/types.js';
import { buildTable, type IncludeObject } from '../table/table.js';
import { groupVersion, type ResourceType, typeKey } from './resources.js';
import { badRequest, tooOldResourceVersion } from './status.js';

export interface WatchParams {
  t: ResourceType;
  namespace: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  allowBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
  timeoutSeconds: number | undefined;
  table?: { version: string; includeObject: IncludeObject };
  customColumns?: import('../table/table.js').CustomColumn[];
}

/** Active watch streams of a cluster, so faults can drop them. */
export class WatchRegistry {
  private readonly streams = new Set<() => void>();
  add(close: () => void): () => void {
    this.streams.add(close);
    return () => this.streams.delete(close);
  }
  dropAll(): number {
    const n = this.streams.size;
    for (const close of [...this.streams]) close();
    return n;
  }
  get size(): number {
    return this.streams.size;
  }
}

export function validateWatchParams(p: WatchParams): void {
  if (p.sendInitialEvents !== undefined) {
    if (p.resourceVersionMatch !== 'NotOlderThan') {
      throw badRequest(
        'Invalid value: "": sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
    }
    if (!p.allowBookmarks) throw badRequest('sendInitialEvents requires allowWatchBookmarks=true');
  }
}

export function serveWatch(
  ctx: ClusterContext,
  req: IncomingMessage,
  res: ServerResponse,
  p: WatchParams,
  registry: WatchRegistry,
  bookmarkIntervalMs: number,
): void {
  const key = typeKey(p.t.group, p.t.resource);
  const apiVersion = groupVersion(p.t);
  const parseNeeded = needsObject(p.fieldSelector) || p.table !== undefined;

  const matches = (s: StoredObject): JsonObject | undefined | false => {
    if (p.t.namespaced && p.namespace && s.namespace !== p.namespace) return false;
    if (!matchLabels(p.labelSelector, s.labels)) return false;
    const obj = parseNeeded ? (JSON.parse(s.json) as JsonObject) : undefined;
    if (p.fieldSelector.length > 0) {
      const probe = obj ?? { metadata: { name: s.name, namespace: s.namespace } };
      if (!matchFields(p.fieldSelector, probe)) return false;
    }
    return obj;
  };

  const encode = (type: string, s: StoredObject, parsed: JsonObject | undefined): string => {
    if (p.table) {
      const obj = parsed ?? (JSON.parse(s.json) as JsonObject);
      const table = buildTable(
        p.t,
        [obj],
        { resourceVersion: String(s.rv) },
        {
          now: ctx.now(),
          includeObject: p.table.includeObject,
          apiVersion,
          kind: p.t.kind,
          customColumns: p.customColumns,
        },
        p.table.version,
      );
      return `{"type":"${type}","object":${JSON.stringify(table)}}\n`;
    }
    return `{"type":"${type}","object":{"kind":"${p.t.kind}","apiVersion":"${apiVersion}",${s.json.slice(1)}}\n`;
  };

  // No Transfer-Encoding: Node chunks HTTP/1.1 itself, and HTTP/2 forbids the header.
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  let unregister = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  unregister = registry.add(close);
  req.on('close', close);
  res.on('close', close);

  const write = (line: string) => {
    if (!closed) res.write(line);
  };
  const bookmark = (rv: number, initialEnd = false) => {
    const meta: JsonObject = { resourceVersion: String(rv), creationTimestamp: null };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    write(
      `{"type":"BOOKMARK","object":${JSON.stringify({ kind: p.t.kind, apiVersion, metadata: meta })}}\n`,
    );
  };

  // As the watch cache does: an update moving an object into the selection is ADDED, one
  // moving it out is DELETED carrying the previous state at the update's resourceVersion.
  function deliver(e: StoreEvent): void {
    const m = matches(e.item);
    const before = e.type === 'MODIFIED' && e.prev ? matches(e.prev) !== false : true;
    if (m !== false) {
      write(encode(before ? e.type : 'ADDED', e.item, m));
      return;
    }
    if (e.type !== 'MODIFIED' || !e.prev || !before) return;
    const old = JSON.parse(e.prev.json) as JsonObject & { metadata: JsonObject };
    old.metadata.resourceVersion = String(e.rv);
    const gone = { ...e.prev, rv: e.rv, json: JSON.stringify(old) };
    write(encode('DELETED', gone, parseNeeded ? old : undefined));
  }

  const rvParam = p.resourceVersion;
  const initial =
    p.sendInitialEvents ?? (rvParam === undefined || rvParam === '' || rvParam === '0');
  let lastRv = ctx.store.currentRv;
  if (initial) {
    for (const s of ctx.store.list(key, p.t.namespaced && p.namespace ? p.namespace : undefined)) {
      const m = matches(s);
      if (m === false) continue;
      write(encode('ADDED', s, m));
    }
    if (p.sendInitialEvents && p.allowBookmarks) bookmark(lastRv, true);
  } else {
    const from = Number(rvParam);
    if (!Number.isInteger(from) || from < 0) {
      write(
        `{"type":"ERROR","object":${JSON.stringify(badRequest(`invalid resource version: ${rvParam}`).status)}}\n`,
      );
      close();
      return;
    }
    const history = ctx.store.eventsSince(from);
    if (!history) {
      const status = tooOldResourceVersion(from, ctx.store.compactedRv).status;
      write(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
      close();
      return;
    }
    for (const e of history) if (e.typeKey === key) deliver(e);
  }

  unsubscribe = ctx.store.subscribe((e: StoreEvent) => {
    lastRv = e.rv;
    if (e.typeKey === key) deliver(e);
  });

  if (p.allowBookmarks && bookmarkIntervalMs > 0) {
    const tick = () => {
      bookmark(lastRv);
      timers[0] = setTimeout(tick, bookmarkIntervalMs);
    };
    timers[0] = setTimeout(tick, bookmarkIntervalMs);
  }
  const timeoutMs = (p.timeoutSeconds ?? 1800 + Math.floor(ctx.random() * 1800)) * 1000;
  timers[1] = setTimeout(close, timeoutMs);
}
