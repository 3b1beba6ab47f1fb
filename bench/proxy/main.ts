// bench/proxy: what Paddock's Kubernetes proxy adds, against nginx (the floor for a reverse
// proxy) and `kubectl proxy`, all in front of one kubesim and measured in one run, and what
// reaching the cluster through a `paddock agent` tunnel adds to that (the agent leg, beside a
// plain TCP relay in the same place as its peer: what one more process hop costs by itself):
//   - wrk: req/s and p50/p99 at 1, 16, 64 connections for a GET of one ~1 KB object and a LIST
//     of 500 pods, directly on kubesim and through each proxy (HTTPS on every leg except
//     client → kubectl proxy, which only speaks HTTP);
//   - 1,000 and 10,000 concurrent watches directly and through Paddock: Paddock's RSS (its own
//     process) and the delay from a write in kubesim to the event at the watchers.
// Run: npm run bench -- proxy   (settings: see bench/README.md)
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateTlsMaterial } from '../../kubesim/tls/certificates.js';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { loadAverage } from '../support/measure.js';
import { startAgentLeg } from './agent-leg.js';
import { runHttpPhase } from './http-phase.js';
import { startKubectlProxy } from './kubectl-proxy-peer.js';
import { caOf, headerLines, type Leg, type LegFacts, probeLeg } from './legs.js';
import { startNginx } from './nginx-peer.js';
import { nextMessage, ProcessGroup, waitFor } from './process-group.js';
import {
  AGENT_CLUSTER_ID,
  CLUSTER_ID,
  isKubesimReady,
  isPaddockReady,
  isRelayReady,
  isUserBound,
  RELAY_CLUSTER_ID,
} from './protocol.js';
import { httpTable, targets, targetTable, watchTable } from './report.js';
import { runWatchPhase } from './watch-phase.js';
import { assertWrk } from './wrk-run.js';

const env = process.env;
const seconds = Number(env.BENCH_SECONDS ?? 5);
const watchCounts = (env.BENCH_WATCHES ?? '1000,10000').split(',').filter(Boolean).map(Number);
const watchWrites = Number(env.BENCH_WATCH_WRITES ?? 5);
const wrkThreads = Number(env.BENCH_WRK_THREADS ?? 1);
const rounds = Number(env.BENCH_ROUNDS ?? 3);
const paddockLogLevel = env.BENCH_PADDOCK_LOG_LEVEL ?? 'info';
const connectionCounts = (env.BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number);
/** Legs to time (all by default); the direct leg is always measured as the baseline. */
const onlyLegs = env.BENCH_LEGS?.split(',');
/** kubesim offers HTTP/2 like kube-apiserver unless BENCH_KUBESIM_HTTP2=0. */
const kubesimHttp2 = env.BENCH_KUBESIM_HTTP2 !== '0';
const FD_LIMIT = 65_536;

const log = (line: string) => console.log(`  ${line}`);
const child = (name: string) => new URL(`./${name}`, import.meta.url).pathname;

/** 10,000 watches hold ~20,000 sockets in Paddock alone: raise the limit children inherit. */
function raiseFileLimit(): number {
  spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${FD_LIMIT}:${FD_LIMIT}`]);
  const shown = spawnSync('prlimit', [
    '--pid',
    String(process.pid),
    '--nofile',
    '--output=SOFT',
    '--noheadings',
  ]);
  return Number(shown.stdout?.toString().trim()) || 0;
}

async function main(): Promise<number> {
  assertWrk();
  const fileLimit = raiseFileLimit();
  // Paddock's own descriptors (store, log, listeners, pools) stay well under this reserve.
  // Against an HTTP/2 cluster its watches share a few upstream connections: one socket each.
  const socketsPerWatch = kubesimHttp2 ? 1 : 2;
  const maxPaddockWatches = Math.floor((fileLimit - 300) / socketsPerWatch);
  if (Math.max(0, ...watchCounts) > maxPaddockWatches) {
    console.warn(
      `note: the open-files limit is ${fileLimit} and cannot be raised here (prlimit refused); ` +
        `Paddock needs ${socketsPerWatch} socket(s) per watch, so its leg opens at most ` +
        `${maxPaddockWatches} watches and the 10,000 figure is extrapolated from it`,
    );
  }
  const tmp = await makeTempDir('bench-proxy');
  const group = new ProcessGroup();
  const cleanup = async () => {
    await group.stopAll();
    if (env.BENCH_KEEP_DIR === '1') console.log(`kept ${tmp.path}`);
    else await tmp.remove();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping everything the bench started`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const load = { start: loadAverage(), http: 0, end: 0 };
  try {
    const dir = tmp.path;
    const kubesim = group.fork('kubesim', child('kubesim-child.js'), [
      join(dir, 'kubesim'),
      kubesimHttp2 ? 'http2' : 'http1',
    ]);
    const sim = await nextMessage(kubesim, isKubesimReady, 60_000);
    const simCa = await caOf(sim.caFile);

    // Paddock and nginx serve the same certificate, so their TLS costs are alike.
    const tls = await generateTlsMaterial();
    const [certFile, keyFile, caFile] = ['serving.crt', 'serving.key', 'serving-ca.crt'].map((f) =>
      join(dir, f),
    ) as [string, string, string];
    await writeFile(certFile, tls.certPem);
    await writeFile(keyFile, tls.keyPem, { mode: 0o600 });
    await writeFile(caFile, tls.caPem);
    // The relay leg's cluster: kubesim again, its bytes copied by a process of their own.
    const simUrl = new URL(sim.url);
    const relay = group.fork('tcp relay', child('relay-child.js'), [simUrl.hostname, simUrl.port]);
    const relayUrl = new URL(sim.url);
    relayUrl.port = String((await nextMessage(relay, isRelayReady, 10_000)).port);
    const importKubeconfig = join(dir, 'import.kubeconfig');
    await writeFile(
      importKubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': CLUSTER_ID,
        clusters: [
          { name: CLUSTER_ID, cluster: { server: sim.url, 'certificate-authority': sim.caFile } },
          {
            name: RELAY_CLUSTER_ID,
            cluster: { server: relayUrl.origin, 'certificate-authority': sim.caFile },
          },
        ],
        users: [{ name: 'admin', user: { token: sim.adminToken } }],
        contexts: [CLUSTER_ID, RELAY_CLUSTER_ID].map((name) => ({
          name,
          context: { cluster: name, user: 'admin' },
        })),
      }),
      { mode: 0o600 },
    );
    const paddock = group.fork(
      'paddock',
      child('paddock-child.js'),
      [join(dir, 'paddock'), importKubeconfig, certFile, keyFile, caFile, paddockLogLevel],
      {
        logFile: join(dir, 'paddock.log'),
        // e.g. BENCH_PADDOCK_EXEC_ARGV='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile Paddock
        execArgv: (env.BENCH_PADDOCK_EXEC_ARGV ?? '').split(' ').filter(Boolean),
      },
    );
    const ready = await nextMessage(paddock, isPaddockReady, 120_000);
    const bound = nextMessage(kubesim, isUserBound, 10_000);
    kubesim.child.send({ type: 'bind-user', user: ready.userId });
    await bound;
    const identity = ready.upstreamIdentity;
    const nginx = await startNginx(group, {
      dir,
      upstreamUrl: sim.url,
      upstreamCaFile: sim.caFile,
      upstreamTlsName: 'localhost',
      certFile,
      keyFile,
      headers: identity,
    });
    const agent = await startAgentLeg(group, {
      dir,
      paddock,
      paddockUrl: ready.url,
      paddockCaFile: caFile,
      sim,
      simCaPem: simCa,
      // e.g. BENCH_AGENT_EXEC_ARGV='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the agent
      execArgv: (env.BENCH_AGENT_EXEC_ARGV ?? '').split(' ').filter(Boolean),
    });
    const kubectl = await startKubectlProxy(group, {
      dir,
      upstreamUrl: sim.url,
      upstreamCaFile: sim.caFile,
      identity,
    });
    const legs: Leg[] = [
      {
        name: 'direct',
        base: sim.url,
        headers: headerLines(identity),
        caPem: simCa,
        pid: kubesim.child.pid,
      },
      {
        name: 'paddock',
        base: `${ready.url}/k8s/clusters/${CLUSTER_ID}`,
        headers: [['Authorization', `Bearer ${ready.token}`]],
        caPem: tls.caPem,
        pid: paddock.child.pid,
      },
      {
        name: 'paddock agent',
        base: `${ready.url}/k8s/clusters/${AGENT_CLUSTER_ID}`,
        headers: [['Authorization', `Bearer ${ready.token}`]],
        caPem: tls.caPem,
        pid: paddock.child.pid,
        // Paddock's CPU and the agent's: what the tunnel costs in all.
        ...(agent.child.pid === undefined ? {} : { extraPids: [agent.child.pid] }),
      },
      {
        name: 'paddock relay',
        base: `${ready.url}/k8s/clusters/${RELAY_CLUSTER_ID}`,
        headers: [['Authorization', `Bearer ${ready.token}`]],
        caPem: tls.caPem,
        pid: paddock.child.pid,
        ...(relay.child.pid === undefined ? {} : { extraPids: [relay.child.pid] }),
      },
      { name: 'nginx', base: nginx.url, headers: [], caPem: tls.caPem, pid: nginx.pid },
      { name: 'kubectl proxy', base: kubectl.url, headers: [], caPem: '', pid: kubectl.pid },
    ];

    console.log('\nLegs (each must reach kubesim as the same user with the same groups):');
    const facts = new Map<string, LegFacts>();
    for (const leg of legs) {
      // nginx needs a moment to bind, the agent to connect; the others answer at once.
      const f = await waitFor(
        `${leg.name} to answer`,
        () => probeLeg(leg).catch(() => undefined),
        15_000,
        100,
      ).catch(async (err: unknown) => {
        await probeLeg(leg); // the real error
        throw err;
      });
      facts.set(leg.name, f);
      log(
        `${leg.name.padEnd(13)} ${leg.base}  user ${f.user}  groups ${f.groups.join(', ')}  ` +
          `object ${f.objectBytes} B  list ${f.listBytes} B`,
      );
      const direct = facts.get('direct')!;
      if (
        f.user !== ready.userId ||
        [...f.groups].sort().join() !== [...direct.groups].sort().join()
      ) {
        throw new Error(`${leg.name} reaches kubesim as a different caller`);
      }
    }

    console.log(
      `\nHTTP: wrk, ${seconds} s per run after a 1 s warm-up, ${wrkThreads} thread(s), ` +
        `${rounds} rounds per cell (medians reported)`,
    );
    const cells = await runHttpPhase({
      dir,
      legs: legs.filter((l) => l.name === 'direct' || (onlyLegs?.includes(l.name) ?? true)),
      connectionCounts,
      requests: (env.BENCH_REQUESTS ?? 'object,list').split(',') as ('object' | 'list')[],
      seconds,
      warmupSeconds: 1,
      threads: wrkThreads,
      rounds,
      progress: log,
    });
    load.http = loadAverage();
    if (agent.child.exitCode !== null || agent.child.signalCode !== null) {
      console.warn(`\nwarning: the agent exited during the HTTP phase:\n${agent.output()}`);
    }

    console.log(`\nWatches: ${watchCounts.join(', ')} concurrent, ${watchWrites} writes each`);
    const watches = await runWatchPhase({
      direct: legs[0]!,
      paddock: legs[1]!,
      counts: watchCounts,
      maxPaddockWatches,
      writes: watchWrites,
      kubesim,
      paddockProcess: paddock,
      kubesimUrl: sim.url,
      kubesimCaPem: simCa,
      adminToken: sim.adminToken,
      progress: log,
    });
    load.end = loadAverage();

    const list = targets(cells, watches);
    console.log(`\n## HTTP (HTTPS on every leg; client → kubectl proxy is plain HTTP)\n`);
    console.log(httpTable(cells));
    console.log(`\n## Watches\n`);
    console.log(watchTable(watches));
    console.log(`\n## Targets\n`);
    console.log(targetTable(list));
    console.log(
      `\nLoad average (1 min) at start ${load.start.toFixed(2)}, after HTTP ${load.http.toFixed(2)}, ` +
        `at end ${load.end.toFixed(2)} on ${availableParallelism()} cores; open files limit ${fileLimit}; ` +
        `Paddock log level ${paddockLogLevel}; kubesim ${kubesimHttp2 ? 'offers HTTP/2' : 'HTTP/1.1 only'}.`,
    );
    // A missed target is a result to report, not a failure of the bench.
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  },
);
