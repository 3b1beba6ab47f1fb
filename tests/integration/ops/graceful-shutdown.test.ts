import { once } from 'node:events';
import { Agent, request } from 'node:https';
import { expect } from 'chai';
import WebSocket from 'ws';
import { fetchText, type SimpleResponse } from '../../support/http-client.js';
import { waitFor } from '../../support/wait-for.js';
import { opsFixture, startClusters, startReplica } from './support/served-paddock.js';

/** GET over a given agent (a kept-alive connection), reading the whole answer. */
function get(url: string, agent: Agent, token?: string): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a watch; `ended` says whether the answer ended cleanly or was cut. */
function openWatch(
  url: string,
  ca: string,
  token: string,
): Promise<{ status: number; ended: Promise<'end' | 'cut'> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const ended = new Promise<'end' | 'cut'>((done) => {
        res.on('end', () => done('end'));
        res.on('aborted', () => done('cut'));
        res.on('error', () => done('cut'));
      });
      res.resume();
      resolve({ status: res.statusCode ?? 0, ended });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A graphql-ws connection with two subscriptions (cluster health and alerts); resolves once
 * the first cluster status arrived. `closed` is the close code and when it came.
 */
async function openSubscriptions(
  url: string,
  ca: string,
  token: string,
): Promise<{ closed: Promise<{ code: number; at: number }> }> {
  const socket = new WebSocket(`${url.replace(/^https/, 'wss')}/graphql`, 'graphql-transport-ws', {
    ca,
  });
  const closed = new Promise<{ code: number; at: number }>((resolve) =>
    socket.once('close', (code) => resolve({ code, at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string };
      if (message.type === 'connection_ack') {
        for (const [id, query] of [
          ['health', 'subscription { clusterStatusChanges { clusterId } }'],
          ['alerts', 'subscription { alertChanges { type } }'],
        ]) {
          socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
        }
      } else if (message.type === 'next' && message.id === 'health') {
        resolve();
      } else if (message.type === 'error') {
        reject(new Error(data.toString()));
      }
    });
    socket.once('open', () =>
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${token}` },
        }),
      ),
    );
  });
  return { closed };
}

/** The controllers a replica logged as started, and as stopped, by name. */
function controllerLines(output: string): { started: Set<string>; stopped: Set<string> } {
  const started = new Set<string>();
  const stopped = new Set<string>();
  for (const line of output.split('\n')) {
    const name = /"controller":"([a-z-]+)"/.exec(line)?.[1];
    if (name === undefined) continue;
    if (line.includes('"controller started"')) started.add(name);
    if (line.includes('"controller stopped"')) stopped.add(name);
  }
  return { started, stopped };
}

describe('paddock serve on SIGTERM', function () {
  this.timeout(90_000);

  it('fails /readyz at once, serves new requests while draining, ends watches cleanly and exits within the grace period plus a second while a cluster hangs', async () => {
    const fx = await opsFixture('shutdown');
    try {
      const { sim, importEnv } = await startClusters(fx, ['one', 'two', 'three']);
      const replica = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: {
          ...importEnv,
          PADDOCK_SHUTDOWN_GRACE_SECONDS: '4',
          PADDOCK_SHUTDOWN_DRAIN_SECONDS: '1.5',
          PADDOCK_LOG_LEVEL: 'info',
        },
      });
      fx.track(() => replica.process.stop());
      const ca = replica.caPem ?? '';
      const token = await replica.login();
      await waitFor(
        'every cluster active',
        async () => {
          const r = await replica.graphql(token, '{ clusters { items { id health { state } } } }');
          const items = (r.data?.clusters as { items: { health: { state: string } }[] })?.items;
          return items?.length === 3 && items.every((c) => c.health.state === 'ACTIVE')
            ? true
            : undefined;
        },
        { timeoutMs: 20_000 },
      );

      // Cluster two stops answering at all; cluster three answers, slowly.
      await sim.cluster('two').setFaults({ hang: true });
      await sim.cluster('three').setFaults({ latency: 2_500 });
      const auth = { authorization: `Bearer ${token}` };
      const hanging = fetchText(`${replica.url}/k8s/clusters/two/api/v1/namespaces`, {
        headers: auth,
        ca,
      }).catch((err: unknown) => err);
      const slow = fetchText(`${replica.url}/k8s/clusters/three/api/v1/namespaces`, {
        headers: auth,
        ca,
      });
      const watch = await openWatch(
        `${replica.url}/k8s/clusters/one/api/v1/namespaces?watch=true`,
        ca,
        token,
      );
      expect(watch.status).to.equal(200);
      const subscriptions = await openSubscriptions(replica.url, ca, token);
      const agent = new Agent({ keepAlive: true, maxSockets: 1, ca });
      expect((await get(`${replica.url}/healthz`, agent)).status).to.equal(200);

      const child = replica.process.child;
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      const t0 = Date.now();
      child.kill('SIGTERM');

      const notReadyAt = await waitFor(
        '/readyz to answer 503',
        async () => ((await replica.request('/readyz')).status === 503 ? Date.now() : undefined),
        { timeoutMs: 3_000, intervalMs: 10 },
      );
      expect(notReadyAt - t0, 'ms from SIGTERM to a failing /readyz').to.be.below(500);

      // Still served while draining, on the kept-alive connection, which it asks to close.
      const during = await get(`${replica.url}/healthz`, agent);
      expect(Date.now() - t0, 'still within the drain delay').to.be.below(1_500);
      expect(during.status).to.equal(200);
      expect(during.headers.connection).to.equal('close');

      expect(await watch.ended, 'how the watch ended').to.equal('end');
      const slowAnswer = await slow;
      expect(slowAnswer.status, 'an in-flight request within the grace period').to.equal(200);

      const [code] = await exited;
      const took = Date.now() - t0;
      expect(code, replica.process.output()).to.equal(0);
      expect(took, 'ms from SIGTERM to exit').to.be.at.most(5_000);
      // Subscriptions end with 1001 (going away), so graphql-ws clients reconnect elsewhere.
      const closed = await subscriptions.closed;
      expect(closed.code, 'the WebSocket close code').to.equal(1001);
      expect(closed.at - t0, 'ms from SIGTERM to the subscriptions ending').to.be.at.most(5_000);
      // Every background controller that ran here (main's alerting, logging, apps ones too)
      // was stopped before the process ended.
      const controllers = controllerLines(replica.process.output());
      expect([...controllers.started]).to.include.members([
        'rbac-sync',
        'capacity',
        'alerting',
        'logging',
        'multi-cluster-apps',
        'catalog-refresh',
      ]);
      expect([...controllers.stopped].sort()).to.deep.equal([...controllers.started].sort());
      expect(await hanging).to.be.instanceOf(Error);
      agent.destroy();
    } finally {
      await fx.stop();
    }
  });
});
