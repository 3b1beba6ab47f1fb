/**
 * The storage choice of ADR 0020, measured: the same 50,000 pods (100 clusters × 500, seed
 * `fleet`) held (a) in the fleet index's in-memory tables, (b) in lmdb (Paddock's embedded
 * store library) with the two queries' secondary keys, and (c) in SQLite through better-sqlite3
 * when `BENCH_SQLITE_MODULE` points at an installed copy (it is not a dependency of Paddock).
 * For each: memory (or file) bytes per object, and the two bench queries' latency p50/p99 for
 * a caller allowed in half the namespaces.
 *
 *   node --expose-gc dist/bench/fleet/storage.js
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { startKubesim } from '../../kubesim/index.js';
import type { KubeObject } from '../../src/domain/kube-api.js';
import { type AccessScope, KindTable, rowOf, runQuery } from '../../src/fleet-index/index.js';
import { prepareFilter } from '../../src/fleet-index/query/row-filter.js';
import { fmt, printTable } from '../support/measure.js';

const CLUSTERS = Number(process.env.BENCH_STORAGE_CLUSTERS ?? 100);
const PODS = Number(process.env.BENCH_STORAGE_PODS ?? 500);
const SAMPLES = 200;
const MiB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heap = () => {
  gc();
  gc();
  return (
    process.memoryUsage().heapUsed +
    process.memoryUsage().external +
    process.memoryUsage().arrayBuffers
  );
};

function time(fn: () => unknown): { p50: number; p99: number } {
  for (let i = 0; i < 10; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(t.length / 2)]!, p99: t[Math.floor(t.length * 0.99)]! };
}

async function main(): Promise<void> {
  // One cluster's pods, serialized; every cluster gets its own parsed copy below.
  const sim = await startKubesim({ clusters: 1, seed: `fleet:10x${PODS}`, adminPort: false });
  const json = sim
    .cluster('kubesim-1')
    .sim.store.list('pods')
    .map((s) => s.json);
  await sim.stop();
  const ids = Array.from({ length: CLUSTERS }, (_, i) => `c-${String(i).padStart(4, '0')}`);
  const namespaces = [
    ...new Set(json.map((j) => (JSON.parse(j) as KubeObject).metadata.namespace ?? '')),
  ].sort();
  const half = new Set(namespaces.slice(0, Math.ceil(namespaces.length / 2)));
  const n = CLUSTERS * json.length;
  const rows: string[][] = [];

  // Raw parsed objects, for scale.
  let before = heap();
  let objects: KubeObject[] | undefined = ids.flatMap(() =>
    json.map((j) => JSON.parse(j) as KubeObject),
  );
  const parsedBytes = (heap() - before) / n;
  objects = undefined;
  before = heap();
  let strings: string[] | undefined = ids.flatMap((id) =>
    json.map((j) => `${id}${j}`.slice(id.length)),
  );
  const stringBytes = (heap() - before) / n;
  strings = undefined;
  void objects;
  void strings;

  // (a) The in-memory tables.
  before = heap();
  const table = new KindTable('pods');
  for (const id of ids) for (const j of json) table.put(id, JSON.parse(j) as KubeObject);
  table.ordered('CREATED').rows();
  table.ordered('NAME').rows();
  const memBytes = (heap() - before) / n;
  const access = new Map<string, AccessScope>(
    ids.map((id) => [id, { all: false, namespaces: half }]),
  );
  const q =
    (filter: Record<string, unknown>, field: 'CREATED' | 'NAME', descending: boolean) => () =>
      runQuery({
        table,
        access,
        liveRows: [],
        filter: prepareFilter(filter, undefined, undefined),
        order: { field, descending },
        first: 100,
      });
  const a1 = time(q({ notPhases: ['Running'] }, 'CREATED', true));
  const a2 = time(q({ labelSelector: 'team=payments' }, 'NAME', false));
  rows.push([
    'in memory (fleet index tables)',
    fmt(memBytes),
    `${fmt(a1.p50, 2)} / ${fmt(a1.p99, 2)}`,
    `${fmt(a2.p50, 2)} / ${fmt(a2.p99, 2)}`,
  ]);

  // (b) lmdb: the objects by key, and one secondary key per query order.
  const dir = mkdtempSync(join(tmpdir(), 'bench-storage-'));
  try {
    const db = open({ path: join(dir, 'lmdb'), compression: false });
    const docs = db.openDB({ name: 'docs' });
    const byCreated = db.openDB({ name: 'created', dupSort: false });
    const byTeamName = db.openDB({ name: 'team-name' });
    await db.transaction(() => {
      for (const id of ids) {
        for (const j of json) {
          const r = rowOf('pods', id, JSON.parse(j) as KubeObject);
          const key = `${id}/${r.key}`;
          docs.putSync(key, r.object);
          if (r.phase !== 'Running') byCreated.putSync([-r.createdAt, key], r.namespace);
          byTeamName.putSync([r.labels.team ?? '', r.name, key], r.namespace);
        }
      }
    });
    const file = statSync(join(dir, 'lmdb')).isDirectory()
      ? statSync(join(dir, 'lmdb', 'data.mdb')).size
      : statSync(join(dir, 'lmdb')).size;
    const scan =
      (index: typeof byCreated, start: (string | number)[], end: (string | number)[]) => () => {
        const out: unknown[] = [];
        for (const { key, value } of index.getRange({ start, end })) {
          if (!half.has(value as string)) continue;
          out.push(docs.get((key as unknown[]).at(-1) as string));
          if (out.length === 100) break;
        }
        return out;
      };
    const b1 = time(scan(byCreated, [-Number.MAX_SAFE_INTEGER], [0]));
    const b2 = time(scan(byTeamName, ['payments'], ['payments\uffff']));
    rows.push([
      'lmdb (file, secondary keys per order)',
      fmt(file / n),
      `${fmt(b1.p50, 2)} / ${fmt(b1.p99, 2)}`,
      `${fmt(b2.p50, 2)} / ${fmt(b2.p99, 2)}`,
    ]);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // (c) SQLite, when an installed better-sqlite3 is named.
  const modulePath = process.env.BENCH_SQLITE_MODULE;
  if (modulePath) {
    const require = createRequire(import.meta.url);
    const Database = require(modulePath) as new (
      file: string,
    ) => {
      exec(sql: string): void;
      prepare(sql: string): { run(...a: unknown[]): void; all(...a: unknown[]): unknown[] };
      transaction(fn: () => void): () => void;
      pragma(p: string, o?: { simple: boolean }): unknown;
    };
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE pods (cluster TEXT, ns TEXT, name TEXT, phase TEXT, created INTEGER, team TEXT, doc TEXT,
      PRIMARY KEY (cluster, ns, name));
      CREATE INDEX pods_phase_created ON pods (phase, created);
      CREATE INDEX pods_team_name ON pods (team, name);`);
    const insert = db.prepare('INSERT INTO pods VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const id of ids) {
        for (const j of json) {
          const r = rowOf('pods', id, JSON.parse(j) as KubeObject);
          insert.run(id, r.namespace, r.name, r.phase, r.createdAt, r.labels.team ?? '', j);
        }
      }
    })();
    const pages =
      Number(db.pragma('page_count', { simple: true })) *
      Number(db.pragma('page_size', { simple: true }));
    const nsList = [...half].map((ns) => `'${ns}'`).join(',');
    const s1 = db.prepare(
      `SELECT cluster, doc FROM pods WHERE phase != 'Running' AND ns IN (${nsList}) ORDER BY created DESC LIMIT 100`,
    );
    const s2 = db.prepare(
      `SELECT cluster, doc FROM pods WHERE team = 'payments' AND ns IN (${nsList}) ORDER BY name LIMIT 100`,
    );
    const c1 = time(() => s1.all().map((r) => JSON.parse((r as { doc: string }).doc)));
    const c2 = time(() => s2.all().map((r) => JSON.parse((r as { doc: string }).doc)));
    rows.push([
      'SQLite :memory: (better-sqlite3, 2 indexes)',
      fmt(pages / n),
      `${fmt(c1.p50, 2)} / ${fmt(c1.p99, 2)}`,
      `${fmt(c2.p50, 2)} / ${fmt(c2.p99, 2)}`,
    ]);
  } else {
    rows.push(['SQLite', 'not measured: set BENCH_SQLITE_MODULE', '', '']);
  }

  console.log(
    `${fmt(n)} pods (${CLUSTERS} clusters × ${json.length}); a pod's JSON is ${fmt(json.reduce((s, j) => s + j.length, 0) / json.length)} bytes`,
  );
  console.log(
    `for scale: parsed objects ${fmt(parsedBytes)} B each, their JSON strings ${fmt(stringBytes)} B each`,
  );
  printTable(
    [
      'storage',
      'bytes per pod',
      'not Running newest first p50/p99 ms',
      'team=payments by name p50/p99 ms',
    ],
    rows,
  );
  console.log(`heap used now ${fmt(process.memoryUsage().heapUsed / MiB)} MiB`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
