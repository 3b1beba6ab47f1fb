import { expect } from 'chai';
import { type Controller, ControllerHost, StoreLeases } from '../../../src/controllers/index.js';
import { MemoryStore } from '../../support/memory-store.js';
import { createTestLogger } from '../datasources/support/test-logger.js';

/** Records what the host did to it. */
class RecordingController implements Controller {
  readonly events: string[] = [];
  signal: AbortSignal | undefined;
  constructor(readonly name: string) {}
  start(signal: AbortSignal): void {
    this.signal = signal;
    this.events.push('start');
  }
  stop(): void {
    this.events.push('stop');
  }
}

function replica(store: MemoryStore, holder: string, now: () => number) {
  const leases = new StoreLeases({ store, holder, ttlSeconds: 10, now });
  return new ControllerHost({ leases, logger: createTestLogger(), renewEveryMs: 60_000 });
}

describe('ControllerHost', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('runs a controller on exactly one of two replicas sharing a store', async () => {
    const store = new MemoryStore({ now });
    const a = replica(store, 'a', now);
    const b = replica(store, 'b', now);
    const onA = new RecordingController('alerts');
    const onB = new RecordingController('alerts');
    a.add(onA);
    b.add(onB);
    await a.start();
    await b.start();
    await a.tick();
    await b.tick();
    expect(onA.events).to.deep.equal(['start']);
    expect(onB.events).to.deep.equal([]);
    await a.stop();
    await b.stop();
  });

  it('fails over when the holder stops renewing and its lease expires', async () => {
    const store = new MemoryStore({ now });
    const a = replica(store, 'a', now);
    const b = replica(store, 'b', now);
    const onA = new RecordingController('apps');
    const onB = new RecordingController('apps');
    a.add(onA);
    b.add(onB);
    await a.start();
    await b.start();
    expect(onA.events).to.deep.equal(['start']);
    // a dies silently: no more ticks from it. Before the TTL, b still may not take over.
    clock += 9_000;
    await b.tick();
    expect(onB.events).to.deep.equal([]);
    clock += 2_000;
    await b.tick();
    expect(onB.events).to.deep.equal(['start']);
    // a comes back: its renewal fails, so it stops its copy and b keeps running.
    await a.tick();
    expect(onA.events).to.deep.equal(['start', 'stop']);
    expect(onA.signal?.aborted).to.equal(true);
    await b.tick();
    expect(onB.events).to.deep.equal(['start']);
    await a.stop();
    await b.stop();
  });

  it('hands the lease over at once when the holder shuts down', async () => {
    const store = new MemoryStore({ now });
    const a = replica(store, 'a', now);
    const b = replica(store, 'b', now);
    const onB = new RecordingController('fleet-index');
    a.add(new RecordingController('fleet-index'));
    b.add(onB);
    await a.start();
    await b.start();
    await a.stop();
    await b.tick();
    expect(onB.events).to.deep.equal(['start']);
    await b.stop();
    expect(onB.events).to.deep.equal(['start', 'stop']);
  });

  it('stops its controllers while the store is unreachable and resumes when it returns', async () => {
    const store = new MemoryStore({ now });
    const a = replica(store, 'a', now);
    const controller = new RecordingController('logging');
    a.add(controller);
    await a.start();
    store.setUnavailable(true);
    await a.tick();
    expect(controller.events).to.deep.equal(['start', 'stop']);
    store.setUnavailable(false);
    await a.tick();
    expect(controller.events).to.deep.equal(['start', 'stop', 'start']);
    await a.stop();
  });

  it('gives the lease back when a controller fails to start, and retries at the next tick', async () => {
    const store = new MemoryStore({ now });
    const a = replica(store, 'a', now);
    let attempts = 0;
    a.add({
      name: 'flaky',
      start() {
        attempts++;
        if (attempts === 1) throw new Error('cluster list unavailable');
      },
      stop() {},
    });
    await a.start();
    expect(a.status()).to.deep.equal([{ name: 'flaky', running: false }]);
    await a.tick();
    expect(a.status()).to.deep.equal([{ name: 'flaky', running: true }]);
    await a.stop();
  });

  it('refuses a controller name the store cannot hold and a second controller of one name', () => {
    const store = new MemoryStore({ now });
    const a = replica(store, 'a', now);
    expect(() => a.add(new RecordingController('Bad Name'))).to.throw(/must match/);
    a.add(new RecordingController('rbac-sync'));
    expect(() => a.add(new RecordingController('rbac-sync'))).to.throw(/already registered/);
  });
});
