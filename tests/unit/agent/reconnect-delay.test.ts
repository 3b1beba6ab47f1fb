import { expect } from 'chai';
import { reconnectDelayMs } from '../../../src/agent/reconnect-delay.js';

describe('reconnectDelayMs', () => {
  it('doubles from the minimum, between half and all of each step', () => {
    expect(reconnectDelayMs(0, 500, 30_000, () => 0)).to.equal(250);
    expect(reconnectDelayMs(0, 500, 30_000, () => 1)).to.equal(500);
    expect(reconnectDelayMs(3, 500, 30_000, () => 0)).to.equal(2_000);
    expect(reconnectDelayMs(3, 500, 30_000, () => 1)).to.equal(4_000);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(reconnectDelayMs(1_000, 500, 30_000, () => 1)).to.equal(30_000);
    expect(reconnectDelayMs(1_000, 500, 30_000, () => 0)).to.equal(15_000);
  });

  it('spreads agents that fail together over the step (jitter)', () => {
    const seen = new Set(
      [0.1, 0.4, 0.7, 0.9].map((r) => reconnectDelayMs(5, 500, 30_000, () => r)),
    );
    expect(seen.size).to.equal(4);
  });
});
