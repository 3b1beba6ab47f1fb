import { expect } from 'chai';
import { stringify } from 'yaml';
import { readKubeconfigContext } from '../../../src/datasources/kubeconfig-context.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function kubeconfig(extra: { cluster?: object; user?: object; current?: string } = {}) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': extra.current ?? 'dev',
    clusters: [
      {
        name: 'dev-cluster',
        cluster: {
          server: 'https://127.0.0.1:6443',
          'certificate-authority-data': Buffer.from(CA).toString('base64'),
          ...extra.cluster,
        },
      },
    ],
    users: [{ name: 'dev-admin', user: { token: 'abc.def', ...extra.user } }],
    contexts: [
      { name: 'dev', context: { cluster: 'dev-cluster', user: 'dev-admin' } },
      { name: 'other', context: { cluster: 'missing', user: 'dev-admin' } },
    ],
  });
}

describe('readKubeconfigContext', () => {
  it('reads server, inline CA and token of the current context', () => {
    const ctx = readKubeconfigContext(kubeconfig());
    expect(ctx).to.deep.equal({
      contextName: 'dev',
      endpoint: 'https://127.0.0.1:6443',
      caPem: CA,
      tlsServerName: undefined,
      dangerouslySkipTlsVerify: false,
      token: 'abc.def',
    });
  });

  it('reads CA and token files relative to the kubeconfig directory', () => {
    const files: Record<string, string> = { '/k/ca.pem': CA, '/k/token': 'from-file\n' };
    const ctx = readKubeconfigContext(
      kubeconfig({
        cluster: { 'certificate-authority-data': undefined, 'certificate-authority': 'ca.pem' },
        user: { token: undefined, tokenFile: 'token' },
      }),
      { baseDir: '/k', readFile: (p) => files[p] ?? '' },
    );
    expect(ctx.caPem).to.equal(CA);
    expect(ctx.token).to.equal('from-file');
  });

  it('carries insecure-skip-tls-verify and tls-server-name through', () => {
    const ctx = readKubeconfigContext(
      kubeconfig({ cluster: { 'insecure-skip-tls-verify': true, 'tls-server-name': 'api.local' } }),
    );
    expect(ctx.dangerouslySkipTlsVerify).to.equal(true);
    expect(ctx.tlsServerName).to.equal('api.local');
  });

  it('refuses a context whose user has no bearer token', () => {
    expect(() =>
      readKubeconfigContext(
        kubeconfig({ user: { token: undefined, 'client-certificate-data': 'x' } }),
      ),
    ).to.throw(/no bearer token/);
  });

  it('refuses an unknown context and a context naming a missing cluster', () => {
    expect(() => readKubeconfigContext(kubeconfig(), { context: 'nope' })).to.throw(
      /no context nope/,
    );
    expect(() => readKubeconfigContext(kubeconfig(), { context: 'other' })).to.throw(/no cluster/);
  });
});
