import { expect } from 'chai';
import { stringify } from 'yaml';
import { readKubeconfigContext } from '../../../src/datasources/kubeconfig-context.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
/** A kubeconfig that came through the API: inline data only. */
const API = { localFiles: 'refuse' } as const;

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
    const ctx = readKubeconfigContext(kubeconfig(), API);
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
      { localFiles: 'read', baseDir: '/k', readFile: (p) => files[p] ?? '' },
    );
    expect(ctx.caPem).to.equal(CA);
    expect(ctx.token).to.equal('from-file');
  });

  it('carries insecure-skip-tls-verify and tls-server-name through', () => {
    const ctx = readKubeconfigContext(
      kubeconfig({ cluster: { 'insecure-skip-tls-verify': true, 'tls-server-name': 'api.local' } }),
      API,
    );
    expect(ctx.dangerouslySkipTlsVerify).to.equal(true);
    expect(ctx.tlsServerName).to.equal('api.local');
  });

  it('refuses a context whose user has no bearer token', () => {
    expect(() =>
      readKubeconfigContext(
        kubeconfig({ user: { token: undefined, 'client-certificate-data': 'x' } }),
        API,
      ),
    ).to.throw(/no bearer token/);
  });

  it('refuses an unknown context and a context naming a missing cluster', () => {
    expect(() => readKubeconfigContext(kubeconfig(), { ...API, context: 'nope' })).to.throw(
      /no context nope/,
    );
    expect(() => readKubeconfigContext(kubeconfig(), { ...API, context: 'other' })).to.throw(
      /no cluster/,
    );
  });

  describe('through the API (inline data only)', () => {
    const refused: [string, { cluster?: object; user?: object }, string][] = [
      [
        'tokenFile',
        { user: { token: undefined, tokenFile: '/data/keys/encryption.key' } },
        'users[0].user.tokenFile',
      ],
      [
        'certificate-authority',
        { cluster: { 'certificate-authority': '/etc/shadow' } },
        'clusters[0].cluster.certificate-authority',
      ],
      [
        'client-certificate',
        { user: { 'client-certificate': '/etc/cert.pem' } },
        'users[0].user.client-certificate',
      ],
      ['client-key', { user: { 'client-key': '/etc/key.pem' } }, 'users[0].user.client-key'],
      ['exec', { user: { exec: { command: 'cat', args: ['/etc/passwd'] } } }, 'users[0].user.exec'],
      [
        'auth-provider',
        { user: { 'auth-provider': { name: 'gcp' } } },
        'users[0].user.auth-provider',
      ],
    ];
    for (const [field, extra, path] of refused) {
      it(`refuses ${field}, naming the field, without reading anything`, () => {
        const reads: string[] = [];
        const err = (() => {
          try {
            readKubeconfigContext(kubeconfig(extra), {
              localFiles: 'refuse',
              baseDir: '/k',
              readFile: (p) => {
                reads.push(p);
                return 'leaked-content';
              },
            });
          } catch (e) {
            return e as { code?: string; message: string; details?: unknown };
          }
          return undefined;
        })();
        expect(err?.code).to.equal('VALIDATION_FAILED');
        expect(err?.message).to.contain(`${path} is not accepted through the API`);
        expect(err?.details).to.deep.equal({ field: path });
        expect(reads).to.deep.equal([]);
      });
    }

    it('refuses a file reference in an entry the chosen context does not use', () => {
      const text = stringify({
        'current-context': 'dev',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
        users: [
          { name: 'u', user: { token: 'abc' } },
          { name: 'other', user: { tokenFile: '/etc/passwd' } },
        ],
        contexts: [{ name: 'dev', context: { cluster: 'c', user: 'u' } }],
      });
      expect(() => readKubeconfigContext(text, API)).to.throw(/users\[1\]\.user\.tokenFile/);
    });

    it('answers a kubeconfig that is not a mapping with a clear error', () => {
      expect(() => readKubeconfigContext('- a\n- b\n', API)).to.throw(/not a mapping/);
      expect(() => readKubeconfigContext('contexts: [null]\ncurrent-context: x\n', API)).to.throw(
        /no context x/,
      );
    });
  });
});
