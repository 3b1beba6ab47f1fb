import { expect } from 'chai';
import { type ObservedTarget, planRollout } from '../../../src/apps/multi-cluster/rollout-plan.js';
import { stableJson } from '../../../src/apps/multi-cluster/stable-json.js';

const target = (key: string, over: Partial<ObservedTarget> = {}): ObservedTarget => ({
  key,
  inSync: false,
  unreachable: false,
  state: 'pending',
  ...over,
});

describe('rollout plan', () => {
  it('batches the targets that are out of sync, in order', () => {
    const plan = planRollout(
      [
        target('a'),
        target('b', { inSync: true, state: 'deployed' }),
        target('c'),
        target('d'),
        target('e'),
      ],
      { batchSize: 2, now: 0, retryMs: 1000 },
    );
    expect(plan).to.deep.equal([
      ['a', 'c'],
      ['d', 'e'],
    ]);
  });

  it('skips unreachable targets and failed ones until their retry delay passed', () => {
    const plan = planRollout(
      [
        target('down', { unreachable: true }),
        target('recent', { state: 'failed', failedAt: 900 }),
        target('old', { state: 'failed', failedAt: 0 }),
        target('drifted', { state: 'drifted' }),
      ],
      { batchSize: 5, now: 1000, retryMs: 500 },
    );
    expect(plan).to.deep.equal([['old', 'drifted']]);
  });

  it('compares values whatever their key order', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).to.equal(
      stableJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
});
