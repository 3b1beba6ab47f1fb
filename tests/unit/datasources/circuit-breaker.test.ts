import { expect } from 'chai';
import { CircuitBreaker } from '../../../src/datasources/circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens after the configured number of consecutive failures', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1000, now: () => now });
    breaker.recordFailure();
    expect(breaker.allowRequest()).to.equal(true);
    breaker.recordFailure();
    expect(breaker.circuit).to.equal('open');
    expect(breaker.allowRequest()).to.equal(false);
    now = 999;
    expect(breaker.allowRequest()).to.equal(false);
  });

  it('lets exactly one trial through once the open period has passed', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 1000, now: () => now });
    breaker.recordFailure();
    now = 1000;
    expect(breaker.circuit).to.equal('half-open');
    expect(breaker.allowRequest()).to.equal(true);
    expect(breaker.allowRequest()).to.equal(false);
    breaker.recordSuccess();
    expect(breaker.circuit).to.equal('closed');
    expect(breaker.allowRequest()).to.equal(true);
  });

  it('re-opens for a full period when the trial fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    now = 1500;
    expect(breaker.allowRequest()).to.equal(true);
    breaker.recordFailure();
    expect(breaker.circuit).to.equal('open');
    now = 2400;
    expect(breaker.allowRequest()).to.equal(false);
    now = 2500;
    expect(breaker.allowRequest()).to.equal(true);
  });

  it('forgets isolated failures after a success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.circuit).to.equal('closed');
  });
});
