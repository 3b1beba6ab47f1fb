// Object faults through kubesim's admin endpoint, read back with the real kubectl: a node
// NotReady / under pressure / cordoned, a crash-looping container, a failed Job, Warning events.

import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { type ClusterDescription, type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { waitFor } from '../support/wait-for.js';

function admin(url: string, method: string, path: string, body?: unknown) {
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(
      new URL(path, url),
      { method, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('kubesim object faults', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterDescription;
  let k: Kubectl;
  const node = 'kubesim-1-worker-1';
  const get = async (args: string[]) => {
    const r = await k.run(['get', ...args, '-o', 'json']);
    if (r.code !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo' });
    c = sim.clusters[0]!;
    k = new Kubectl(c);
  });
  after(async () => {
    await sim.stop();
  });

  it('makes a node NotReady and Ready again, with the transition time of each change', async () => {
    const down = await admin(sim.adminUrl!, 'PUT', `/clusters/${c.name}/nodes/${node}/fault`, {
      ready: false,
    });
    expect(down.status).to.equal(200);
    const notReady = await get(['node', node]);
    const ready = notReady.status.conditions.find((x: { type: string }) => x.type === 'Ready');
    expect(ready).to.include({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    const table = await k.run(['get', 'node', node]);
    expect(table.stdout).to.match(/NotReady/);

    await admin(sim.adminUrl!, 'PUT', `/clusters/${c.name}/nodes/${node}/fault`, { ready: true });
    const back = await get(['node', node]);
    expect(
      back.status.conditions.find((x: { type: string }) => x.type === 'Ready').status,
    ).to.equal('True');
  });

  it('puts a node under memory, disk and PID pressure and cordons it', async () => {
    await admin(sim.adminUrl!, 'PUT', `/clusters/${c.name}/nodes/${node}/fault`, {
      memoryPressure: true,
      diskPressure: true,
      pidPressure: true,
      cordoned: true,
    });
    const n = await get(['node', node]);
    const status = (type: string) =>
      n.status.conditions.find((x: { type: string }) => x.type === type).status;
    expect([status('MemoryPressure'), status('DiskPressure'), status('PIDPressure')]).to.deep.equal(
      ['True', 'True', 'True'],
    );
    expect(n.spec.unschedulable).to.equal(true);
    expect((await k.run(['get', 'node', node])).stdout).to.match(/SchedulingDisabled/);
    await admin(sim.adminUrl!, 'PUT', `/clusters/${c.name}/nodes/${node}/fault`, {
      memoryPressure: false,
      diskPressure: false,
      pidPressure: false,
      cordoned: false,
    });
    const after = await get(['node', node]);
    expect(after.spec.unschedulable).to.equal(undefined);
  });

  it('makes a container crash-loop with a restart count and a BackOff Warning event', async () => {
    const pods = await get(['pods', '-n', 'shop', '-l', 'app=frontend']);
    const pod = pods.items[0].metadata.name as string;
    const r = await admin(sim.adminUrl!, 'PUT', `/clusters/${c.name}/pods/shop/${pod}/crashloop`, {
      restarts: 7,
    });
    expect(r.status).to.equal(200);
    const table = await k.run(['get', 'pod', '-n', 'shop', pod]);
    expect(table.stdout).to.match(/CrashLoopBackOff\s+7/);
    const events = await get([
      'events',
      '-n',
      'shop',
      '--field-selector',
      `involvedObject.name=${pod}`,
    ]);
    expect(
      events.items.map((e: { reason: string; type: string }) => `${e.type}/${e.reason}`),
    ).to.include('Warning/BackOff');
    // The deployment counts one pod fewer available.
    await waitFor('frontend to count the crashing pod unavailable', async () => {
      const d = await get(['deployment', '-n', 'shop', 'frontend']);
      return d.status.availableReplicas === 2 ? true : undefined;
    });
  });

  it('fails a Job with BackoffLimitExceeded', async () => {
    const created = await k.run(['create', 'job', '-n', 'shop', 'migrate', '--image=busybox']);
    expect(created.code, created.stderr).to.equal(0);
    const r = await admin(sim.adminUrl!, 'POST', `/clusters/${c.name}/jobs/shop/migrate/fail`);
    expect(r.status).to.equal(200);
    const job = await get(['job', '-n', 'shop', 'migrate']);
    expect(job.status.conditions.map((x: { type: string }) => x.type)).to.include('Failed');
    expect(
      job.status.conditions.find((x: { type: string }) => x.type === 'Failed').reason,
    ).to.equal('BackoffLimitExceeded');
  });

  it('records a Warning event for any object and answers 404 for an unknown node', async () => {
    const r = await admin(sim.adminUrl!, 'POST', `/clusters/${c.name}/events`, {
      namespace: 'shop',
      reason: 'FailedMount',
      message: 'MountVolume.SetUp failed for volume "data"',
      involvedObject: { kind: 'Pod', name: 'frontend-x' },
    });
    expect(r.status).to.equal(201);
    const events = await get(['events', '-n', 'shop', '--field-selector', 'reason=FailedMount']);
    expect(events.items).to.have.length(1);
    expect(events.items[0]).to.include({ type: 'Warning', reason: 'FailedMount' });
    const missing = await admin(sim.adminUrl!, 'PUT', `/clusters/${c.name}/nodes/nope/fault`, {
      ready: false,
    });
    expect(missing.status).to.equal(404);
  });
});
