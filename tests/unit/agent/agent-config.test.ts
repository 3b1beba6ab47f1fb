import { expect } from 'chai';
import { loadAgentConfig } from '../../../src/config/agent-config.js';
import { ConfigError } from '../../../src/config/index.js';

describe('paddock agent configuration', () => {
  const inCluster = {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    PADDOCK_AGENT_SERVER: 'https://paddock.example.com/',
    PADDOCK_AGENT_TOKEN_FILE: '/etc/paddock-agent/token',
  };

  it('finds the API server and the files where a pod has them', () => {
    const { config } = loadAgentConfig({ argv: [], env: inCluster });
    expect(config).to.include({
      server: 'https://paddock.example.com',
      apiServer: 'https://10.96.0.1:443',
      apiCaFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      impersonatorTokenFile: '/var/run/secrets/paddock/impersonator/token',
      managerTokenFile: '/var/run/secrets/paddock/manager/token',
      tokenFile: '/etc/paddock-agent/token',
      reconnectMinMs: 500,
      reconnectMaxMs: 30_000,
      tunnelFraming: 'stream',
    });
  });

  it('lets flags win over the environment', () => {
    const { config } = loadAgentConfig({
      argv: ['--api-server', 'https://127.0.0.1:6443', '--reconnect-max-ms', '2000'],
      env: inCluster,
    });
    expect(config.apiServer).to.equal('https://127.0.0.1:6443');
    expect(config.reconnectMaxMs).to.equal(2_000);
  });

  it('takes the message framing for a proxy that holds WebSocket messages, and nothing else', () => {
    const { config } = loadAgentConfig({
      argv: [],
      env: { ...inCluster, PADDOCK_AGENT_TUNNEL_FRAMING: 'messages' },
    });
    expect(config.tunnelFraming).to.equal('messages');
    expect(() =>
      loadAgentConfig({ argv: ['--tunnel-framing', 'frames'], env: inCluster }),
    ).to.throw(ConfigError, /--tunnel-framing: "frames" is invalid; expected stream or messages/);
  });

  it('names every missing or bad setting, and never echoes a token', () => {
    let err: unknown;
    try {
      loadAgentConfig({
        argv: [
          '--server',
          'http://plain',
          '--reconnect-min-ms',
          '5000',
          '--reconnect-max-ms',
          '100',
        ],
        env: { PADDOCK_AGENT_TOKEN: '' },
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).to.contain('--server').and.contain('https');
    expect(message).to.contain('registration token');
    expect(message).to.contain('KUBERNETES_SERVICE_HOST');
    expect(message).to.contain('reconnect-max-ms');
  });
});
