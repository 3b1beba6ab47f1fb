import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { startKubesim } from '../../../kubesim/index.js';
import { freePort } from '../../support/free-port.js';
import { type HelmCli, helmCli } from '../../support/helm.js';
import { fetchText } from '../../support/http-client.js';
import { repoRoot } from '../../support/repo-root.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, writeKubeconfig } from '../authproxy/support/kubectl.js';
import { opsFixture } from './support/served-paddock.js';

const run = promisify(execFile);
const root = repoRoot();
const chart = join(root, 'deploy', 'helm', 'paddock');
const HA = [
  '--set',
  'replicaCount=3',
  '--set',
  'redis.existingSecret=paddock-redis',
  '--set',
  'keys.existingSecret=paddock-keys',
  '--set',
  'tls.secretName=paddock-tls',
  '--set',
  'ingress.enabled=true',
  '--set',
  'ingress.tlsSecretName=paddock-ingress-tls',
  '--set',
  'backups.every=6h',
  '--set',
  'backups.existingClaim=paddock-backups',
  '--set',
  'shutdown.preStopSleepSeconds=3',
  '--set',
  'helmProxyUrl=https://paddock.paddock.svc',
];

describe('deployment', function () {
  this.timeout(120_000);
  let cli: HelmCli;
  before(async () => {
    cli = await helmCli();
  });
  after(() => cli.remove());
  const helm = (args: string[]) => cli.run(args);

  it('has a Helm chart that passes helm lint and whose manifests a Kubernetes API server accepts (server-side dry run)', async () => {
    for (const values of [[], HA]) {
      const lint = await helm(['lint', '--strict', chart, ...values]);
      expect(lint.code, `${lint.stdout}${lint.stderr}`).to.equal(0);
    }
    const refused = await helm(['template', 'paddock', chart, '--set', 'replicaCount=3']);
    expect(refused.stderr).to.contain('replicaCount > 1 needs Redis');

    const fx = await opsFixture('helm');
    const sim = await startKubesim({
      clusters: ['one'],
      adminPort: false,
      stateDir: join(fx.dir, 'kubesim'),
    });
    try {
      const one = sim.cluster('one').describe();
      const admin = await writeKubeconfig(fx.dir, 'admin', one.url, one.caFile, one.adminToken);
      expect((await kubectl(admin, ['create', 'namespace', 'paddock'])).code).to.equal(0);
      for (const [name, values] of [
        ['single', []],
        ['ha', HA],
      ] as const) {
        const rendered = await helm(['template', 'paddock', chart, '-n', 'paddock', ...values]);
        const file = join(fx.dir, `${name}.yaml`);
        await writeFile(file, rendered.stdout);
        const applied = await kubectl(admin, [
          'apply',
          '--dry-run=server',
          '-n',
          'paddock',
          '-f',
          file,
        ]);
        expect(applied.code, applied.stderr).to.equal(0);
        const kinds = applied.stdout
          .trim()
          .split('\n')
          .map((l) => l.split('/')[0]);
        const expected =
          name === 'ha'
            ? [
                'poddisruptionbudget.policy',
                'serviceaccount',
                'service',
                'deployment.apps',
                'ingress.networking.k8s.io',
              ]
            : ['serviceaccount', 'persistentvolumeclaim', 'service', 'deployment.apps'];
        expect(kinds, applied.stdout).to.have.members(expected);
        expect(applied.stdout).to.contain('created (server dry run)');
      }
      // The plain manifest for three replicas is accepted too.
      const plain = await kubectl(admin, [
        'apply',
        '--dry-run=server',
        '-f',
        join(root, 'deploy', 'paddock', 'paddock.yaml'),
      ]);
      expect(plain.code, plain.stderr).to.equal(0);
      expect(plain.stdout).to.contain('deployment.apps/paddock created (server dry run)');
      const ha = await readFile(join(fx.dir, 'ha.yaml'), 'utf8');
      for (const needed of [
        'readOnlyRootFilesystem: true',
        'runAsNonRoot: true',
        'path: /readyz',
        'preStop:',
        'name: PADDOCK_SHUTDOWN_DRAIN_SECONDS',
        'name: PADDOCK_HELM_PROXY_URL',
        'mountPath: /tmp',
        'maxUnavailable: 0',
      ]) {
        expect(ha).to.contain(needed);
      }
    } finally {
      await sim.stop();
      await fx.stop();
    }
  });

  it('has a multi-stage Dockerfile whose runtime layout serves from a read-only file system as a non-root user, Helm included', async () => {
    const dockerfile = await readFile(join(root, 'deploy', 'paddock', 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length, 'build stages').to.be.at.least(2);
    const runtime = stages.at(-1) ?? '';
    expect(runtime).to.match(/^USER 10001:10001$/m);
    expect(runtime).to.not.match(/^USER (root|0)\b/m);
    const copied = [...runtime.matchAll(/^COPY --from=build \/src\/(\S+) \.\/(\S+)$/gm)].map(
      (m) => m[2],
    );
    expect(copied).to.deep.equal([
      'package.json',
      'node_modules',
      'dist/src',
      'dist/console',
      'bin',
    ]);
    expect(runtime).to.match(
      /^COPY --from=build \/usr\/local\/bin\/helm \/usr\/local\/bin\/helm$/m,
    );
    expect(runtime).to.contain('PADDOCK_HELM_BINARY=/usr/local/bin/helm');
    expect(runtime).to.contain('ENTRYPOINT ["node", "/app/bin/paddock.js"]');

    // That layout, as the image has it, mounted read-only, run as uid 10001.
    if (process.getuid?.() !== 0) {
      throw new Error('this test mounts a read-only copy of the image layout, which needs root');
    }
    const fx = await opsFixture('image');
    const app = join(fx.dir, 'app');
    const bin = join(fx.dir, 'usr', 'local', 'bin');
    const data = join(fx.dir, 'var', 'lib', 'paddock');
    const mounts: string[] = [];
    try {
      await mkdir(join(app, 'dist'), { recursive: true });
      await mkdir(join(app, 'node_modules'));
      await cp(join(root, 'package.json'), join(app, 'package.json'));
      await cp(join(root, 'dist', 'src'), join(app, 'dist', 'src'), { recursive: true });
      await cp(join(root, 'dist', 'console'), join(app, 'dist', 'console'), { recursive: true });
      await cp(join(root, 'bin'), join(app, 'bin'), { recursive: true });
      await mkdir(bin, { recursive: true });
      await cp(cli.binary, join(bin, 'helm'));
      await mkdir(data, { recursive: true });
      await chown(data, 10001, 10001);
      // The temp dir is the test's (0700): the image's user must get in, as to / in the image.
      await chmod(fx.dir, 0o755);
      for (const dir of [app, bin]) {
        await run('mount', ['--bind', dir, dir]);
        mounts.push(dir);
        await run('mount', ['-o', 'remount,bind,ro', dir]);
      }
      await run('mount', ['--bind', join(root, 'node_modules'), join(app, 'node_modules')]);
      mounts.push(join(app, 'node_modules'));
      await run('mount', ['-o', 'remount,bind,ro', join(app, 'node_modules')]);

      const port = await freePort();
      const child = spawn(process.execPath, [join(app, 'bin', 'paddock.js'), 'serve'], {
        cwd: app,
        uid: 10001,
        gid: 10001,
        env: {
          PATH: process.env.PATH ?? '',
          PADDOCK_DATA_DIR: data,
          PADDOCK_HELM_BINARY: join(bin, 'helm'),
          PADDOCK_PORT: String(port),
          PADDOCK_BIND: '127.0.0.1',
          PADDOCK_BOOTSTRAP_PASSWORD: 'test-bootstrap-password',
          PADDOCK_LOG_LEVEL: 'info',
          PADDOCK_SHUTDOWN_DRAIN_SECONDS: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        output += c.toString();
      });
      const exited = once(child, 'exit');
      try {
        const ca = await waitFor(
          'paddock from the read-only layout',
          async () => {
            if (child.exitCode !== null) throw new Error(`exited: ${output}`);
            const pem = await readFile(join(data, 'tls', 'ca.crt'), 'utf8').catch(() => undefined);
            if (pem === undefined) return undefined;
            const res = await fetchText(`https://localhost:${port}/readyz`, { ca: pem });
            return res.status === 200 ? pem : undefined;
          },
          { timeoutMs: 30_000 },
        );
        const login = await fetchText(`https://localhost:${port}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'test-bootstrap-password' }),
          ca,
        });
        expect(login.status, login.body).to.equal(200);
        // The console is served from the image's dist/console, and apps find the image's Helm.
        const page = await fetchText(`https://localhost:${port}/`, { ca });
        expect(page.status).to.equal(200);
        expect(page.body).to.contain('<div id=');
        await waitFor('the Helm check', () =>
          output.includes('"helm binary found"') ? true : undefined,
        );
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
      expect(child.exitCode, output).to.equal(0);
    } finally {
      for (const m of mounts.reverse()) await run('umount', ['-l', m]).catch(() => undefined);
      await fx.stop();
    }
  });
});
