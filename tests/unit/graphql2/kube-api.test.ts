import { expect } from 'chai';
import { impersonationHeaders } from '../../../src/authproxy/header-policy.js';
import { callerHeaders, fanOut } from '../../../src/datasources/kube-api/index.js';
import { errorOfAnswer, errorOfFailure } from '../../../src/datasources/kube-api/kube-errors.js';
import type { Identity } from '../../../src/domain/identity.js';
import { KubeApiError } from '../../../src/domain/kube-api.js';

const carol: Identity = {
  userId: 'u-carol',
  username: 'carol',
  displayName: 'Carol',
  provider: 'openldap',
  principalIds: ['openldap_user://uid=carol,dc=example', 'openldap_group://cn=devs,dc=example'],
  groupPrincipalIds: ['openldap_group://cn=devs,dc=example'],
  tokenId: 't',
  tokenKind: 'session',
};

describe('kube-api client', () => {
  it('sends exactly the impersonation lines the proxy sends', () => {
    expect(callerHeaders(carol, 'imp-token')).to.deep.equal(
      impersonationHeaders(carol, 'imp-token'),
    );
    expect(callerHeaders(carol, 'imp-token')['impersonate-group']).to.deep.equal([
      'openldap_group://cn=devs,dc=example',
      'system:authenticated',
    ]);
  });

  it('refuses a principal with a control character instead of altering it', () => {
    expect(() => callerHeaders({ ...carol, userId: 'u-x\nImpersonate-User: admin' }, 't')).to.throw(
      /cannot be sent/,
    );
  });

  it('maps 403, 409 and 422 to typed errors carrying the downstream message', () => {
    const forbidden = errorOfAnswer(
      'one',
      403,
      JSON.stringify({
        kind: 'Status',
        message: 'pods is forbidden: User "u-x" cannot list',
        reason: 'Forbidden',
      }),
    );
    expect([
      forbidden.kubeCode,
      forbidden.code,
      forbidden.message,
      forbidden.retryable,
    ]).to.deep.equal([
      'FORBIDDEN',
      'FORBIDDEN',
      'pods is forbidden: User "u-x" cannot list',
      false,
    ]);
    expect(errorOfAnswer('one', 409, '{"message":"already exists"}').code).to.equal('CONFLICT');
    const invalid = errorOfAnswer('one', 422, '{"message":"spec.replicas: Invalid value"}');
    expect([invalid.kubeCode, invalid.code]).to.deep.equal(['INVALID', 'VALIDATION_FAILED']);
    expect(errorOfAnswer('one', 401, '').message).to.match(/impersonator credentials/);
    expect(errorOfAnswer('one', 503, 'busy').retryable).to.equal(true);
  });

  it('maps refused connections to UNREACHABLE and deadlines to TIMEOUT', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(errorOfFailure('one', refused, false).kubeCode).to.equal('UNREACHABLE');
    expect(errorOfFailure('one', new Error('x'), true).kubeCode).to.equal('TIMEOUT');
  });
});

describe('fan-out across clusters', () => {
  it('keeps the answers of healthy clusters and reports each failing or slow one', async () => {
    const started = Date.now();
    const result = await fanOut(
      ['a', 'b', 'c', 'd'],
      async (id, signal) => {
        if (id === 'b') throw new KubeApiError('b', 'FORBIDDEN', 'no');
        if (id === 'c') {
          // Ignores nothing: resolves only when aborted, as a hanging socket would.
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
          return 'late';
        }
        if (id === 'd') return new Promise<string>(() => undefined);
        return `ok-${id}`;
      },
      { deadlineMs: 100 },
    );
    expect(Date.now() - started).to.be.lessThan(1_000);
    expect(result.items).to.deep.equal([{ clusterId: 'a', value: 'ok-a' }]);
    expect(result.clusterErrors.map((e) => [e.clusterId, e.code, e.retryable])).to.deep.equal([
      ['b', 'FORBIDDEN', false],
      ['c', 'TIMEOUT', true],
      ['d', 'TIMEOUT', true],
    ]);
  });

  it('asks at most `concurrency` clusters at once and keeps the given order', async () => {
    let running = 0;
    let peak = 0;
    const ids = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const result = await fanOut(
      ids,
      async (id) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        return id;
      },
      { concurrency: 4 },
    );
    expect(peak).to.equal(4);
    expect(result.items.map((i) => i.value)).to.deep.equal(ids);
  });

  it('answers within the total deadline, counting clusters still waiting for their turn as TIMEOUT', async () => {
    const started = Date.now();
    const result = await fanOut(
      ['a', 'b', 'c'],
      async (id, signal) => {
        if (id === 'a') return 'fast';
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return 'late';
      },
      { concurrency: 1, deadlineMs: 5_000, totalDeadlineMs: 150 },
    );
    expect(Date.now() - started).to.be.lessThan(1_000);
    expect(result.items).to.deep.equal([{ clusterId: 'a', value: 'fast' }]);
    expect(result.clusterErrors.map((e) => [e.clusterId, e.code])).to.deep.equal([
      ['b', 'TIMEOUT'],
      ['c', 'TIMEOUT'],
    ]);
  });

  it('masks unexpected errors of a cluster task', async () => {
    const result = await fanOut(['a'], async () => {
      throw new Error('secret=hunter2');
    });
    expect(result.clusterErrors).to.deep.equal([
      { clusterId: 'a', code: 'INTERNAL', message: 'internal error', retryable: false },
    ]);
  });
});
