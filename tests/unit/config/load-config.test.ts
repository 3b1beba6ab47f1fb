import { expect } from 'chai';
import { ConfigError, configHelp, loadConfig, redactConfig } from '../../../src/config/index.js';

function load(
  argv: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
) {
  return loadConfig({
    argv,
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
      return text;
    },
  });
}

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const { config } = load([]);
    expect(config.port).to.equal(8443);
    expect(config.bind).to.equal('0.0.0.0');
    expect(config.dataDir).to.equal('./data');
    expect(config.redisUrl).to.equal(undefined);
    expect(config.insecureHttp).to.equal(false);
    expect(config.logLevel).to.equal('info');
  });

  it('prefers a flag over the environment over the YAML file', () => {
    const files = { '/etc/p.yaml': 'port: 1001\nbind: 127.0.0.1\nlogLevel: debug\n' };
    const { config } = load(
      ['--config', '/etc/p.yaml', '--port', '1003'],
      { PADDOCK_PORT: '1002', PADDOCK_BIND: '::1' },
      files,
    );
    expect(config.port).to.equal(1003);
    expect(config.bind).to.equal('::1');
    expect(config.logLevel).to.equal('debug');
    expect(config.sources).to.include({ port: 'flag', bind: 'env', logLevel: 'file' });
  });

  it('reads the YAML file named by PADDOCK_CONFIG and keeps its sections', () => {
    const files = { '/p.yaml': 'insecureHttp: true\nauth:\n  local:\n    enabled: true\n' };
    const { config } = load([], { PADDOCK_CONFIG: '/p.yaml' }, files);
    expect(config.insecureHttp).to.equal(true);
    expect(config.sections).to.deep.equal({ auth: { local: { enabled: true } } });
  });

  it('names the variable, the problem and the accepted form for a bad port', () => {
    const message = problemsOf(() => load([], { PADDOCK_PORT: '99999' }));
    expect(message).to.contain('PADDOCK_PORT');
    expect(message).to.contain('"99999"');
    expect(message).to.contain('an integer from 1 to 65535');
  });

  it('names the flag when the bad value came from the command line', () => {
    expect(problemsOf(() => load(['--log-level', 'loud']))).to.contain('--log-level');
  });

  it('reports every bad key at once', () => {
    const message = problemsOf(() => load([], { PADDOCK_PORT: 'x', PADDOCK_BIND: 'nowhere' }));
    expect(message).to.contain('PADDOCK_PORT').and.to.contain('PADDOCK_BIND');
  });

  it('never prints a secret value in an error', () => {
    const message = problemsOf(() =>
      load([], { PADDOCK_REDIS_URL: 'http://user:hunter2-secret@host' }),
    );
    expect(message).to.contain('PADDOCK_REDIS_URL').and.to.contain('<secret>');
    expect(message).not.to.contain('hunter2');
  });

  it('never shows secrets in the loggable copy', () => {
    const { config } = load([], { PADDOCK_BOOTSTRAP_PASSWORD: 'correct horse battery' });
    expect(JSON.stringify(redactConfig(config))).not.to.contain('horse');
  });

  it('refuses an unknown flag', () => {
    expect(problemsOf(() => load(['--prot', '1']))).to.contain("'--prot'");
  });

  it('refuses an unknown key in the YAML file and names it', () => {
    const message = problemsOf(() => load(['-c', '/p.yaml'], {}, { '/p.yaml': 'prot: 1\n' }));
    expect(message).to.contain('key prot').and.to.contain('unknown key');
  });

  it('refuses a YAML file that is not a mapping', () => {
    expect(problemsOf(() => load(['-c', '/p.yaml'], {}, { '/p.yaml': '- a\n' }))).to.contain(
      'mapping',
    );
  });

  it('says when the config file cannot be read', () => {
    expect(problemsOf(() => load(['-c', '/missing.yaml']))).to.contain('cannot read');
  });

  it('requires the TLS key when a certificate is configured', () => {
    expect(problemsOf(() => load(['--tls-cert-file', '/c.pem']))).to.contain(
      'PADDOCK_TLS_KEY_FILE',
    );
  });

  it('accepts boolean flags and their negation', () => {
    expect(load(['--insecure-http']).config.insecureHttp).to.equal(true);
    expect(
      load(['--no-insecure-http'], { PADDOCK_INSECURE_HTTP: 'true' }).config.insecureHttp,
    ).to.equal(false);
  });

  it('warns about an unknown PADDOCK_ variable instead of ignoring it silently', () => {
    expect(load([], { PADDOCK_PROT: '1' }).warnings).to.deep.equal([
      'unknown environment variable PADDOCK_PROT is ignored',
    ]);
  });
});

describe('configHelp', () => {
  it('lists every key with its environment variable', () => {
    const help = configHelp('serve');
    for (const name of ['PADDOCK_PORT', 'PADDOCK_BIND', 'PADDOCK_DATA_DIR', 'PADDOCK_REDIS_URL']) {
      expect(help).to.contain(name);
    }
    expect(help).to.contain('--insecure-http');
  });
});
