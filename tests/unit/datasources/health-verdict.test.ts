import { expect } from 'chai';
import { HealthVerdict } from '../../../src/datasources/health-verdict.js';
import type { ClusterHealth } from '../../../src/domain/cluster.js';

const up: ClusterHealth = { state: 'active', version: 'v1.32.0', nodesTotal: 3, nodesReady: 3 };
const down: ClusterHealth = { state: 'unavailable', message: 'cannot reach endpoint' };

function verdict(initial: ClusterHealth = up) {
  let now = 0;
  const v = new HealthVerdict(initial, { now: () => now, slowMs: 2_000 });
  return {
    v,
    at(ms: number) {
      now = ms;
    },
    ok: (ms = 10) => v.record({ health: { ...up, checkedAt: now }, slowestCallMs: ms }).state,
    fail: (timedOut = false) =>
      v.record({ health: { ...down, checkedAt: now }, slowestCallMs: 5, timedOut }).state,
  };
}

describe('HealthVerdict', () => {
  it('shows one failed probe as degraded, keeping the last version, and two as unavailable', () => {
    const t = verdict();
    expect(t.fail()).to.equal('degraded');
    expect(t.v.shown.version).to.equal('v1.32.0');
    expect(t.fail()).to.equal('unavailable');
  });

  it('forgives an isolated failed probe', () => {
    const t = verdict();
    expect(t.fail()).to.equal('degraded');
    expect(t.ok()).to.equal('active');
  });

  it('comes back through degraded: two good probes in a row make it active again', () => {
    const t = verdict();
    t.fail();
    t.fail();
    expect(t.ok()).to.equal('degraded');
    expect(t.v.shown.message).to.contain('answering again');
    expect(t.ok()).to.equal('active');
  });

  it('shows a cluster that answers slowly as degraded, never unavailable', () => {
    const t = verdict();
    expect(t.ok(8_000)).to.equal('degraded');
    expect(t.v.shown.message).to.equal('slow: answered in 8.0 s');
    expect(t.ok(8_000)).to.equal('degraded');
    expect(t.ok(50)).to.equal('active');
  });

  it('shows a probe still waiting for its answer as degraded', () => {
    const t = verdict();
    expect(t.v.waiting(2_000).state).to.equal('degraded');
    expect(t.v.shown.message).to.contain('no answer to a health probe for 2.0 s');
  });

  it('believes one probe that waited its whole deadline for nothing', () => {
    const t = verdict();
    expect(t.fail(true)).to.equal('unavailable');
  });

  it('shows a first probe that fails as unavailable at once', () => {
    const t = verdict({ state: 'unavailable', message: 'not probed yet' });
    expect(t.fail()).to.equal('unavailable');
  });

  it('shows a first probe that succeeds as active at once', () => {
    const t = verdict({ state: 'unavailable', message: 'not probed yet' });
    expect(t.ok()).to.equal('active');
  });

  it('keeps a cluster that goes up and down degraded (flapping) until it has been steady for the window', () => {
    const t = verdict();
    let ms = 0;
    for (const step of [t.fail, t.fail, t.ok, t.ok, t.fail, t.fail, t.ok, t.ok]) {
      ms += 1_000;
      t.at(ms);
      step();
    }
    expect(t.v.shown.state).to.equal('degraded');
    expect(t.v.shown.message).to.match(/^flapping: 4 changes/);
    t.at(ms + 61_000);
    expect(t.ok()).to.equal('active');
  });

  it('believes a refused credential at once', () => {
    const t = verdict();
    const state = t.v.record({
      health: { state: 'unauthorized', message: 'the manager token was refused' },
      slowestCallMs: 3,
    }).state;
    expect(state).to.equal('unauthorized');
  });
});
